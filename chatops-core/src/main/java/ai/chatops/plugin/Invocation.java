package ai.chatops.plugin;

import ai.chatops.PluginFailedException;
import ai.chatops.service.ChatEvent;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One call of a plugin route: the route, the attributes the dialog resolved (keyed by the UPPER_SNAKE names
 * of the plugin's {@code config.yaml}), and the chat event it came from.
 *
 * @param route the resolved route, one the plugin declared
 * @param attributes attribute values by name; only attributes the route declares
 * @param event the message that asked for it
 */
public record Invocation(Route route, Map<String, String> attributes, ChatEvent event) {
  public Invocation {
    Objects.requireNonNull(route, "route");
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(event, "event");
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

  /** The id of the user who asked. */
  public String user() {
    return event.user();
  }

  /** The channel the request was made in. */
  public String channel() {
    return event.channel();
  }
}
