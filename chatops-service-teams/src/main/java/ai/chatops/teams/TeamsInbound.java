package ai.chatops.teams;

import ai.chatops.BadRequestException;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.teams.internal.Activities;
import ai.chatops.teams.internal.Activities.Activity;
import ai.chatops.teams.internal.AdaptiveCards;
import ai.chatops.teams.internal.References;
import ai.chatops.teams.internal.TokenCheck;
import ai.chatops.teams.internal.Urls;
import ai.chatops.toolkit.JsonLimits;
import ai.chatops.toolkit.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half of {@link TeamsService}: checks the Bot Connector's token, reads the activity, and turns
 * messages, card clicks and the bot's arrival into {@link ChatEvent}s, as the service's class doc describes.
 * Makes no network call; writes a conversation's reference to the store the first time it is seen.
 * Thread-safe.
 */
final class TeamsInbound {
  // The service's logger: the split into parts is no business of the host's logging configuration.
  private static final Logger log = LoggerFactory.getLogger(TeamsService.class);
  private static final ObjectMapper JSON = JsonLimits.mapper();
  private static final int QUOTED_CHARS = 80;
  /** What anyone but the asker hears when they click the asker's choices: the router's words for it. */
  static final String NOT_YOUR_CHOICE =
      "Those choices are for the user who asked; say what you want yourself, or `help`.";

  private final String name;
  private final TokenCheck tokens;
  private final References references;
  private final Set<String> allowedTenants;
  private final Clock clock;

  TeamsInbound(String name, TokenCheck tokens, References references, Set<String> allowedTenants, Clock clock) {
    this.name = name;
    this.tokens = tokens;
    this.references = references;
    this.allowedTenants = Set.copyOf(allowedTenants);
    this.clock = clock;
  }

  Received receive(WebhookRequest request) {
    List<String> authorization =
        request.headers().getOrDefault("authorization", List.of());
    if (authorization.size() > 1) {
      throw new BadRequestException(401, "unauthenticated: Authorization must be sent once but was sent "
          + authorization.size() + " times");
    }
    TokenCheck.Verified token = tokens.verify(authorization.isEmpty() ? null : authorization.get(0));
    String type = request.header("Content-Type").orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")) {
      throw new BadRequestException(415, "Content-Type must be application/json but was "
          + (type.isEmpty() ? "missing" : LogSafe.clean(type, QUOTED_CHARS)));
    }
    byte[] body = request.body();
    Activity activity = Activities.parse(body);
    token.checkActivity(activity.channelId(), activity.serviceUrl());
    if (Urls.allowed(activity.serviceUrl()).isEmpty()) {
      throw new BadRequestException(400, "the activity's serviceUrl must be https");
    }
    if (!allowedTenants.isEmpty() && !allowedTenants.contains(activity.tenant())) {
      throw new BadRequestException(403, "this bot does not serve tenant '"
          + LogSafe.clean(activity.tenant(), QUOTED_CHARS) + "'");
    }
    // The activity as sent: it holds no secret (the token is in the header).
    String raw = new String(body, StandardCharsets.UTF_8);
    switch (activity.type()) {
      case "message":
        return message(activity, raw);
      case "invoke":
        return invoke(activity, raw);
      case "conversationUpdate":
        return conversationUpdate(activity, raw);
      default:
        log.debug("activity {}: ignoring type '{}'", ref(activity), LogSafe.clean(activity.type(), QUOTED_CHARS));
        return Received.ack();
    }
  }

  private Received message(Activity activity, String raw) {
    requireAddress(activity);
    Optional<String> clicked = AdaptiveCards.clicked(activity.value());
    String text = clicked.orElseGet(() -> Activities.words(activity.text()));
    return remembered(activity, Received.ack(event(activity, text, raw)));
  }

  private Received invoke(Activity activity, String raw) {
    if (!activity.name().equals("adaptiveCard/action")) {
      log.info("activity {}: no answer to invoke '{}'", ref(activity), LogSafe.clean(activity.name(), QUOTED_CHARS));
      return Received.respond(WebhookResponse.json(501, "{}"));
    }
    requireAddress(activity);
    JsonNode action = activity.value().path("action");
    Optional<String> clicked = AdaptiveCards.clicked(action.path("data"));
    if (clicked.isEmpty()) {
      log.info("activity {}: ignoring a click on a card the bot did not send", ref(activity));
      return Received.respond(invokeResponse("This card has nothing more to do."));
    }
    Optional<String> asker = AdaptiveCards.asker(action.path("data"));
    if (asker.isPresent() && !asker.get().equals(activity.user())) {
      // Answered in the invoke response, which only the clicking user sees; no event, so nothing runs. The
      // router would refuse the pick anyway (the choices are kept under the asker's conversation).
      log.info("activity {}: a click on choices offered to another user; answered, nothing run", ref(activity));
      return Received.respond(invokeResponse(NOT_YOUR_CHOICE));
    }
    return remembered(activity, new Received(invokeResponse("Got it."), List.of(event(activity, clicked.get(), raw))));
  }

  private Received conversationUpdate(Activity activity, String raw) {
    boolean botAdded = false;
    for (JsonNode member : activity.membersAdded()) {
      botAdded |= !activity.recipientId().isEmpty() && activity.recipientId().equals(Activities.text(member, "id"));
    }
    if (!botAdded) {
      return Received.ack();
    }
    requireAddress(activity);
    // An empty message: the dialog's greeting ("Hi! Say `help` to see what I can do."), delivered and
    // deduplicated like any answer.
    return remembered(activity, Received.ack(event(activity, "", raw)));
  }

  /** The Adaptive Card invoke response: a message the client shows where the user clicked. */
  private static WebhookResponse invokeResponse(String message) {
    return WebhookResponse.json(200, JSON.createObjectNode().put("statusCode", 200)
        .put("type", "application/vnd.microsoft.activity.message").put("value", message).toString());
  }

  private Received remembered(Activity activity, Received received) {
    try {
      references.remember(activity.tenant(), activity.channel(), activity.serviceUrl(), activity.id());
    } catch (RuntimeException e) {
      log.error("activity {}: the store could not keep the conversation's reference; asking to retry",
          ref(activity), e);
      return Received.respond(WebhookResponse.text(503, "the bot's store is unavailable; try again"));
    }
    return received;
  }

  private void requireAddress(Activity activity) {
    if (activity.id().isEmpty()) {
      throw new BadRequestException(400, "the " + activity.type() + " activity has no id");
    }
    if (activity.conversationId().isEmpty() || activity.channel().isEmpty()) {
      throw new BadRequestException(400, "activity " + ref(activity) + ": no conversation.id");
    }
    if (activity.fromId().isEmpty()) {
      throw new BadRequestException(400, "activity " + ref(activity) + ": no from.id");
    }
  }

  private ChatEvent event(Activity activity, String text, String raw) {
    ChatEvent.Sender sender = ChatEvent.Sender.USER;
    if (activity.fromId().equals(activity.recipientId())) {
      sender = ChatEvent.Sender.SELF;
    } else if (activity.fromRole().equals("bot")) {
      sender = ChatEvent.Sender.BOT;
    }
    return ChatEvent.builder(name, activity.id())
        .workspace(activity.tenant())
        .channel(activity.channel())
        .thread(activity.thread().orElse(null))
        .user(activity.user())
        .text(text)
        .time(activity.timestamp().orElseGet(clock::instant))
        .sender(sender)
        .raw(raw)
        .build();
  }

  private String ref(Activity activity) {
    return LogSafe.ref(name, activity.id());
  }
}
