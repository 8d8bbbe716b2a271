package ai.chatops.dialogflow.internal;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flattens DialogFlow's parameters into attributes. A name maps to an attribute by upper-casing it and
 * turning {@code -} into {@code _} (the rule of {@link ai.chatops.plugin.IntentParameter}); a struct's fields
 * become {@code NAME_FIELD}; a list's values are joined with {@code ,}; numbers print without {@code .0}
 * when integral; booleans print as {@code true} or {@code false}. Empty strings, empty lists and nulls (what
 * DialogFlow sends for parameters it did not fill) are left out.
 */
public final class Parameters {
  private Parameters() {}

  /** The attributes of {@code parameters}, in DialogFlow's order. */
  public static Map<String, String> flatten(Struct parameters) {
    Map<String, String> out = new LinkedHashMap<>();
    parameters.getFieldsMap().forEach((name, value) -> put(out, attribute(name), value));
    return out;
  }

  /** The attribute a DialogFlow parameter name maps to: {@code job-param} → {@code JOB_PARAM}. */
  public static String attribute(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static void put(Map<String, String> out, String key, Value value) {
    switch (value.getKindCase()) {
      case STRUCT_VALUE:
        value.getStructValue().getFieldsMap().forEach((k, v) -> put(out, key + "_" + attribute(k), v));
        break;
      case LIST_VALUE:
        List<String> items = new ArrayList<>();
        for (Value item : value.getListValue().getValuesList()) {
          String s = scalar(item);
          if (s != null && !s.isEmpty()) {
            items.add(s);
          }
        }
        if (!items.isEmpty()) {
          out.put(key, String.join(",", items));
        }
        break;
      default:
        String s = scalar(value);
        if (s != null && !s.isEmpty()) {
          out.put(key, s);
        }
    }
  }

  private static String scalar(Value value) {
    switch (value.getKindCase()) {
      case STRING_VALUE:
        return value.getStringValue().strip();
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case NUMBER_VALUE:
        double d = value.getNumberValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          return null;
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
      default:
        return null; // null, nested lists and structs inside lists
    }
  }
}
