package ai.chatops.slack;

import ai.chatops.BadRequestException;
import ai.chatops.WebhookResponse;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.slack.internal.JsonTree;
import ai.chatops.slack.internal.SlackJson;
import ai.chatops.slack.internal.ThreadMemory;
import ai.chatops.toolkit.LogSafe;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events API part of {@link SlackInbound}: turns an {@code event_callback}'s mention or message into a
 * {@link ChatEvent}, and decides which channel messages are the bot's to take (see the service's class doc).
 * Reads the body as a {@link JsonTree}, so that the first event of a cold start loads no object mapper.
 * Thread-safe.
 */
final class SlackEvents {
  // The service's logger: the split into parts is no business of the host's logging configuration.
  private static final Logger log = LoggerFactory.getLogger(SlackService.class);
  /** How much outside text a log line or a refusal quotes: enough to recognise it, not enough to flood. */
  private static final int QUOTED_CHARS = 80;
  private static final Set<String> HANDLED_SUBTYPES =
      Set.of("", "thread_broadcast", "file_share", "bot_message", "me_message");

  /**
   * The top-level fields of a body this class reads (and {@code event}): the parser builds no others, so a
   * field read below must be listed here, or it reads as absent.
   */
  static final Set<String> BODY_FIELDS =
      Set.of("type", "challenge", "minute_rate_limited", "event_id", "team_id", "authorizations");
  /** The fields of the {@code event} object this class reads: as for {@link #BODY_FIELDS}, no others are built. */
  static final Set<String> EVENT_FIELDS =
      Set.of("type", "subtype", "text", "channel", "channel_type", "thread_ts", "ts", "user", "bot_id");

  private final String name;
  private final Clock clock;
  private final String botUserId;
  private final String botId;
  private final boolean replyInThread;
  private final boolean respondToAllChannelMessages;
  private final ThreadMemory threads;

  SlackEvents(SlackService.Builder b, ThreadMemory threads) {
    this.name = b.name;
    this.clock = b.clock;
    this.botUserId = b.botUserId;
    this.botId = b.botId;
    this.replyInThread = b.replyInThread;
    this.respondToAllChannelMessages = b.respondToAllChannelMessages;
    this.threads = threads;
  }

  /**
   * Answers a {@code url_verification}, notes an {@code app_rate_limited}, and takes an
   * {@code event_callback}'s message or mention.
   *
   * @param rawEvent the {@code event} object as sent (null only when the body has no {@code event} object)
   * @throws BadRequestException 400 when the body is not an Events API request Slack would send
   */
  Received receive(
      Map<String, Object> root, String rawEvent, Optional<String> retryNum, Optional<String> retryReason) {
    String type = JsonTree.text(root, "type");
    switch (type) {
      case "url_verification":
        String challenge = JsonTree.text(root, "challenge");
        if (challenge.isEmpty()) {
          throw new BadRequestException(400, "url_verification without a challenge");
        }
        return Received.respond(WebhookResponse.json(200, SlackJson.object(Map.of("challenge", challenge))));
      case "app_rate_limited":
        log.warn("Slack is rate-limiting events to this app (minute {})",
            LogSafe.clean(minute(JsonTree.path(root, "minute_rate_limited")), QUOTED_CHARS));
        return Received.ack();
      case "event_callback":
        return receiveCallback(root, rawEvent, retryNum, retryReason);
      default:
        throw new BadRequestException(400,
            "unknown Events API request type '" + LogSafe.clean(type, QUOTED_CHARS) + "'");
    }
  }

  private Received receiveCallback(
      Map<String, Object> root, String rawEvent, Optional<String> retryNum, Optional<String> retryReason) {
    String eventId = JsonTree.text(root, "event_id");
    if (eventId.isEmpty()) {
      throw new BadRequestException(400, "event_callback without an event_id");
    }
    Object event = JsonTree.path(root, "event");
    if (!JsonTree.isObject(event)) {
      throw new BadRequestException(400,
          "event " + LogSafe.clean(eventId, QUOTED_CHARS) + ": event_callback without an event object");
    }
    if (retryNum.isPresent()) {
      String reason = retryReason.isPresent() && !retryReason.get().isEmpty() ? retryReason.get()
          : "no reason given";
      log.info("event slack/{}: Slack's retry {} ({})", LogSafe.clean(eventId, QUOTED_CHARS),
          LogSafe.clean(retryNum.get(), QUOTED_CHARS), LogSafe.clean(reason, QUOTED_CHARS));
    }
    String team = JsonTree.text(root, "team_id");
    String eventType = JsonTree.text(event, "type");
    String me = botUserId != null ? botUserId : botUserFrom(JsonTree.path(root, "authorizations"));
    switch (eventType) {
      case "app_mention":
        if (isDirect(event)) {
          // In a direct message the message.im event carries the same words.
          return ignore(eventId, "an app_mention in a direct message, handled as a message");
        }
        return Received.ack(message(eventId, team, event, rawEvent, me));
      case "message":
        return receiveMessage(eventId, team, event, rawEvent, me);
      default:
        log.info("event slack/{}: ignoring event type '{}'",
            LogSafe.clean(eventId, QUOTED_CHARS), LogSafe.clean(eventType, QUOTED_CHARS));
        return Received.ack();
    }
  }

