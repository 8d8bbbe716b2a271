package ai.chatops.dialog;

import ai.chatops.plugin.Route;
import ai.chatops.service.Reply;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the dialog chain made of a message: invoke a route with attributes, reply directly (help, a
 * question, an error the user can fix), or ignore it (a bot's message). Immutable.
 */
public final class Outcome {
  /** The three kinds of outcome. */
  public enum Kind {
    INVOKE,
    REPLY,
    IGNORE
  }

  private final Kind kind;
  private final Route route;
  private final Map<String, String> attributes;
  private final double confidence;
  private final Reply reply;
  private final String reason;
  private final String via;

  private Outcome(
      Kind kind, Route route, Map<String, String> attributes, double confidence, Reply reply, String reason) {
    this(kind, route, attributes, confidence, reply, reason, ai.chatops.plugin.Invocation.VIA_CHAT);
  }

  private Outcome(Kind kind, Route route, Map<String, String> attributes, double confidence, Reply reply,
      String reason, String via) {
    this.via = Objects.requireNonNull(via, "via");
    this.kind = kind;
    this.route = route;
    this.attributes = Map.copyOf(attributes);
    this.confidence = confidence;
    this.reply = reply;
    this.reason = reason;
  }

  /**
   * Invoke {@code route} with {@code attributes}.
   *
   * @param confidence how sure the step is, from 0 to 1 (1 for the explicit command grammar)
   */
  public static Outcome invoke(Route route, Map<String, String> attributes, double confidence) {
    Objects.requireNonNull(route, "route");
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be within 0..1 but was " + confidence);
    }
    return new Outcome(Kind.INVOKE, route, attributes, confidence, null, "");
  }

  /**
   * Invoke {@code route} with {@code attributes}, proposed by {@code via} (such as {@code llm:gpt-4o}) rather
   * than typed by the user; the invocation and its audit entry keep it.
   */
  public static Outcome invoke(Route route, Map<String, String> attributes, double confidence, String via) {
    Outcome outcome = invoke(route, attributes, confidence);
    return new Outcome(Kind.INVOKE, route, outcome.attributes, confidence, null, "", via);
  }

  /** Answer the user directly. */
  public static Outcome reply(Reply reply) {
    return new Outcome(Kind.REPLY, null, Map.of(), 0, Objects.requireNonNull(reply, "reply"), "");
  }

  /** Answer the user directly with text. */
  public static Outcome reply(String text) {
    return reply(Reply.text(text));
  }

  /** Say nothing; {@code reason} goes to the debug log. */
  public static Outcome ignore(String reason) {
    return new Outcome(Kind.IGNORE, null, Map.of(), 0, null, Objects.requireNonNull(reason, "reason"));
  }

  public Kind kind() {
    return kind;
  }

  /** The route to invoke, for {@link Kind#INVOKE}. */
  public Optional<Route> route() {
    return Optional.ofNullable(route);
  }

  /** The attributes for the route; empty for other kinds. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** The resolving step's confidence, for {@link Kind#INVOKE}; 0 otherwise. */
  public double confidence() {
    return confidence;
  }

  /** What proposed the route, for {@link Kind#INVOKE}: {@code chat} unless a model or agent did. */
  public String via() {
    return via;
  }

  /** The reply, for {@link Kind#REPLY}. */
  public Optional<Reply> reply() {
    return Optional.ofNullable(reply);
  }

  /** Why the message was ignored, for {@link Kind#IGNORE}; empty otherwise. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    switch (kind) {
      case INVOKE:
        return "Outcome{INVOKE " + route.path() + " " + attributes.keySet() + "}";
      case REPLY:
        return "Outcome{REPLY " + reply + "}";
      default:
        return "Outcome{IGNORE " + reason + "}";
    }
  }
}
