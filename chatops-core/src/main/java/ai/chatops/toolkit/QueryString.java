package ai.chatops.toolkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a raw query string ({@code a=1&b=x%20y}), such as a webhook's verification request
 * ({@link ai.chatops.WebhookRequest#query()}), into decoded values per name, reading at most 32 parameters.
 * Stateless and thread-safe.
 */
public final class QueryString {
  /** More parameters than any verification request has; the rest is not read. */
  private static final int MAX_PARAMETERS = 32;

  private QueryString() {}

  /** The decoded values of each name, in order; a malformed escape leaves its parameter out. */
  public static Map<String, List<String>> parse(String raw) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    int n = 0;
    for (String pair : raw.split("&", MAX_PARAMETERS + 1)) {
      if (++n > MAX_PARAMETERS) {
        break;
      }
      int eq = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        // A bad %-escape: the parameter is left out, and the caller says what it missed.
      }
    }
    return values;
  }

  /** The one value of {@code name}, or empty when it is absent or repeated. */
  public static String single(Map<String, List<String>> query, String name) {
    List<String> values = query.getOrDefault(name, List.of());
    return values.size() == 1 ? values.get(0) : "";
  }
}
