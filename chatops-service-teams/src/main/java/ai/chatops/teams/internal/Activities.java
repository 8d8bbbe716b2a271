package ai.chatops.teams.internal;

import ai.chatops.BadRequestException;
import ai.chatops.toolkit.JsonLimits;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the Bot Framework activities Teams sends, under {@link JsonLimits}, and refuses a body that is not
 * one with a 400 saying what was wrong and where. Stateless and thread-safe.
 */
public final class Activities {
  private static final ObjectMapper JSON = JsonLimits.mapper();
  /** Teams writes a mention as {@code <at>Name</at>}; the bot's own and other people's are taken out. */
  private static final Pattern MENTION = Pattern.compile("<at(?:\\s[^>]*)?>.*?</at>", Pattern.DOTALL);
  /** A channel thread: the conversation id of a reply carries its root message. */
  private static final String MESSAGE_ID = ";messageid=";

  private Activities() {}

  /**
   * The fields of an activity the service reads; strings are empty when absent.
   *
   * @param value the {@code value} object of a card's submit or invoke, or a missing node
   */
  public record Activity(String type, String id, String serviceUrl, String channelId, String conversationId,
      String conversationType, String tenant, String fromId, String fromAadObjectId, String fromRole,
      String recipientId, String text, JsonNode value, String name, Optional<Instant> timestamp,
      JsonNode membersAdded) {
    /** The user for access rules, audit and conversations: the Azure AD object id, else the channel's id. */
    public String user() {
      return fromAadObjectId.isEmpty() ? fromId : fromAadObjectId;
    }

    /** The conversation id without a channel thread's {@code ;messageid=} part. */
    public String channel() {
      int at = conversationId.indexOf(MESSAGE_ID);
      return at < 0 ? conversationId : conversationId.substring(0, at);
    }

    /** The root message of the channel thread the activity is in, if any. */
    public Optional<String> thread() {
      int at = conversationId.indexOf(MESSAGE_ID);
      if (at < 0) {
        return Optional.empty();
      }
      String root = conversationId.substring(at + MESSAGE_ID.length());
      return root.isEmpty() ? Optional.empty() : Optional.of(root);
    }
  }

  /** The conversation id to address a channel's thread, or the conversation itself. */
  public static String conversationId(String channel, Optional<String> thread) {
    return thread.map(t -> channel + MESSAGE_ID + t).orElse(channel);
  }

  /**
   * Parses a request body as an activity.
   *
   * @throws BadRequestException 400 when it is not a JSON object with a {@code type}, or exceeds a JSON limit
   */
  public static Activity parse(byte[] body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new BadRequestException(400, "the activity exceeds a JSON limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new BadRequestException(400, "the activity is not valid JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      // A body starting with NUL bytes is read as UTF-32 and refused with a CharConversionException.
      throw new BadRequestException(400, "the activity is not valid JSON in UTF-8 (" + e.getClass().getSimpleName()
          + ")");
    }
    if (!(node instanceof ObjectNode)) {
      throw new BadRequestException(400, "the activity must be a JSON object");
    }
    String type = text(node, "type");
    if (type.isEmpty()) {
      throw new BadRequestException(400, "the activity has no type");
    }
    JsonNode from = node.path("from");
    JsonNode conversation = node.path("conversation");
    String tenant = text(node.path("channelData").path("tenant"), "id");
    if (tenant.isEmpty()) {
      tenant = text(conversation, "tenantId");
    }
    return new Activity(type, text(node, "id"), text(node, "serviceUrl"), text(node, "channelId"),
        text(conversation, "id"), text(conversation, "conversationType"), tenant, text(from, "id"),
        text(from, "aadObjectId"), text(from, "role"), text(node.path("recipient"), "id"), text(node, "text"),
        node.path("value"), text(node, "name"), time(text(node, "timestamp")), node.path("membersAdded"));
  }

  /** A string field, or empty when absent or not a string. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : "";
  }

  /** The words said to the bot: mentions taken out, the few HTML entities Teams writes decoded. */
  public static String words(String text) {
    String plain = MENTION.matcher(text).replaceAll(" ");
    plain = plain.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&amp;", "&");
    return plain.trim();
  }

  private static Optional<Instant> time(String timestamp) {
    if (timestamp.isEmpty() || timestamp.length() > 40) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(timestamp).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
