package ai.chatops.toolkit;

import ai.chatops.BadRequestException;
import ai.chatops.service.ChatEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The queue format of a {@link ChatEvent}, for a transport that hands acknowledged events to workers through a
 * queue (the Lambda module's SQS, the Cloud Functions module's Pub/Sub, a user's own): a JSON object with a
 * version ({@code "v":1}) and the event's fields, so an event queued by one reads in any other. A reader of a
 * newer version refuses it by name instead of guessing. Read with {@link JsonLimits}' bounds, since a queue
 * may hold what someone else put there. Stateless and thread-safe.
 *
 * <pre>{@code
 * queue.send(QueuedEventJson.write(event));
 * ChatEvent back = QueuedEventJson.read(message.body()); // BadRequestException (400) naming what was wrong
 * }</pre>
 */
public final class QueuedEventJson {
  /** The version written; readers accept exactly this one. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = JsonLimits.mapper();

  private QueuedEventJson() {}

  /** Writes the event as one JSON object. */
  public static String write(ChatEvent event) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("v", VERSION);
    node.put("service", event.service());
    node.put("id", event.id());
    node.put("workspace", event.workspace());
    node.put("channel", event.channel());
    node.put("user", event.user());
    node.put("text", event.text());
    event.thread().ifPresent(t -> node.put("thread", t));
    node.put("time", event.time().toString());
    node.put("sender", event.sender().name());
    node.put("raw", event.raw());
    return node.toString();
  }

  /**
   * Reads an event written by {@link #write}.
   *
   * @throws BadRequestException (400) naming the field that is missing or malformed
   */
  public static ChatEvent read(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadRequestException(400, "a queued event must be a JSON object but could not be parsed: "
          + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadRequestException(400, "a queued event must be a JSON object");
    }
    JsonNode v = node.get("v");
    if (v == null || !v.isInt() || v.intValue() != VERSION) {
      throw new BadRequestException(400, "a queued event must have \"v\":" + VERSION + " but had "
          + (v == null ? "none" : v.toString()));
    }
    try {
      ChatEvent.Builder b = ChatEvent.builder(text(node, "service"), text(node, "id"))
          .workspace(text(node, "workspace"))
          .channel(text(node, "channel"))
          .user(text(node, "user"))
          .text(text(node, "text"))
          .time(Instant.parse(text(node, "time")))
          .sender(ChatEvent.Sender.valueOf(text(node, "sender")))
          .raw(text(node, "raw"));
      JsonNode thread = node.get("thread");
      if (thread != null && !thread.isNull()) {
        b.thread(thread.asText());
      }
      return b.build();
    } catch (DateTimeParseException e) {
      throw new BadRequestException(400, "a queued event's \"time\" must be an ISO-8601 instant: "
          + e.getParsedString());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(400, "a queued event is invalid: " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new BadRequestException(400, "a queued event must have the text field \"" + field + "\"");
    }
    return value.textValue();
  }
}
