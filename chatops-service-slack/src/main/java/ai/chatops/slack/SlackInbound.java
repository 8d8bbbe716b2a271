package ai.chatops.slack;

import ai.chatops.BadRequestException;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.slack.internal.BlockKit;
import ai.chatops.slack.internal.Forms;
import ai.chatops.slack.internal.Signatures;
import ai.chatops.slack.internal.SlackJson;
import ai.chatops.slack.internal.ThreadMemory;
import ai.chatops.toolkit.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half of {@link SlackService}: verifies Slack's requests, tells their kinds apart, and turns
 * slash commands and interactivity payloads into {@link ChatEvent}s; Events API bodies go to
 * {@link SlackEvents}. All as the service's class doc describes. Makes no network call. Thread-safe.
 */
final class SlackInbound {
  // The service's logger: the split into parts is no business of the host's logging configuration.
  private static final Logger log = LoggerFactory.getLogger(SlackService.class);
  /** How much outside text a log line or a refusal quotes: enough to recognise it, not enough to flood. */
  private static final int QUOTED_CHARS = 80;
  /** Header names as {@link WebhookRequest} keys them: lower case, so that a lookup converts nothing. */
  private static final String TIMESTAMP = "x-slack-request-timestamp";
  private static final String SIGNATURE = "x-slack-signature";

  private final String name;
  private final Clock clock;
  private final Signatures signatures;
  private final boolean slashCommandsInChannel;
  private final String slashCommandAck;
  private final ThreadMemory threads;
  private final SlackEvents events;

  SlackInbound(SlackService.Builder b, String signingSecret, ThreadMemory threads) {
    this.name = b.name;
    this.clock = b.clock;
    this.signatures = new Signatures(signingSecret, b.clock);
    this.slashCommandsInChannel = b.slashCommandsInChannel;
    this.slashCommandAck = b.slashCommandAck;
    this.threads = threads;
    this.events = new SlackEvents(b, threads);
  }

  /** Signs a body as Slack would at that time. */
  String sign(long timestamp, byte[] body) {
    return signatures.sign(timestamp, body);
  }

  /** Receives as {@link SlackService#receive} documents. */
  Received receive(WebhookRequest request) {
    byte[] body = request.body();
    once(request, TIMESTAMP, "X-Slack-Request-Timestamp");
    once(request, SIGNATURE, "X-Slack-Signature");
    signatures.verify(request.header(TIMESTAMP), request.header(SIGNATURE), body);
    String contentType = request.header("content-type").orElse("");
    int parameters = contentType.indexOf(';');
    String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim()
        .toLowerCase(Locale.ROOT);
    switch (type) {
      case "application/json":
        Forms.requireUtf8(body);
        SlackJson.EventsBody parsed =
            SlackJson.parseEventsBody(body, SlackEvents.BODY_FIELDS, SlackEvents.EVENT_FIELDS);
        return events.receive(parsed.root(), parsed.rawEvent(), request.header("x-slack-retry-num"),
            request.header("x-slack-retry-reason"));
      case "application/x-www-form-urlencoded":
        Map<String, String> form = Forms.parse(body);
        if (form.containsKey("payload")) {
          return receiveInteraction(SlackJson.parseObject(form.get("payload"), "the payload field"));
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

  /** Receives as {@link SlackService#receiveSocketEnvelope} documents. */
  Received receiveSocketEnvelope(String type, JsonNode payload, int retryAttempt, String retryReason) {
    if (!(payload instanceof ObjectNode)) {
      throw new BadRequestException(400, "the " + type + " envelope's payload must be a JSON object");
    }
    switch (type) {
      case "events_api":
        // Read again from its text, as an HTTP body is, so that both paths share one parser and raw form.
        SlackJson.EventsBody parsed = SlackJson.parseEventsBody(payload.toString().getBytes(StandardCharsets.UTF_8),
            SlackEvents.BODY_FIELDS, SlackEvents.EVENT_FIELDS);
        return events.receive(parsed.root(), parsed.rawEvent(),
            retryAttempt > 0 ? Optional.of(Integer.toString(retryAttempt)) : Optional.empty(),
            Optional.ofNullable(retryReason));
      case "slash_commands":
        Map<String, String> form = new LinkedHashMap<>();
        payload.properties().forEach(f -> form.put(f.getKey(), f.getValue().asText()));
        return receiveCommand(form);
      case "interactive":
        return receiveInteraction((ObjectNode) payload);
      default:
        throw new BadRequestException(400,
            "unknown Socket Mode envelope type '" + LogSafe.clean(type, QUOTED_CHARS) + "'");
    }
  }

  // Two signatures or timestamps leave it open which one was checked: refuse rather than pick one.
  private static void once(WebhookRequest request, String key, String header) {
    List<String> values = request.headers().getOrDefault(key, List.of());
    if (values.size() > 1) {
      throw new BadRequestException(401, header + " must be sent once but was sent " + values.size() + " times");
    }
  }

  // ---- Slash commands

  private Received receiveCommand(Map<String, String> form) {
    String triggerId = required(form, "trigger_id", "slash command");
    String channel = required(form, "channel_id", "slash command");
    String user = required(form, "user_id", "slash command");
    String responseUrl = required(form, "response_url", "slash command");
    String thread = ThreadMemory.slashThread(triggerId);
    threads.rememberResponseUrl(thread, responseUrl);
    Map<String, String> raw = new LinkedHashMap<>();
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
        .raw(SlackJson.object(raw))
        .build();
    Map<String, String> answer = new LinkedHashMap<>();
    answer.put("response_type", slashCommandsInChannel ? "in_channel" : "ephemeral");
    answer.put("text", slashCommandAck);
    String ack = SlackJson.object(answer);
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
    String channel = payload.path("channel").path("id")
        .asText(payload.path("container").path("channel_id").asText(""));
    if (user.isEmpty() || channel.isEmpty()) {
      throw new BadRequestException(400,
          "interaction " + LogSafe.clean(triggerId, QUOTED_CHARS) + ": block_actions without user or channel");
    }
    String team = payload.path("team").path("id").asText(payload.path("user").path("team_id").asText(""));
    String responseUrl = payload.path("response_url").asText("");
    if (ThreadMemory.isSlashThread(thread) && !responseUrl.isEmpty()) {
      // A click on an answer to a slash command: its new response_url carries the conversation on.
      threads.rememberResponseUrl(thread, responseUrl);
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
}
