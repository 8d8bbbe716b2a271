package ai.chatops.x;

import ai.chatops.BadRequestException;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.toolkit.HmacSignature;
import ai.chatops.toolkit.JsonLimits;
import ai.chatops.toolkit.LogSafe;
import ai.chatops.toolkit.QueryString;
import ai.chatops.x.internal.AccountActivity;
import ai.chatops.x.internal.AccountActivity.DirectMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half of {@link XService}: answers the CRC, checks each delivery's signature, and turns the
 * direct messages sent to the bot into {@link ChatEvent}s, as the service's class doc describes. Makes no
 * network call. Thread-safe.
 */
final class XInbound {
  // The service's logger: the split into parts is no business of the host's logging configuration.
  private static final Logger log = LoggerFactory.getLogger(XService.class);
  private static final int QUOTED_CHARS = 80;
  /** X's CRC tokens are short; a longer one is refused rather than signed. */
  private static final int MAX_CRC_TOKEN_CHARS = 1000;

  private final String name;
  private final HmacSignature signature;
  private final String botUserId;

  XInbound(String name, HmacSignature signature, String botUserId) {
    this.name = name;
    this.signature = signature;
    this.botUserId = botUserId;
  }

  Received receive(WebhookRequest request) {
    return request.method().equals("GET") ? crc(request) : delivery(request);
  }

  /** {@code GET ?crc_token=T}: {@code {"response_token": "sha256=" + base64(HMAC-SHA256(secret, T))}}. */
  private Received crc(WebhookRequest request) {
    String token = QueryString.single(QueryString.parse(request.query()), "crc_token");
    if (token.isEmpty()) {
      throw new BadRequestException(400, "a CRC request needs one crc_token query parameter");
    }
    if (token.length() > MAX_CRC_TOKEN_CHARS) {
      throw new BadRequestException(400, "crc_token must have at most " + MAX_CRC_TOKEN_CHARS + " characters");
    }
    String answer = JsonLimits.mapper().createObjectNode()
        .put("response_token", signature.sign(token.getBytes(StandardCharsets.UTF_8))).toString();
    log.info("answered X's challenge-response check for {}", name);
    return Received.respond(WebhookResponse.json(200, answer));
  }

  private Received delivery(WebhookRequest request) {
    byte[] body = request.body();
    signature.verify(request.headers().getOrDefault(signature.header(), List.of()), body);
    String type = request.header("Content-Type").orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")) {
      throw new BadRequestException(415, "Content-Type must be application/json but was "
          + (type.isEmpty() ? "missing" : LogSafe.clean(type, QUOTED_CHARS)));
    }
    AccountActivity.Delivery delivery = AccountActivity.parse(body);
    if (!delivery.forUserId().equals(botUserId)) {
      log.warn("ignoring a delivery for user {}, not this bot's account",
          LogSafe.clean(delivery.forUserId(), QUOTED_CHARS));
      return Received.ack();
    }
    List<ChatEvent> events = new ArrayList<>();
    for (DirectMessage message : delivery.messages()) {
      event(message).ifPresent(events::add);
    }
    return new Received(WebhookResponse.ok(), events);
  }

  private Optional<ChatEvent> event(DirectMessage message) {
    if (message.senderId().equals(botUserId)) {
      return Optional.empty(); // the bot's own message, echoed to its account
    }
    if (message.id().isEmpty() || message.senderId().isEmpty()) {
      log.warn("{}: ignoring a direct message without {}", LogSafe.ref(name, message.id()),
          message.id().isEmpty() ? "an id" : "a sender_id");
      return Optional.empty();
    }
    if (!message.recipientId().equals(botUserId)) {
      log.warn("{}: ignoring a direct message to {}, not to the bot", LogSafe.ref(name, message.id()),
          LogSafe.clean(message.recipientId(), QUOTED_CHARS));
      return Optional.empty();
    }
    if (message.text().isBlank()) {
      return Optional.empty(); // media alone: nothing to read
    }
    return Optional.of(ChatEvent.builder(name, message.id())
        .workspace(botUserId)
        .channel(message.senderId())
        .user(message.senderId())
        .text(message.text())
        .time(Instant.ofEpochMilli(message.createdMillis()))
        .raw(message.raw())
        .build());
  }
}
