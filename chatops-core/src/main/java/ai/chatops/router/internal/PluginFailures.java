package ai.chatops.router.internal;

import ai.chatops.PluginFailedException;
import ai.chatops.PluginTimeoutException;
import ai.chatops.access.AccessRefusedException;
import ai.chatops.plugin.internal.RealInvocationChain;
import ai.chatops.toolkit.LogSafe;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the user is told when a plugin call fails, and the log line that goes with it: the message of a
 * {@link PluginFailedException} (refusals and timeouts included), or a short apology with the event id for
 * anything else, whose stack trace goes to the log only.
 */
final class PluginFailures {
  private static final Logger log = LoggerFactory.getLogger(PluginFailures.class);

  private PluginFailures() {}

  /** The failure inside a {@link CompletionException}, or {@code failure} itself. */
  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /**
   * The reply for a call of {@code what} ("jenkins build") that failed with {@code error}, logged.
   *
   * @param ref the event's reference for the log
   */
  static String reply(Throwable error, String what, String eventId, String ref) {
    if (error instanceof AccessRefusedException) {
      log.info("event {}: {} refused: {}", ref, what, LogSafe.clean(error.getMessage()));
      return error.getMessage();
    }
    if (error instanceof PluginTimeoutException) {
      return error.getMessage(); // logged at the deadline
    }
    if (error instanceof PluginFailedException) {
      log.info("event {}: {} failed: {}", ref, what, LogSafe.clean(error.getMessage()));
      return error.getMessage();
    }
    if (error instanceof RealInvocationChain.NothingReturnedException) {
      log.error("event {}: {} returned null", ref, what);
      return "Sorry, " + what + " returned nothing (event " + eventId + ").";
    }
    log.error("event {}: {} threw", ref, what, error);
    return "Sorry, " + what + " failed with an internal error (event " + eventId + ").";
  }
}
