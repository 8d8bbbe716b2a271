package ai.chatops.slack.internal;

import ai.chatops.BadRequestException;
import ai.chatops.toolkit.JsonLimits;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The JSON Slack sends (Events API bodies, interactivity payloads), read under {@link JsonLimits} and refused
 * with a 400 that says what was wrong and where, and the small JSON answers the service writes. Events API
 * bodies, the requests of a cold start, are read with jackson-core's streaming parser into a {@link JsonTree};
 * the object mapper (jackson-databind) is created only for interactivity payloads and for refusing a body
 * that is not an object. Stateless and thread-safe.
 */
public final class SlackJson {
  private static final JsonFactory FACTORY = JsonLimits.factory();

  private SlackJson() {}

  /** The mapper, created on first use: most of databind's classes load with it. */
  private static final class Mapper {
    static final ObjectMapper JSON = JsonLimits.mapper();
  }

  /** An Events API body: the tree, and the {@code event} object exactly as it was sent (null: none). */
  public record EventsBody(Map<String, Object> root, String rawEvent) {}

  /**
   * Parses an Events API body straight from its bytes, keeping the original text of its {@code event}
   * object for {@code ChatEvent.raw()}. The tree holds what {@code readTree} would (a repeated field keeps its
   * last value).
   *
   * @throws BadRequestException 400 when the body is not a JSON object or exceeds a JSON limit
   */
  public static EventsBody parseEventsBody(byte[] body) {
    requireUtf8(body, "the body");
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        // Not an object: the mapper names the exact error and its place, as for any other payload.
        parseObject(body, "the body");
        throw new BadRequestException(400, "the body must be a JSON object");
      }
      Map<String, Object> root = JsonTree.newObject();
      String rawEvent = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        long start = p.currentTokenLocation().getByteOffset();
        Object node = JsonTree.read(p);
        if (field.equals("event")) {
          long end = p.currentLocation().getByteOffset();
          rawEvent = value == JsonToken.START_OBJECT && start >= 0 && end <= body.length
              ? new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8)
              : null;
        }
        root.put(field, node);
      }
      return new EventsBody(root, rawEvent);
    } catch (JsonProcessingException e) {
      throw invalidJson("the body", e);
    } catch (IOException e) {
      throw notJson("the body", e);
    }
  }

  /** One JSON object with the given string fields, in their order; for the service's own answers. */
  public static String object(Map<String, String> fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, String> field : fields.entrySet()) {
        g.writeStringField(field.getKey(), field.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string does not fail", e);
    }
    return out.toString();
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
      node = Mapper.JSON.readTree(json);
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
      node = Mapper.JSON.readTree(json);
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
