package ai.chatops.messenger.internal;

import ai.chatops.BadRequestException;
import ai.chatops.toolkit.JsonLimits;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the Messenger Platform's webhook batches ({@code object: page}, {@code entry[].messaging[]}) under
 * {@link JsonLimits}: each item is one {@link Item}; a body that is not a batch is refused with a 400 saying
 * what was wrong and where. Stateless and thread-safe.
 */
public final class Messaging {
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private Messaging() {}

  /** What an item is, as far as the bot cares. */
  public enum Kind {
    /** A message with text, or a quick reply's payload: said to the bot. */
    MESSAGE,
    /** A click on a postback button: its payload is said to the bot. */
    POSTBACK,
    /** The page's own message echoed back. */
    ECHO,
    /** Delivery and read receipts. */
    RECEIPT,
    /** Anything else: attachments without text, reactions, opt-ins, referrals... */
    OTHER
  }

  /**
   * One {@code messaging} item; strings are empty when absent.
   *
   * @param pageId the entry's page ({@code entry[].id})
   * @param id the message's {@code mid}, or for a postback without one its sender and timestamp
   * @param text the text, the quick reply's payload or the postback's payload (else its title)
   * @param timestamp milliseconds since the epoch, 0 when absent
   * @param raw the item's JSON
   */
  public record Item(Kind kind, String pageId, String senderId, String recipientId, String id, String text,
      long timestamp, String raw) {}

  /** A parsed batch: its {@code object} and its items. */
  public record Batch(String object, List<Item> items) {}

  /**
   * Parses a webhook body.
   *
   * @throws BadRequestException 400 when it is not JSON, not an object, has no {@code entry} array, or exceeds
   *     a JSON limit
   */
  public static Batch parse(byte[] body) {
    JsonNode root = read(body);
    if (!(root instanceof ObjectNode)) {
      throw new BadRequestException(400, "the webhook body must be a JSON object");
    }
    String object = text(root, "object");
    JsonNode entries = root.path("entry");
    if (!entries.isArray()) {
      throw new BadRequestException(400, "the webhook body has no entry array");
    }
    List<Item> items = new ArrayList<>();
    for (int e = 0; e < entries.size(); e++) {
      JsonNode entry = entries.get(e);
      String pageId = id(entry.path("id"));
      JsonNode messaging = entry.path("messaging");
      if (!messaging.isArray()) {
        continue; // changes of page fields (feed, ratings...): not messages
      }
      for (JsonNode item : messaging) {
        if (item instanceof ObjectNode) {
          items.add(item(pageId, item));
        }
      }
    }
    return new Batch(object, List.copyOf(items));
  }

  private static Item item(String pageId, JsonNode item) {
    String sender = id(item.path("sender").path("id"));
    String recipient = id(item.path("recipient").path("id"));
    long timestamp = item.path("timestamp").canConvertToLong() ? item.path("timestamp").asLong() : 0;
    String raw = item.toString();
    JsonNode message = item.path("message");
    if (message instanceof ObjectNode) {
      String mid = text(message, "mid");
      if (message.path("is_echo").asBoolean(false)) {
        return new Item(Kind.ECHO, pageId, sender, recipient, mid, "", timestamp, raw);
      }
      String text = Optional.of(text(message.path("quick_reply"), "payload")).filter(p -> !p.isEmpty())
          .orElse(text(message, "text"));
      Kind kind = text.isEmpty() ? Kind.OTHER : Kind.MESSAGE;
      return new Item(kind, pageId, sender, recipient, mid, text, timestamp, raw);
    }
    JsonNode postback = item.path("postback");
    if (postback instanceof ObjectNode) {
      String mid = text(postback, "mid");
      String id = !mid.isEmpty() ? mid : sender.isEmpty() || timestamp == 0 ? "" : "postback:" + sender + ":" + timestamp;
      String text = Optional.of(text(postback, "payload")).filter(p -> !p.isEmpty()).orElse(text(postback, "title"));
      return new Item(text.isEmpty() ? Kind.OTHER : Kind.POSTBACK, pageId, sender, recipient, id, text, timestamp,
          raw);
    }
    if (item.has("delivery") || item.has("read")) {
      return new Item(Kind.RECEIPT, pageId, sender, recipient, "", "", timestamp, raw);
    }
    return new Item(Kind.OTHER, pageId, sender, recipient, "", "", timestamp, raw);
  }

  private static JsonNode read(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new BadRequestException(400, "the webhook body exceeds a JSON limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new BadRequestException(400, "the webhook body is not valid JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      // A body starting with NUL bytes is read as UTF-32 and refused with a CharConversionException.
      throw new BadRequestException(400, "the webhook body is not valid JSON in UTF-8 ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** A string field, or empty when absent or not a string. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : "";
  }

  /** An id: Meta sends them as strings; a number is taken in its plain decimal form. */
  private static String id(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    return node.isIntegralNumber() ? node.bigIntegerValue().toString() : "";
  }
}