  /** A {@code message} event: taken unless it is a subtype, a mention's twin, or not addressed to the bot. */
  private Received receiveMessage(String eventId, String team, Object event, String rawEvent, String me) {
    String subtype = JsonTree.text(event, "subtype");
    if (!HANDLED_SUBTYPES.contains(subtype)) {
      return ignore(eventId, "a message of subtype " + subtype);
    }
    if (!isDirect(event)) {
      String text = JsonTree.text(event, "text");
      if (me != null && text.contains("<@" + me + ">") || me != null && text.contains("<@" + me + "|")) {
        return ignore(eventId, "a channel message mentioning the bot, handled as its app_mention");
      }
      String channel = JsonTree.text(event, "channel");
      String thread = JsonTree.text(event, "thread_ts");
      boolean botThread = !thread.isEmpty() && threads.isBotThread(team, channel, thread);
      if (!respondToAllChannelMessages && !botThread) {
        return ignore(eventId, "a channel message not addressed to the bot");
      }
    }
    return Received.ack(message(eventId, team, event, rawEvent, me));
  }

  private static Received ignore(String eventId, String why) {
    log.debug("event slack/{}: ignored: {}", LogSafe.clean(eventId, QUOTED_CHARS), LogSafe.clean(why, QUOTED_CHARS));
    return Received.ack();
  }

  private static boolean isDirect(Object event) {
    String channelType = JsonTree.text(event, "channel_type");
    return channelType.equals("im") || channelType.isEmpty() && JsonTree.text(event, "channel").startsWith("D");
  }

  private static String botUserFrom(Object authorizations) {
    for (Object a : JsonTree.elements(authorizations)) {
      if (JsonTree.bool(JsonTree.path(a, "is_bot")) && !JsonTree.text(a, "user_id").isEmpty()) {
        return JsonTree.text(a, "user_id");
      }
    }
    return null;
  }

  /** {@code JsonNode.asText()} of the field: as {@code asText("")}, but "null" for a JSON null. */
  private static String minute(Object value) {
    return value == JsonTree.NULL ? "null" : JsonTree.text(value);
  }

  private ChatEvent message(String eventId, String team, Object event, String rawEvent, String me) {
    String user = JsonTree.text(event, "user");
    String bot = JsonTree.text(event, "bot_id");
    String channel = JsonTree.text(event, "channel");
    if (channel.isEmpty()) {
      throw new BadRequestException(400,
          "event " + LogSafe.clean(eventId, QUOTED_CHARS) + ": the message has no channel");
    }
    ChatEvent.Sender sender = ChatEvent.Sender.USER;
    if (me != null && me.equals(user) || botId != null && botId.equals(bot)) {
      sender = ChatEvent.Sender.SELF;
    } else if (!bot.isEmpty() || JsonTree.text(event, "subtype").equals("bot_message")) {
      sender = ChatEvent.Sender.BOT;
    }
    if (user.isEmpty()) {
      user = bot.isEmpty() ? "unknown" : bot;
    }
    String ts = JsonTree.text(event, "ts");
    String thread = JsonTree.text(event, "thread_ts");
    if (thread.isEmpty() && replyInThread && !isDirect(event) && !ts.isEmpty()) {
      thread = ts;
    }
    return ChatEvent.builder(name, eventId)
        .workspace(team)
        .channel(channel)
        .user(user)
        .text(JsonTree.text(event, "text"))
        .thread(thread.isEmpty() ? null : thread)
        .time(time(ts))
        .sender(sender)
        .raw(rawEvent)
        .build();
  }

  /** A Slack {@code ts} ("1700000000.000100": seconds, a dot, microseconds) as an instant; now if malformed. */
  private Instant time(String ts) {
    int dot = ts.indexOf('.');
    String whole = dot < 0 ? ts : ts.substring(0, dot);
    String fraction = dot < 0 ? "" : ts.substring(dot + 1);
    if (whole.isEmpty() || whole.length() > 12 || fraction.length() > 9 || !digits(whole) || !digits(fraction)) {
      return clock.instant();
    }
    long nanos = fraction.isEmpty() ? 0 : Long.parseLong(fraction);
    for (int i = fraction.length(); i < 9; i++) {
      nanos *= 10;
    }
    return Instant.ofEpochSecond(Long.parseLong(whole), nanos);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
