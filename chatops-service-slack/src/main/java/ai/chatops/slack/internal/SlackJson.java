package ai.chatops.slack.internal;

import ai.chatops.BadRequestException;
import ai.chatops.toolkit.JsonLimits;
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

/**
 * The JSON Slack sends (Events API bodies, interactivity payloads), read under {@link JsonLimits} and refused
 * with a 400 that says what was wrong and where. Stateless and thread-safe.
 */
public final class SlackJson {
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private SlackJson() {}

  /** An Events API body: the tree, and the {@code event} object exactly as it was sent (null: none). */
  public record EventsBody(ObjectNode root, String rawEvent) {}

  /**
   * Parses an Events API body straight from its bytes, keeping the original text of its {@code event}
   * object for {@code ChatEvent.raw()}, so that the tree need not be written back to JSON. The tree is what
   * {@code readTree} would build (a repeated field keeps its last value).
   *
   * @throws BadRequestException 400 when the body is not a JSON object or exceeds a JSON limit
   */
  public static EventsBody parseEventsBody(byte[] body) {
    requireUtf8(body, "the body");
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

  /** JSON between systems is UTF-8: a body Jackson would read as UTF-16 or UTF-32 is refused, whichever. */
  private static void requireUtf8(byte[] json, String what) {
    if (!JsonLimits.utf8(json)) {
      throw new BadRequestException(400, what + " is not valid JSON in UTF-8 (it starts as UTF-16 or UTF-32)");
    }
  }

  private static ObjectNode parseObject(byte[] json, String what) {
    requireUtf8(json, what);
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
   * Parses text that must hold one JSON object; {@code what} names it in the refusal.
   *
   * @throws BadRequestException 400 when the text is not a JSON object or exceeds a JSON limit
   */
  public static ObjectNode parseObject(String json, String what) {
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
}
