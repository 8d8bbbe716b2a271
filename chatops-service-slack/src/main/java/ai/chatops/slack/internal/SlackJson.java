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
import java.util.Set;

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

  /**
   * An Events API body: the fields asked for as a tree, and the {@code event} object exactly as it was sent
   * (null: none).
   */
  public record EventsBody(Map<String, Object> root, String rawEvent) {}

  /**
   * Parses an Events API body straight from its bytes, keeping the original text of its {@code event}
   * object for {@code ChatEvent.raw()}. The tree holds what {@code readTree} would for the fields named in
   * {@code rootFields} and, when {@code event} is an object, for its fields named in {@code eventFields} (a
   * repeated field keeps its last value); every other value (Block Kit {@code blocks}, attachments, files)
   * is skipped without being built, though still checked as strictly: its syntax and every JSON limit.
   *
   * @param rootFields the top-level fields the caller reads ({@code event} is always read)
   * @param eventFields the fields of the {@code event} object the caller reads
   * @throws BadRequestException 400 when the body is not a JSON object or exceeds a JSON limit
   */
  public static EventsBody parseEventsBody(byte[] body, Set<String> rootFields, Set<String> eventFields) {
    requireUtf8(body, "the body");
    // A string value has at most as many characters as bytes: in a body no longer than the limit, none can
    // exceed it, and skipping (which does not count characters) checks all the rest.
    boolean mayExceedStringLimit = body.length > JsonLimits.MAX_STRING_CHARS;
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
        if (field.equals("event")) {
          long start = p.currentTokenLocation().getByteOffset();
          boolean object = value == JsonToken.START_OBJECT;
          root.put(field, object ? readFields(p, eventFields, mayExceedStringLimit) : JsonTree.read(p));
          long end = p.currentLocation().getByteOffset();
          rawEvent = object && start >= 0 && end <= body.length
              ? new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8)
              : null;
        } else if (rootFields.contains(field)) {
          root.put(field, JsonTree.read(p));
        } else {
          skip(p, mayExceedStringLimit);
        }
      }
      return new EventsBody(root, rawEvent);
    } catch (JsonProcessingException e) {
      throw invalidJson("the body", e);
    } catch (IOException e) {
      throw notJson("the body", e);
    }
  }

  /** The object the parser is on, holding only the named fields; leaves the parser on its end. */
  private static Map<String, Object> readFields(JsonParser p, Set<String> fields, boolean mayExceedStringLimit)
      throws IOException {
    Map<String, Object> object = JsonTree.newObject();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (fields.contains(name)) {
        object.put(name, JsonTree.read(p));
      } else {
        skip(p, mayExceedStringLimit);
      }
    }
    return object;
  }

  /**
   * Passes over the value the parser is on. Skipping checks syntax, nesting, names, numbers and the token
   * count, but not a string's length in characters: where one may exceed the limit, the value is read.
   */
  private static void skip(JsonParser p, boolean mayExceedStringLimit) throws IOException {
    if (mayExceedStringLimit) {
      JsonTree.read(p);
    } else {
      p.skipChildren();
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
