package ai.chatops.slack;

import ai.chatops.BadRequestException;
import ai.chatops.ConfigurationException;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.http.ApiException;
import ai.chatops.toolkit.JsonLimits;
import ai.chatops.toolkit.LogSafe;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.slack.internal.BlockKit;
import ai.chatops.slack.internal.ChannelPacer;
import ai.chatops.slack.internal.ExpiringMap;
import ai.chatops.slack.internal.Forms;
import ai.chatops.slack.internal.Signatures;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack as a chat platform: the Events API, slash commands and interactivity (buttons), all on one request
 * URL ({@code /slack/events} by default), and replies through the Web API.
 *
 * <pre>{@code
 * SlackService slack = SlackService.builder()
 *     .signingSecret(signingSecret)
 *     .botToken(botToken)
 *     .replyInThread(true)
 *     .build();
 * EventRouter router = EventRouter.builder().service(slack).plugin(BotPlugin.create()).build();
 * }</pre>
 *
 * <h2>Inbound</h2>
 * Every request is verified first: {@code X-Slack-Signature} must be the {@code v0} HMAC-SHA256 of
 * {@code v0:<timestamp>:<raw body>} with the signing secret (compared in constant time), and
 * {@code X-Slack-Request-Timestamp} within 5 minutes of the clock, either way; otherwise 401 and nothing
 * is parsed. Then, by content type:
 * <ul>
 *   <li>JSON: {@code url_verification} is answered with its challenge; {@code event_callback} with an
 *       {@code app_mention}, or a {@code message} in a channel, private channel, direct message or group
 *       direct message, becomes a {@link ChatEvent} whose id is Slack's {@code event_id}, so the router
 *       skips retried deliveries. Other event types and message subtypes (edits, joins...) are acknowledged
 *       and ignored. A channel message that mentions the bot is left to its {@code app_mention} twin; one
 *       that does not is taken only in a thread the bot has spoken in (to answer its questions there), or
 *       always with {@link Builder#respondToAllChannelMessages}.</li>
 *   <li>Forms with {@code command}: a slash command. Slack gets an immediate short answer; the result goes
 *       later to the command's {@code response_url}.</li>
 *   <li>Forms with {@code payload}: interactivity. A click on a button the SDK sent (a confirmation, a
 *       choice) becomes a message from the clicking user, in the same channel and thread, whose text is the
 *       button's value, so the conversation goes on.</li>
 * </ul>
 * The bot's identity, to recognise its own messages (which carry no subtype), is its user id and bot id as
 * configured, or else the bot user of the event's {@code authorizations}. No network call is made while
 * receiving.
 *
 * <h2>Outbound</h2>
 * {@link #deliver} posts with {@code chat.postMessage}, in the conversation's thread when it has one, as
 * Block Kit with a plain-text fallback, paced to about one message per second per channel (the worker
 * thread waits for its turn). Replies to a slash command go to its {@code response_url} while it lasts
 * (Slack allows 5 uses within 30 minutes), then to the channel. Replies that share a {@link Reply#key()}
 * (a request and its follow-ups: "queued", "started", "SUCCESS") are one message that changes: the first is
 * posted, the later ones replace it with {@code chat.update} (or {@code replace_original} on a
 * response_url). The response URLs, the keyed messages and the threads the bot spoke in are remembered in
 * memory only, bounded: after a restart, a slash command's late result goes to the channel, a keyed reply is
 * posted anew, and a thread answer needs a mention.
 *
 * <p>Thread-safe. Secrets (signing secret, token) never appear in {@link #toString()}, logs or exceptions.
 */
public final class SlackService implements ServiceHandler {
  private static final Logger log = LoggerFactory.getLogger(SlackService.class);
  private static final ObjectMapper JSON = JsonLimits.mapper();
  private static final String SLASH_THREAD = "slash:";
  /** How much outside text a log line or a refusal quotes: enough to recognise it, not enough to flood. */
  private static final int QUOTED_CHARS = 80;
  private static final Set<String> HANDLED_SUBTYPES = Set.of("", "thread_broadcast", "file_share", "bot_message", "me_message");
  /** Slack's limit on one response_url. */
  private static final int RESPONSE_URL_USES = 5;
  private static final Duration RESPONSE_URL_LIFETIME = Duration.ofMinutes(30);
  /** How long a keyed reply can still be edited: as long as the longest follow-up is watched by default. */
  private static final Duration KEYED_MESSAGE_LIFETIME = Duration.ofHours(6);
  /** chat.update errors after which the reply is posted anew: the message is gone or can no longer be edited. */
  private static final Set<String> UPDATE_GONE = Set.of("message_not_found", "cant_update_message",
      "edit_window_closed", "channel_not_found", "is_archived");

  private final String name;
  private final String path;
  private final Signatures signatures;
  private final SlackApi api;
  private final Clock clock;
  private final String botUserId;
  private final String botId;
  private final boolean replyInThread;
  private final boolean respondToAllChannelMessages;
  private final boolean slashCommandsInChannel;
  private final String slashCommandAck;
  private final ChannelPacer pacer;
  private final ExpiringMap<ResponseUrl> responseUrls;
  private final ExpiringMap<Boolean> botThreads;
  private final ExpiringMap<Posted> keyedMessages;

  private record ResponseUrl(String url, int uses) {}

  /** Where the first reply of a key went: a message {@code ts} in a channel, or a response_url ({@code ts} null). */
  private record Posted(String channel, String ts) {}

  private SlackService(Builder b, String secret) {
    this.name = b.name;
    this.path = b.path;
    this.clock = b.clock;
    this.signatures = new Signatures(secret, b.clock);
    SlackApi.Builder api = SlackApi.builder().botToken(b.botToken).apiUrl(b.apiUrl);
    if (b.okHttpClient != null) {
      api.okHttpClient(b.okHttpClient);
    }
    this.api = api.build();
    this.botUserId = b.botUserId;
    this.botId = b.botId;
    this.replyInThread = b.replyInThread;
    this.respondToAllChannelMessages = b.respondToAllChannelMessages;
    this.slashCommandsInChannel = b.slashCommandsInChannel;
    this.slashCommandAck = b.slashCommandAck;
    this.pacer = new ChannelPacer(b.pacing);
    this.responseUrls = new ExpiringMap<>(b.clock, RESPONSE_URL_LIFETIME, 10_000);
    this.botThreads = new ExpiringMap<>(b.clock, b.threadMemory, 10_000);
    this.keyedMessages = new ExpiringMap<>(b.clock, KEYED_MESSAGE_LIFETIME, 10_000);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String path() {
    return path;
  }

  /** The Web API client this service replies with; share it to post elsewhere. */
  public SlackApi api() {
    return api;
  }

  /** Signs a body as Slack would at that time; for tests that build signed requests. */
  String sign(long timestamp, byte[] body) {
    return signatures.sign(timestamp, body);
  }

  /**
   * Parses the payload of a Socket Mode envelope ({@code events_api}, {@code slash_commands} or
   * {@code interactive}) exactly as the HTTP request Slack would have sent, without the signature check:
   * Socket Mode envelopes carry no signature, and are authenticated by the WebSocket that the app-level
   * token opened. Only {@link SlackSocketMode} calls it.
   *
   * @param retryAttempt the envelope's {@code retry_attempt}, 0 for a first delivery
   * @throws BadRequestException when the payload is malformed, as {@link #receive} would refuse it
   */
  Received receiveSocketEnvelope(String type, JsonNode payload, int retryAttempt, String retryReason) {
    if (!(payload instanceof ObjectNode)) {
      throw new BadRequestException(400, "the " + type + " envelope's payload must be a JSON object");
    }
    switch (type) {
      case "events_api":
        return receiveEvent((ObjectNode) payload, null,
            retryAttempt > 0 ? Optional.of(Integer.toString(retryAttempt)) : Optional.empty(),
            Optional.ofNullable(retryReason));
      case "slash_commands":
        Map<String, String> form = new java.util.LinkedHashMap<>();
        payload.properties().forEach(f -> form.put(f.getKey(), f.getValue().asText()));
        return receiveCommand(form);
      case "interactive":
        return receiveInteraction((ObjectNode) payload);
      default:
        throw new BadRequestException(400,
            "unknown Socket Mode envelope type '" + LogSafe.clean(type, QUOTED_CHARS) + "'");
    }
  }

  @Override
  public Received receive(WebhookRequest request) {
    byte[] body = request.body();
    once(request, "X-Slack-Request-Timestamp");
    once(request, "X-Slack-Signature");
    signatures.verify(
        request.header("X-Slack-Request-Timestamp"), request.header("X-Slack-Signature"), body);
    String type = request.header("Content-Type").orElse("")
        .split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    switch (type) {
      case "application/json":
        Forms.requireUtf8(body);
        EventsBody parsed = parseEventsBody(body);
        return receiveEvent(parsed.root(), parsed.rawEvent(), request.header("X-Slack-Retry-Num"),
            request.header("X-Slack-Retry-Reason"));
      case "application/x-www-form-urlencoded":
        Map<String, String> form = Forms.parse(body);
        if (form.containsKey("payload")) {
          return receiveInteraction(parseObject(form.get("payload"), "the payload field"));
        }
        if (form.containsKey("command")) {
          return receiveCommand(form);
        }
        throw new BadRequestException(400, "a form request needs a command or payload field");
      default:
        throw new BadRequestException(415, "Content-Type must be application/json or "
            + "application/x-www-form-urlencoded but was "
            + (type.isEmpty() ? "missing" : LogSafe.clean(type, QUOTED_CHARS)));
    }
  }

  // Two signatures or timestamps leave it open which one was checked: refuse rather than pick one.
  private static void once(WebhookRequest request, String header) {
    List<String> values = request.headers().getOrDefault(header.toLowerCase(Locale.ROOT), List.of());
    if (values.size() > 1) {
      throw new BadRequestException(401, header + " must be sent once but was sent " + values.size() + " times");
    }
  }

  /** An Events API body: the tree, and the {@code event} object exactly as it was sent (null: none). */
  private record EventsBody(ObjectNode root, String rawEvent) {}

  /**
   * Parses an Events API body straight from its bytes, keeping the original text of its {@code event}
   * object for {@link ChatEvent#raw()}, so that the tree need not be written back to JSON. The tree is what
   * {@code readTree} would build (a repeated field keeps its last value).
   */
  private static EventsBody parseEventsBody(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new EventsBody(parseObject(body, "the body"), null); // its own error message
      }
      ObjectNode root = JSON.createObjectNode();
      String rawEvent = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        long start = p.currentTokenLocation().getByteOffset();
        JsonNode node = p.readValueAsTree();
        if (field.equals("event")) {
          long end = p.currentLocation().getByteOffset();
          rawEvent = value == JsonToken.START_OBJECT && start >= 0 && end <= body.length
              ? new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8)
              : null;
        }
        root.set(field, node);
      }
      return new EventsBody(root, rawEvent);
    } catch (JsonProcessingException e) {
      throw invalidJson("the body", e);
    } catch (IOException e) {
      throw notJson("the body", e);
    }
  }

  private static ObjectNode parseObject(byte[] json, String what) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw invalidJson(what, e);
    } catch (IOException e) {
      throw notJson(what, e);
    }
    if (!(node instanceof ObjectNode)) {
      throw new BadRequestException(400, what + " must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /**
   * Reading a byte array fails only on its content: Jackson guesses the encoding from the first bytes, and a
   * body starting with NUL bytes (valid UTF-8, not JSON) is read as UTF-32 and refused with a
   * {@code CharConversionException}, which is no {@code JsonProcessingException}. Found by the fuzzer.
   */
  private static BadRequestException notJson(String what, IOException e) {
    return new BadRequestException(400, what + " is not valid JSON in UTF-8 (" + e.getClass().getSimpleName()
        + ")");
  }

  private static BadRequestException invalidJson(String what, JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      // Nesting, string, number or name over JsonLimits: Jackson's message names the limit and its value.
      return new BadRequestException(400, what + " exceeds a JSON limit: " + e.getOriginalMessage());
    }
    JsonLocation at = e.getLocation(); // null for some errors: a message must not fail to build
    return new BadRequestException(400, what + " is not valid JSON"
        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
  }

  private static ObjectNode parseObject(String json, String what) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw invalidJson(what, e);
    }
    if (!(node instanceof ObjectNode)) {
      throw new BadRequestException(400, what + " must be a JSON object");
    }
    return (ObjectNode) node;
  }

  // ---- Events API

  /** @param rawEvent the {@code event} object as sent, or null to write it from the tree */
  private Received receiveEvent(
      ObjectNode root, String rawEvent, Optional<String> retryNum, Optional<String> retryReason) {
    String type = root.path("type").asText("");
    switch (type) {
      case "url_verification":
        String challenge = root.path("challenge").asText("");
        if (challenge.isEmpty()) {
          throw new BadRequestException(400, "url_verification without a challenge");
        }
        return Received.respond(WebhookResponse.json(200,
            JSON.createObjectNode().put("challenge", challenge).toString()));
      case "app_rate_limited":
        log.warn("Slack is rate-limiting events to this app (minute {})",
            LogSafe.clean(root.path("minute_rate_limited").asText(), QUOTED_CHARS));
        return Received.ack();
      case "event_callback":
        break;
      default:
        throw new BadRequestException(400,
            "unknown Events API request type '" + LogSafe.clean(type, QUOTED_CHARS) + "'");
    }
    String eventId = root.path("event_id").asText("");
    if (eventId.isEmpty()) {
      throw new BadRequestException(400, "event_callback without an event_id");
    }
    JsonNode event = root.path("event");
    if (!event.isObject()) {
      throw new BadRequestException(400,
          "event " + LogSafe.clean(eventId, QUOTED_CHARS) + ": event_callback without an event object");
    }
    retryNum.ifPresent(n -> log.info("event slack/{}: Slack's retry {} ({})",
        LogSafe.clean(eventId, QUOTED_CHARS), LogSafe.clean(n, QUOTED_CHARS),
        LogSafe.clean(retryReason.filter(r -> !r.isEmpty()).orElse("no reason given"), QUOTED_CHARS)));
    String team = root.path("team_id").asText("");
    String eventType = event.path("type").asText("");
    String me = botUserId != null ? botUserId : botUserFrom(root.path("authorizations"));
    String channel = event.path("channel").asText("");
    switch (eventType) {
      case "app_mention":
        if (isDirect(event)) {
          // In a direct message the message.im event carries the same words.
          return ignore(eventId, "an app_mention in a direct message, handled as a message");
        }
        return Received.ack(message(eventId, team, event, rawEvent, me));
      case "message":
        String subtype = event.path("subtype").asText("");
        if (!HANDLED_SUBTYPES.contains(subtype)) {
          return ignore(eventId, "a message of subtype " + subtype);
        }
        if (!isDirect(event)) {
          String text = event.path("text").asText("");
          if (me != null && text.contains("<@" + me + ">") || me != null && text.contains("<@" + me + "|")) {
            return ignore(eventId, "a channel message mentioning the bot, handled as its app_mention");
          }
          String thread = event.path("thread_ts").asText("");
          boolean botThread = !thread.isEmpty() && botThreads.get(threadKey(team, channel, thread)).isPresent();
          if (!respondToAllChannelMessages && !botThread) {
            return ignore(eventId, "a channel message not addressed to the bot");
          }
        }
        return Received.ack(message(eventId, team, event, rawEvent, me));
      default:
        log.info("event slack/{}: ignoring event type '{}'",
            LogSafe.clean(eventId, QUOTED_CHARS), LogSafe.clean(eventType, QUOTED_CHARS));
        return Received.ack();
    }
  }

  private static Received ignore(String eventId, String why) {
    log.debug("event slack/{}: ignored: {}", LogSafe.clean(eventId, QUOTED_CHARS), LogSafe.clean(why, QUOTED_CHARS));
    return Received.ack();
  }

  private static boolean isDirect(JsonNode event) {
    String channelType = event.path("channel_type").asText("");
    return channelType.equals("im") || channelType.isEmpty() && event.path("channel").asText("").startsWith("D");
  }

  private static String botUserFrom(JsonNode authorizations) {
    for (JsonNode a : authorizations) {
      if (a.path("is_bot").asBoolean(false) && !a.path("user_id").asText("").isEmpty()) {
        return a.path("user_id").asText();
      }
    }
    return null;
  }

  private ChatEvent message(String eventId, String team, JsonNode event, String rawEvent, String me) {
    String user = event.path("user").asText("");
    String bot = event.path("bot_id").asText("");
    String channel = event.path("channel").asText("");
    if (channel.isEmpty()) {
      throw new BadRequestException(400,
          "event " + LogSafe.clean(eventId, QUOTED_CHARS) + ": the message has no channel");
    }
    ChatEvent.Sender sender = ChatEvent.Sender.USER;
    if (me != null && me.equals(user) || botId != null && botId.equals(bot)) {
      sender = ChatEvent.Sender.SELF;
    } else if (!bot.isEmpty() || event.path("subtype").asText("").equals("bot_message")) {
      sender = ChatEvent.Sender.BOT;
    }
    if (user.isEmpty()) {
      user = bot.isEmpty() ? "unknown" : bot;
    }
    String ts = event.path("ts").asText("");
    String thread = event.path("thread_ts").asText("");
    if (thread.isEmpty() && replyInThread && !isDirect(event) && !ts.isEmpty()) {
      thread = ts;
    }
    return ChatEvent.builder(name, eventId)
        .workspace(team)
        .channel(channel)
        .user(user)
        .text(event.path("text").asText(""))
        .thread(thread.isEmpty() ? null : thread)
        .time(time(ts))
        .sender(sender)
        .raw(rawEvent != null ? rawEvent : event.toString())
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

  // ---- Slash commands

  private Received receiveCommand(Map<String, String> form) {
    String triggerId = required(form, "trigger_id", "slash command");
    String channel = required(form, "channel_id", "slash command");
    String user = required(form, "user_id", "slash command");
    String responseUrl = required(form, "response_url", "slash command");
    String thread = SLASH_THREAD + triggerId;
    responseUrls.put(thread, new ResponseUrl(responseUrl, 0));
    ObjectNode raw = JSON.createObjectNode();
    form.forEach((k, v) -> {
      if (!k.equals("token") && !k.equals("response_url")) {
        raw.put(k, v);
      }
    });
    ChatEvent event = ChatEvent.builder(name, triggerId)
        .workspace(form.getOrDefault("team_id", ""))
        .channel(channel)
        .user(user)
        .text(form.getOrDefault("text", ""))
        .thread(thread)
        .time(clock.instant())
        .raw(raw.toString())
        .build();
    String ack = JSON.createObjectNode()
        .put("response_type", slashCommandsInChannel ? "in_channel" : "ephemeral")
        .put("text", slashCommandAck)
        .toString();
    return new Received(WebhookResponse.json(200, ack), List.of(event));
  }

  private static String required(Map<String, String> form, String field, String what) {
    String value = form.getOrDefault(field, "");
    if (value.isEmpty()) {
      throw new BadRequestException(400, "the " + what + " has no " + field);
    }
    return value;
  }

  // ---- Interactivity

  private Received receiveInteraction(ObjectNode payload) {
    String type = payload.path("type").asText("");
    String triggerId = payload.path("trigger_id").asText("");
    if (!type.equals("block_actions")) {
      log.info("interaction slack/{}: ignoring interaction type '{}'",
          LogSafe.clean(triggerId, QUOTED_CHARS), LogSafe.clean(type, QUOTED_CHARS));
      return Received.ack();
    }
    JsonNode action = payload.path("actions").path(0);
    String blockId = action.path("block_id").asText("");
    if (!blockId.startsWith(BlockKit.CHOICES_BLOCK_PREFIX)) {
      log.info("interaction slack/{}: ignoring a click on a block the bot did not send",
          LogSafe.clean(triggerId, QUOTED_CHARS));
      return Received.ack();
    }
    if (triggerId.isEmpty()) {
      throw new BadRequestException(400, "block_actions without a trigger_id");
    }
    String thread = blockId.substring(BlockKit.CHOICES_BLOCK_PREFIX.length());
    String user = payload.path("user").path("id").asText("");
    String channel = payload.path("channel").path("id").asText(payload.path("container").path("channel_id").asText(""));
    if (user.isEmpty() || channel.isEmpty()) {
      throw new BadRequestException(400,
          "interaction " + LogSafe.clean(triggerId, QUOTED_CHARS) + ": block_actions without user or channel");
    }
    String team = payload.path("team").path("id").asText(payload.path("user").path("team_id").asText(""));
    String responseUrl = payload.path("response_url").asText("");
    if (thread.startsWith(SLASH_THREAD) && !responseUrl.isEmpty()) {
      // A click on an answer to a slash command: its new response_url carries the conversation on.
      responseUrls.put(thread, new ResponseUrl(responseUrl, 0));
    }
    ObjectNode raw = payload.deepCopy();
    raw.remove("token");
    raw.remove("response_url");
    ChatEvent event = ChatEvent.builder(name, triggerId)
        .workspace(team)
        .channel(channel)
        .user(user)
        .text(action.path("value").asText(""))
        .thread(thread.isEmpty() ? null : thread)
        .time(clock.instant())
        .raw(raw.toString())
        .build();
    return Received.ack(event);
  }

  // ---- Outbound

  /**
   * Posts the reply into the conversation: to a slash command's {@code response_url} while it lasts, else
   * with {@code chat.postMessage} in the conversation's thread. Waits for the channel's pacing slot.
   *
   * <p>A reply with a {@link Reply#key()} that was seen before (within 6 hours, in this process) replaces
   * the earlier message: with {@code chat.update} of the message posted first, or through the response_url
   * with {@code replace_original}. When Slack no longer has that message ({@code message_not_found} and the
   * like), the reply is posted anew and becomes the message later replies replace.
   *
   * @throws SlackApiException when Slack refuses the message
   * @throws ApiException when Slack cannot be reached or keeps answering 429
   */
  @Override
  public void deliver(Conversation conversation, Reply reply) {
    Optional<String> thread = conversation.thread();
    Optional<String> key = reply.key().map(k -> threadKey(conversation.workspace(), conversation.channel(), k));
    Optional<Posted> earlier = key.flatMap(keyedMessages::get);
    if (thread.isPresent() && thread.get().startsWith(SLASH_THREAD)) {
      Optional<ResponseUrl> url = responseUrls.update(thread.get(), r -> new ResponseUrl(r.url(), r.uses() + 1));
      if (url.isPresent() && url.get().uses() <= RESPONSE_URL_USES) {
        boolean replace = earlier.isPresent() && earlier.get().ts() == null;
        api.respond(url.get().url(), reply, slashCommandsInChannel, thread, replace);
        key.ifPresent(k -> keyedMessages.put(k, new Posted(conversation.channel(), null)));
        return;
      }
      log.info("slash command {}: its response_url is used up or expired; posting in the channel",
          LogSafe.clean(thread.get(), QUOTED_CHARS));
      postOrUpdate(conversation.channel(), Optional.empty(), reply, key, earlier);
      return;
    }
    // Remembered before posting: an answer can arrive as soon as the reply is on screen, before
    // chat.postMessage's response is back (a test saw exactly that). A post that fails leaves the thread
    // open to messages without a mention for the thread memory's time, which costs nothing.
    thread.ifPresent(t -> botThreads.put(threadKey(conversation.workspace(), conversation.channel(), t), true));
    postOrUpdate(conversation.channel(), thread, reply, key, earlier);
  }

  private void postOrUpdate(
      String channel, Optional<String> thread, Reply reply, Optional<String> key, Optional<Posted> earlier) {
    awaitTurn(channel, earlier.isPresent() ? "chat.update" : "chat.postMessage");
    if (earlier.isPresent() && earlier.get().ts() != null) {
      try {
        api.update(earlier.get().channel(), earlier.get().ts(), reply);
        return;
      } catch (SlackApiException e) {
        if (!UPDATE_GONE.contains(e.error())) {
          throw e;
        }
        log.info("chat.update of {} in {} failed ({}); posting the reply anew",
            LogSafe.clean(earlier.get().ts(), QUOTED_CHARS), LogSafe.clean(earlier.get().channel(), QUOTED_CHARS),
            LogSafe.clean(e.error(), QUOTED_CHARS));
      }
    }
    String ts = api.postMessage(channel, thread, reply);
    if (key.isPresent() && !ts.isEmpty()) {
      keyedMessages.put(key.get(), new Posted(channel, ts));
    }
  }

  private void awaitTurn(String channel, String method) {
    try {
      pacer.awaitTurn(channel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("POST", api.apiUrl() + method, 0,
          "interrupted while waiting for the channel's pacing", "", e);
    }
  }

  private static String threadKey(String team, String channel, String thread) {
    return team + "|" + channel + "|" + thread;
  }

  @Override
  public String toString() {
    return "SlackService{" + name + " at " + path + ", api=" + api.apiUrl() + "}";
  }

  /** Builds a {@link SlackService}. Not thread-safe. */
  public static final class Builder {
    private String name = "slack";
    private String path = "/slack/events";
    private String signingSecret;
    private String botToken;
    private String apiUrl = SlackApi.DEFAULT_API_URL;
    private Clock clock = Clock.systemUTC();
    private String botUserId;
    private String botId;
    private boolean replyInThread;
    private boolean respondToAllChannelMessages;
    private boolean slashCommandsInChannel;
    private String slashCommandAck = "Working on it\u2026";
    private Duration pacing = Duration.ofSeconds(1);
    private Duration threadMemory = Duration.ofHours(1);
    private OkHttpClient okHttpClient;

    private Builder() {}

    /**
     * The app's signing secret (Basic Information, App Credentials). Required for HTTP requests; an app
     * that only uses Socket Mode may leave it out, and then every HTTP request is refused.
     */
    public Builder signingSecret(String signingSecret) {
      this.signingSecret = Objects.requireNonNull(signingSecret, "signingSecret");
      return this;
    }

    /** The bot token ({@code xoxb-...}); required. */
    public Builder botToken(String botToken) {
      this.botToken = Objects.requireNonNull(botToken, "botToken");
      return this;
    }

    /** The Web API base URL; {@code https://slack.com/api/} by default. */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
      return this;
    }

    /** The clock the request timestamps are checked against. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The bot's user id ({@code U...}); by default learned from each event's {@code authorizations}. */
    public Builder botUserId(String botUserId) {
      this.botUserId = Objects.requireNonNull(botUserId, "botUserId");
      return this;
    }

    /** The bot's id ({@code B...}), to recognise its own messages by {@code bot_id} as well. */
    public Builder botId(String botId) {
      this.botId = Objects.requireNonNull(botId, "botId");
      return this;
    }

    /**
     * Whether replies to a message outside a thread start a thread under it; off by default (replies in
     * a thread always stay in it). In a thread the bot spoke in, answers to its questions need no mention.
     */
    public Builder replyInThread(boolean replyInThread) {
      this.replyInThread = replyInThread;
      return this;
    }

    /** Whether every channel message is taken, not only mentions and answers in the bot's threads; off by default. */
    public Builder respondToAllChannelMessages(boolean all) {
      this.respondToAllChannelMessages = all;
      return this;
    }

    /** Whether slash command answers are seen by the whole channel; off (only the user) by default. */
    public Builder slashCommandsInChannel(boolean inChannel) {
      this.slashCommandsInChannel = inChannel;
      return this;
    }

    /** The immediate answer to a slash command; "Working on it…" by default. */
    public Builder slashCommandAck(String text) {
      this.slashCommandAck = Objects.requireNonNull(text, "text");
      return this;
    }

    /** The least time between two messages to one channel; 1 s by default (Slack's guidance). */
    public Builder pacing(Duration pacing) {
      Objects.requireNonNull(pacing, "pacing");
      if (pacing.isNegative()) {
        throw new IllegalArgumentException("pacing must not be negative but was " + pacing);
      }
      this.pacing = pacing;
      return this;
    }

    /** How long a thread the bot spoke in accepts answers without a mention; 1 hour by default. */
    public Builder threadMemory(Duration threadMemory) {
      this.threadMemory = Objects.requireNonNull(threadMemory, "threadMemory");
      return this;
    }

    /** The service name, unique per router; {@code slack} by default. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The request path for events, commands and interactivity; {@code /slack/events} by default. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new ConfigurationException("SlackService path must start with '/' but was '" + path + "'");
      }
      this.path = path;
      return this;
    }

    /** Shares the connection pool and threads of an existing client. */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Builds the service.
     *
     * @throws ConfigurationException when the bot token is missing or the API URL invalid
     */
    public SlackService build() {
      String secret = signingSecret;
      if (secret == null || secret.isEmpty()) {
        // Socket Mode only: a random secret nobody knows, so that no HTTP request can pass.
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        secret = Base64.getEncoder().encodeToString(random);
        log.warn("SlackService built without a signing secret: HTTP requests will be refused (Socket Mode only)");
      }
      return new SlackService(this, secret);
    }
  }
}
