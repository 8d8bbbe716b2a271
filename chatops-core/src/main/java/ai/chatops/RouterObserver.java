package ai.chatops;

import ai.chatops.audit.AuditEntry;
import ai.chatops.service.ChatEvent;
import java.time.Duration;
import java.util.Locale;

/**
 * Hears what the router decides, for metrics and traces: each request's fate on the acknowledgement path, the
 * processing of each event on a worker, each NLU answer and each plugin call's outcome. Set on the builder
 * with {@link EventRouter.Builder#observer}; every method has a no-op default, so an observer implements only
 * what it needs. Core depends on no metrics or tracing library: {@code chatops-spring-boot-starter} binds
 * this to Micrometer and OpenTelemetry, and a host may bind it to anything else.
 *
 * <p>Plugin calls can also be observed around the call itself with an {@link ai.chatops.plugin.Interceptor}
 * (a tracing span that the plugin's own HTTP calls nest in); {@link #invocationCompleted} is the one place
 * that hears every outcome, including the refusals decided before the host's interceptors run.
 *
 * <p>Contract: methods are called on the router's threads (the host's request thread for
 * {@link #eventReceived}, a worker for the rest) and must be thread-safe, quick and non-blocking: they run
 * on the acknowledgement path. An exception thrown by an observer is logged and otherwise ignored. The
 * arguments carry ids and routes; observers must not export message text or attribute values, which may be
 * private.
 */
public interface RouterObserver {
  /** What became of a request or an event on the acknowledgement path. */
  enum EventOutcome {
    /** Recorded and handed to the workers (or the dispatcher): the platform was told it was received. */
    ACCEPTED,
    /** A redelivery of an event already received: acknowledged, not processed again. */
    DUPLICATE,
    /** The service refused the request (bad signature, stale timestamp, malformed, too large). */
    REJECTED,
    /** The router could not take the event now (workers saturated, store down, shutting down): 503, retried. */
    OVERLOADED;

    /** The lower-case name used in metric tags: {@code accepted}, {@code duplicate}... */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the NLU engine made of a message. */
  enum NluOutcome {
    /** It named a route. */
    UNDERSTOOD,
    /** It could not tell. */
    NOT_UNDERSTOOD,
    /** It failed (its service down); the user was told the bot cannot understand free text now. */
    FAILED;

    /** The lower-case name used in metric tags. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One attempt of an outbound HTTP call that a plugin or a chat service made through {@link
   * ai.chatops.http.Requester} while an event was processed (a Jenkins request, a Slack reply): what a trace's
   * client span needs, and nothing that may be secret or private (no query, no header, no body).
   *
   * @param method the HTTP method, such as {@code POST}
   * @param host the remote host, such as {@code slack.com}
   * @param path the URL's path without its query, such as {@code /api/chat.postMessage}; ends in {@code
   *     /{secret}} instead when the requester was told its paths hold a credential (a Slack {@code
   *     response_url})
   * @param status the response's status, or 0 when no response arrived (refused, reset, timed out)
   * @param attempt 1 for the first attempt, 2 for the first retry...
   * @param took from sending the request until its response was read (or it failed)
   */
  record OutboundCall(String method, String host, String path, int status, int attempt, Duration took) {
    /** Checks that nothing is null and the numbers make sense. */
    public OutboundCall {
      java.util.Objects.requireNonNull(method, "method");
      java.util.Objects.requireNonNull(host, "host");
      java.util.Objects.requireNonNull(path, "path");
      java.util.Objects.requireNonNull(took, "took");
      if (status < 0 || attempt < 1) {
        throw new IllegalArgumentException("status must be 0 or more and attempt 1 or more but were " + status
            + " and " + attempt);
      }
    }
  }

  /** Ends what {@link #processing} began; closed exactly once, on the thread that began it. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** A scope that does nothing. */
    Scope NONE = () -> {};

    @Override
    void close();

    /**
     * Keeps the event's processing open past this scope: called on this scope's thread, before it is closed,
     * when the event goes on later on another thread (a plugin call still pending when its worker is freed;
     * the reply is delivered when it completes). The continuation is opened at most once, on the thread that
     * carries on; the event's processing ends when this scope and the continuation's scope are both closed.
     * The default continues in nothing: an observer that ends its work when this scope closes sees the rest of
     * the event outside it.
     */
    default Continuation continuation() {
      return Continuation.NONE;
    }
  }

  /** The rest of an event's processing, on another thread: see {@link Scope#continuation()}. */
  @FunctionalInterface
  interface Continuation {
    /** A continuation that opens a scope doing nothing. */
    Continuation NONE = () -> Scope.NONE;

    /** Opens the rest of the event's processing on this thread; the scope is closed on this thread. */
    Scope open();
  }

  /**
   * A request to a service's path, or an event submitted, met {@code outcome} on the acknowledgement path.
   *
   * @param service the service's name, such as {@code slack}
   * @param event the event, or null when the request was refused before an event was parsed ({@link
   *     EventOutcome#REJECTED}, and {@link EventOutcome#OVERLOADED} while shutting down)
   */
  default void eventReceived(String service, ChatEvent event, EventOutcome outcome) {}

  /**
   * A worker begins processing {@code event} (the dialog, the plugin call, the delivery of the reply); the
   * returned scope is closed when it ends. NLU answers and plugin calls of the event are reported in between,
   * on the same thread.
   */
  default Scope processing(ChatEvent event) {
    return Scope.NONE;
  }

  /**
   * The NLU engine answered (or failed) after {@code took}.
   *
   * @param engine a short name of the engine: {@code local}, {@code dialogflow}, or the class's simple name
   */
  default void nluCompleted(String engine, NluOutcome outcome, Duration took) {}

  /**
   * A plugin call ended, or was refused, as its audit entry says: the entry's outcome (done, failed, timed
   * out, denied, rate limited), route and duration. Calls from chat and from {@link EventRouter#invoke} alike.
   *
   * @param plugin the name of the plugin serving the route, or the route itself when no plugin serves it
   *     (the built-in {@code audit} command)
   */
  default void invocationCompleted(String plugin, AuditEntry entry) {}

  /**
   * An outbound HTTP call made through {@link ai.chatops.http.Requester} during the processing of an event
   * (between {@link #processing} and the close of its scope, on the same thread) ended: the plugin's calls of
   * its remote API, the service's delivery of the reply. Reported once per attempt, after its response was read
   * or it failed; calls made outside an event's processing (follow-up polls, {@link
   * EventRouter#invoke}) are not reported.
   */
  default void outboundCompleted(OutboundCall call) {}

  /** An observer that hears nothing. */
  static RouterObserver none() {
    return new RouterObserver() {};
  }
}
