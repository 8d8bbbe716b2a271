package ai.chatops.nlu;

import java.util.Optional;

/**
 * Understands free text: turns a message into a route, attributes and a confidence. The router takes one
 * from its builder and consults it after the explicit command grammar found nothing. Implementations are
 * the embedded local engine and DialogFlow; tests use a scripted fake.
 *
 * <p>Implementations are thread-safe. They may call the network; failures surface as
 * {@link ai.chatops.ChatOpsException}, which the router turns into a plain "I can't understand right now"
 * reply.
 */
@FunctionalInterface
public interface NluEngine {
  /**
   * Interprets one message.
   *
   * @return what the message asks for, or empty when the engine cannot tell
   */
  Optional<NluResult> understand(NluQuery query);

  /**
   * The routes closest to a message the engine did not understand, most likely first, for "did you mean"
   * suggestions. The default suggests nothing.
   *
   * @param limit how many to return at most
   */
  default java.util.List<NluResult> closest(NluQuery query, int limit) {
    return java.util.List.of();
  }

  /** An engine that never understands anything: only the explicit command grammar works. */
  static NluEngine none() {
    return query -> Optional.empty();
  }
}
