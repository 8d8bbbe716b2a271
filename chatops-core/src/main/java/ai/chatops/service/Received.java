package ai.chatops.service;

import ai.chatops.WebhookResponse;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ServiceHandler} made of a verified request: the response to send back at once, and the chat
 * events to process after it. A challenge answer has no events; a message has one.
 *
 * @param response the immediate answer to the platform
 * @param events the events to deduplicate and process asynchronously, possibly none
 */
public record Received(WebhookResponse response, List<ChatEvent> events) {
  public Received {
    Objects.requireNonNull(response, "response");
    events = List.copyOf(events);
  }

  /** An answer with nothing to process, such as a verification challenge. */
  public static Received respond(WebhookResponse response) {
    return new Received(response, List.of());
  }

  /** A plain 200 acknowledgement for the given events. */
  public static Received ack(ChatEvent... events) {
    return new Received(WebhookResponse.ok(), List.of(events));
  }
}
