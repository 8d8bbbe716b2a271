package ai.chatops.service;

import ai.chatops.BadRequestException;
import ai.chatops.WebhookRequest;
import java.util.Set;

/**
 * A chat platform's side of the bot (the proposal's "service handler"): it is mounted at a path on the
 * router, verifies and parses the platform's requests into {@link ChatEvent}s, and delivers the bot's
 * replies back to the platform.
 *
 * <p>Register handlers explicitly with {@code EventRouter.builder().service(handler)}. Discovery through
 * {@link java.util.ServiceLoader} is an opt-in ({@code EventRouter.Builder.discoverServices}); discovered
 * handlers need a public no-argument constructor and usually read their settings from the host, so explicit
 * registration is the normal path.
 *
 * <p>Implementations are thread-safe: the router calls {@link #receive} on the host's request threads and
 * {@link #deliver} on its worker threads, concurrently.
 */
public interface ServiceHandler {
  /** A short lower-case name, unique per router, such as {@code slack}; it prefixes dedupe keys. */
  String name();

  /** The request path this handler is mounted at, such as {@code /slack/events}. */
  String path();

  /** The HTTP methods this handler accepts; others get 405. Defaults to POST. */
  default Set<String> methods() {
    return Set.of("POST");
  }

  /**
   * Verifies and parses one request. Runs on the acknowledgement path: it must not make network calls or
   * block on anything slow.
   *
   * @return the immediate response and the events to process
   * @throws BadRequestException when the request is unauthenticated (401), malformed (400), of the wrong
   *     content type (415) or otherwise refused; the router answers with its status and reason
   */
  Received receive(WebhookRequest request);

  /**
   * Delivers a reply into a conversation. Called on the router's worker threads; may block on the network.
   *
   * @throws ai.chatops.ChatOpsException when the platform refuses or cannot be reached; the router logs it
   */
  void deliver(Conversation conversation, Reply reply);
}
