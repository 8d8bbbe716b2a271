package ai.chatops.plugin;

import ai.chatops.PluginFailedException;
import ai.chatops.internal.Keys;
import ai.chatops.service.ChatEvent;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One call of a plugin route: the route, the attributes the dialog resolved (keyed by the UPPER_SNAKE names
 * of the plugin's {@code config.yaml}), the chat event it came from, and what proposed it.
 *
 * @param route the resolved route, one the plugin declared
 * @param attributes attribute values by name; only attributes the route declares
 * @param event the message that asked for it; for a call from outside chat, who asked and where
 * @param via what proposed the call: {@link #VIA_CHAT} for a chat message, or a short name such as
 *     {@code mcp} or {@code llm:gpt-4o}; kept in the audit entry
 */
public record Invocation(Route route, Map<String, String> attributes, ChatEvent event, String via) {
  /** The {@link #via} of a call that a chat message asked for. */
  public static final String VIA_CHAT = "chat";

  public Invocation {
    Objects.requireNonNull(route, "route");
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(via, "via");
    if (via.isBlank() || via.length() > 64) {
      throw new IllegalArgumentException("via must be 1 to 64 characters but was '" + via + "'");
    }
  }

  /** A call that a chat message asked for. */
  public Invocation(Route route, Map<String, String> attributes, ChatEvent event) {
    this(route, attributes, event, VIA_CHAT);
  }

  /** This call with other attributes: for interceptors that normalise or add values. */
  public Invocation withAttributes(Map<String, String> newAttributes) {
    return new Invocation(route, newAttributes, event, via);
  }

  /**
   * A key that names this call and stays the same when a router recovers the event and calls again: the
   * event's service, workspace and id, and the route. Plugins whose side effects must not happen twice pass
   * it on (a build parameter, a request id) and look for it before acting.
   */
  public String idempotencyKey() {
    return Keys.digest(event.service(), event.workspace(), event.id(), route.path());
  }

  /** The route's action, such as {@code build}. */
  public String action() {
    return route.action();
  }

  /** The value of an attribute, if the user gave it. */
  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /**
   * The value of an attribute the action cannot do without.
   *
   * @throws PluginFailedException naming the attribute, so the user learns what to add
   */
  public String require(String name) {
    String value = attributes.get(name);
    if (value == null || value.isBlank()) {
      throw new PluginFailedException(route.path() + " needs " + name + ", for example " + name + "=value");
    }
    return value;
  }

  /**
   * The canonical text of an attribute (an entity's canonical value, a string as given), if present. The
   * dialog has checked it against the route's {@link AttributeSpec} before the plugin runs.
   */
  public Optional<String> string(String name) {
    return attribute(name);
  }

  /**
   * An INTEGER attribute's value, if present.
   *
   * @throws PluginFailedException naming the attribute when the value is not a whole number (a caller outside
   *     the dialog passed one)
   */
  public Optional<Long> integer(String name) {
    return typed(name, AttributeType.INTEGER).map(Long::parseLong);
  }

  /**
   * A BOOLEAN attribute's value, if present.
   *
   * @throws PluginFailedException naming the attribute when the value is not yes or no
   */
  public Optional<Boolean> flag(String name) {
    return typed(name, AttributeType.BOOLEAN).map(Boolean::parseBoolean);
  }

  /**
   * A DURATION attribute's value, if present.
   *
   * @throws PluginFailedException naming the attribute when the value is not a duration
   */
  public Optional<java.time.Duration> duration(String name) {
    return typed(name, AttributeType.DURATION).map(java.time.Duration::parse);
  }

  private Optional<String> typed(String name, AttributeType type) {
    String value = attributes.get(name);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(type.canonical(name, value));
    } catch (IllegalArgumentException e) {
      throw new PluginFailedException(e.getMessage());
    }
  }

  /** The id of the user who asked. */
  public String user() {
    return event.user();
  }

  /** The channel the request was made in. */
  public String channel() {
    return event.channel();
  }
}
