package ai.chatops.audit;

import ai.chatops.plugin.Invocation;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the audit log: who asked for which route where, with which attributes (credentials masked),
 * what came of it and how long it took. The router appends one per invocation, refusals included; read them
 * through {@link AuditLog}.
 *
 * @param time when the invocation ended (or was refused), by the router's clock
 * @param service the service that received the message, such as {@code slack}
 * @param eventId the platform's event id
 * @param workspace the workspace or team id, or the empty string
 * @param user the id of the user who asked
 * @param channel the channel the message came from
 * @param thread the thread, if the message was in one
 * @param route the route asked for, such as {@code /v1/jenkins/build}, or {@code audit} for the built-in
 *     command
 * @param attributes the attributes, with credentials replaced by {@link #MASK}
 * @param outcome what came of it
 * @param durationMillis how long the plugin call took by the router's clock; 0 for refusals
 * @param detail why it was refused or failed (the rule, the limit, the plugin's message), or empty
 * @param via what proposed the call: {@link Invocation#VIA_CHAT} for a chat message, or what the caller named
 *     (an agent's {@code mcp}, a model's {@code llm:<model>})
 */
public record AuditEntry(
    Instant time,
    String service,
    String eventId,
    String workspace,
    String user,
    String channel,
    Optional<String> thread,
    String route,
    Map<String, String> attributes,
    Outcome outcome,
    long durationMillis,
    String detail,
    String via) {

  /** What masked attribute values are replaced with. */
  public static final String MASK = "****";

  /** Checks that no component is null and copies the attributes. */
  public AuditEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(route, "route");
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(via, "via");
  }

  /** An entry for a call proposed by a chat message ({@link Invocation#VIA_CHAT}). */
  public AuditEntry(Instant time, String service, String eventId, String workspace, String user, String channel,
      Optional<String> thread, String route, Map<String, String> attributes, Outcome outcome, long durationMillis,
      String detail) {
    this(time, service, eventId, workspace, user, channel, thread, route, attributes, outcome, durationMillis,
        detail, Invocation.VIA_CHAT);
  }

  /** What came of an invocation. */
  public enum Outcome {
    /** The plugin returned an action. */
    DONE,
    /** The plugin threw, returned nothing, or could not connect. */
    FAILED,
    /** The plugin did not finish within the plugin timeout. */
    TIMED_OUT,
    /** An access rule (or the host's default policy, or the audit command's admin check) refused it. */
    DENIED,
    /** A rate limit refused it. */
    RATE_LIMITED;

    /** The lower-case name used in the JSON lines, such as {@code timed_out}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of a {@link #wireName()}. */
    public static Optional<Outcome> fromWireName(String name) {
      for (Outcome o : values()) {
        if (o.wireName().equals(name)) {
          return Optional.of(o);
        }
      }
      return Optional.empty();
    }
  }
}
