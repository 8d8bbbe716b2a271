package ai.chatops.slack.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value read with jackson-core's streaming parser, without jackson-databind's object mapper: an object
 * is a {@code Map<String, Object>} in document order, an array a {@code List<Object>}, a string a
 * {@code String}, a boolean a {@code Boolean}, a number a {@link Num}, and {@code null} {@link #NULL}. The
 * accessors read it the way {@code JsonNode.path(...).asText("")} does, so a missing field and a field of
 * another type read as empty. Values are not copied defensively: internal, read-only by convention.
 */
public final class JsonTree {
  /** JSON's {@code null}. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A number, as its text (integers exactly as sent; other numbers as a double prints). */
  public record Num(String text, boolean integral, boolean nonZero) {}

  private JsonTree() {}

  static Map<String, Object> newObject() {
    return new LinkedHashMap<>();
  }

  /**
   * Reads the value whose first token the parser is on, leaving it on the value's last token. The parser's
   * own limits (nesting, lengths) bound the recursion.
   */
  static Object read(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT: {
        Map<String, Object> object = newObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          object.put(name, read(p));
        }
        return object;
      }
      case START_ARRAY: {
        List<Object> array = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(p));
        }
        return array;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        String digits = p.getText();
        return new Num(digits, true, !isZero(digits));
      case VALUE_NUMBER_FLOAT:
        double d = p.getDoubleValue();
        return new Num(Double.toString(d), false, d != 0);
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return NULL;
      default:
        throw new IllegalStateException("not the first token of a value: " + token);
    }
  }

  private static boolean isZero(String digits) {
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c != '0' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** The field of an object; null when the value is no object or has no such field. */
  public static Object path(Object value, String field) {
    return value instanceof Map ? ((Map<?, ?>) value).get(field) : null;
  }

  /** Whether the value is an object. */
  public static boolean isObject(Object value) {
    return value instanceof Map;
  }

  /**
   * The value as text, as {@code JsonNode.asText("")} reads it: a string itself, a number or boolean its
   * JSON text, anything else (missing, null, an object or array) empty.
   */
  public static String text(Object value) {
    if (value instanceof String) {
      return (String) value;
    }
    if (value instanceof Num) {
      return ((Num) value).text();
    }
    if (value instanceof Boolean) {
      return value.toString();
    }
    return "";
  }

  /** The field's text, as {@code node.path(field).asText("")} reads it. */
  public static String text(Object value, String field) {
    return text(path(value, field));
  }

  /**
   * The value as a boolean, as {@code JsonNode.asBoolean(false)} reads it: a boolean itself, the strings
   * {@code "true"} and {@code "false"}, an integer other than 0, else false.
   */
  public static boolean bool(Object value) {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if (value instanceof String) {
      return ((String) value).trim().equals("true");
    }
    if (value instanceof Num) {
      return ((Num) value).integral() && ((Num) value).nonZero();
    }
    return false;
  }

  /** The values an array holds, or an object's field values (as a JSON node iterates); else none. */
  public static Collection<?> elements(Object value) {
    if (value instanceof List) {
      return (List<?>) value;
    }
    if (value instanceof Map) {
      return ((Map<?, ?>) value).values();
    }
    return List.of();
  }
}
