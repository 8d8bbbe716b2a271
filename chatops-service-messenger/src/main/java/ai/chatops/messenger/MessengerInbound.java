package ai.chatops.messenger;

import ai.chatops.BadRequestException;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.messenger.internal.Messaging;
import ai.chatops.messenger.internal.Messaging.Item;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.toolkit.HmacSignature;
import ai.chatops.toolkit.LogSafe;
import ai.chatops.toolkit.QueryString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half of {@link MessengerService}: answers the verification handshake, checks each delivery's
 * signature, and turns the batch's messages, quick replies and postbacks into {@link ChatEvent}s, as the
 * service's class doc describes. Makes no network call. Thread-safe.
 */
final class MessengerInbound {
  // The service's logger: the split into parts is no business of the host's logging configuration.
  private static final Logger log = LoggerFactory.getLogger(MessengerService.class);
  private static final int QUOTED_CHARS = 80;
  /** Meta's challenges are short numbers; anything longer is not echoed. */
  private static final int MAX_CHALLENGE_CHARS = 200;

  private final String name;
  private final HmacSignature signature;
  private final byte[] verifyToken;
  private final Optional<String> pageId;

  MessengerInbound(String name, HmacSignature signature, String verifyToken, Optional<String> pageId) {
    this.name = name;
    this.signature = signature;
    this.verifyToken = verifyToken.getBytes(StandardCharsets.UTF_8);
    this.pageId = pageId;
  }

  Received receive(WebhookRequest request) {
    return request.method().equals("GET") ? handshake(request) : delivery(request);
  }

  /** {@code GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…}: the challenge when the token matches. */
  private Received handshake(WebhookRequest request) {
    Map<String, List<String>> query = QueryString.parse(request.query());
    String mode = QueryString.single(query, "hub.mode");
    String token = QueryString.single(query, "hub.verify_token");
    String challenge = QueryString.single(query, "hub.challenge");
    boolean tokenMatches = MessageDigest.isEqual(verifyToken, token.getBytes(StandardCharsets.UTF_8));
    if (!mode.equals("subscribe") || !tokenMatches) {
      log.warn("refused a webhook verification: {}", !mode.equals("subscribe")
          ? "hub.mode is not subscribe" : "hub.verify_token does not match");
      return Received.respond(WebhookResponse.text(403, "forbidden: hub.mode must be subscribe and"
          + " hub.verify_token the verify token set for this webhook"));
    }
    if (challenge.isEmpty() || challenge.length() > MAX_CHALLENGE_CHARS
        || !challenge.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw new BadRequestException(400, "hub.challenge must be 1 to " + MAX_CHALLENGE_CHARS
          + " printable ASCII characters");
    }
    log.info("answered Meta's webhook verification for {}", name);
    return Received.respond(WebhookResponse.text(200, challenge));
  }

  private Received delivery(WebhookRequest request) {
    byte[] body = request.body();
    signature.verify(request.headers().getOrDefault(signature.header().toLowerCase(Locale.ROOT), List.of()), body);
    String type = request.header("Content-Type").orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")) {
      throw new BadRequestException(415, "Content-Type must be application/json but was "
          + (type.isEmpty() ? "missing" : LogSafe.clean(type, QUOTED_CHARS)));
    }
    Messaging.Batch batch = Messaging.parse(body);
    if (!batch.object().equals("page")) {
      log.info("ignoring a webhook for object '{}': this service reads Messenger's (page)",
          LogSafe.clean(batch.object(), QUOTED_CHARS));
      return Received.ack();
    }
    List<ChatEvent> events = new ArrayList<>();
    for (Item item : batch.items()) {
      event(item).ifPresent(events::add);
    }
    return new Received(WebhookResponse.ok(), events);
  }

  private Optional<ChatEvent> event(Item item) {
    switch (item.kind()) {
      case MESSAGE:
      case POSTBACK:
        break;
      case ECHO:
      case RECEIPT:
        return Optional.empty();
      default:
        log.debug("{}: ignoring a messaging item that carries no text", ref(item));
        return Optional.empty();
    }
    if (pageId.isPresent() && !(pageId.get().equals(item.pageId()) && pageId.get().equals(item.recipientId()))) {
      log.warn("{}: ignoring a message for page {}, not this bot's page",
          ref(item), LogSafe.clean(item.recipientId(), QUOTED_CHARS));
      return Optional.empty();
    }
    if (item.id().isEmpty() || item.senderId().isEmpty() || item.recipientId().isEmpty()) {
      // One odd item must not cost the batch's other messages a refusal (and Meta's redeliveries).
      log.warn("{}: ignoring a messaging item without {}", ref(item), item.id().isEmpty() ? "a message id (mid)"
          : item.senderId().isEmpty() ? "sender.id" : "recipient.id");
      return Optional.empty();
    }
    if (item.senderId().equals(item.recipientId())) {
      return Optional.empty();
    }
    return Optional.of(ChatEvent.builder(name, item.id())
        .workspace(item.recipientId())
        .channel(item.senderId())
        .user(item.senderId())
        .text(item.text())
        .time(Instant.ofEpochMilli(Math.max(0, item.timestamp())))
        .raw(item.raw())
        .build());
  }

  private String ref(Item item) {
    return LogSafe.ref(name, item.id().isEmpty() ? "?" : item.id());
  }
}
