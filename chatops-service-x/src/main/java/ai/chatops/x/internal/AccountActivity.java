package ai.chatops.x.internal;

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

/**
 * Reads X's Account Activity deliveries under {@link JsonLimits}: the subscribed user ({@code for_user_id})
 * and the {@code direct_message_events} of type {@code message_create}; every other kind of activity
 * (tweets, likes, follows, typing and read indicators) is skipped. A body that is not a delivery is refused
 * with a 400 saying what was wrong and where. Stateless and thread-safe.
 */
public final class AccountActivity {
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private AccountActivity() {}

  /**
   * One direct message; strings are empty when absent.
   *
   * @param createdMillis {@code created_timestamp}, milliseconds since the epoch; 0 when absent or not a number
   * @param raw the event's JSON
   */
  public record DirectMessage(String id, String senderId, String recipientId, String text, long createdMillis,
      String raw) {}

  /** A delivery: whose account it is about, its direct messages, and how many other events it carried. */
  public record Delivery(String forUserId, List<DirectMessage> messages, int otherEvents) {}

  /**
   * Parses a delivery body.
   *
   * @throws BadRequestException 400 when it is not a JSON object with a {@code for_user_id}, or exceeds a JSON
   *     limit
   */
  public static Delivery parse(byte[] body) {
    JsonNode root = read(body);
    if (!(root instanceof ObjectNode)) {
      throw new BadRequestException(400, "the delivery must be a JSON object");
    }
    String forUser = id(root.path("for_user_id"));
    if (forUser.isEmpty()) {
      throw new BadRequestException(400, "the delivery has no for_user_id");
    }
    List<DirectMessage> messages = new ArrayList<>();
    int other = 0;
    JsonNode events = root.path("direct_message_events");
    if (events.isArray()) {
      for (JsonNode event : events) {
        if (!text(event, "type").equals("message_create")) {
          other++;
          continue;
        }
        JsonNode create = event.path("message_create");
        String created = text(event, "created_timestamp");
        messages.add(new DirectMessage(id(event.path("id")), id(create.path("sender_id")),
            id(create.path("target").path("recipient_id")), text(create.path("message_data"), "text"),
            created.matches("\\d{1,15}") ? Long.parseLong(created) : 0, event.toString()));
      }
    }
    return new Delivery(forUser, List.copyOf(messages), other);
  }

  private static JsonNode read(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new BadRequestException(400, "the delivery exceeds a JSON limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new BadRequestException(400, "the delivery is not valid JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      // A body starting with NUL bytes is read as UTF-32 and refused with a CharConversionException.
      throw new BadRequestException(400, "the delivery is not valid JSON in UTF-8 (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : "";
  }

  /** An id: X sends them as strings; a number is taken in its plain decimal form. */
  private static String id(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    return node.isIntegralNumber() ? node.bigIntegerValue().toString() : "";
  }
}
