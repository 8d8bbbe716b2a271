package ai.chatops.plugin.internal;

import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Route;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the simplest {@code config.yaml}, that of a plugin declaring its routes in code, without SnakeYAML:
 * comments, blank lines and at most one each of {@code Version}, {@code Website} and {@code Author}, written
 * at the start of a line as {@code Key: value} with a one-word value. Such a document means the same to
 * {@link PluginConfigReader} whatever YAML would resolve the word to (a version such as {@code 1.10} keeps its
 * text there too), so the result is what the reader would return. Anything else (another key, quoting, a value
 * with spaces or YAML punctuation, a word YAML reads as a boolean or null, an indented line) is left to the
 * reader, which also gives the errors. This keeps YAML parsing (about 150 classes) off a cold start of a bot
 * whose plugins declare their routes in code. Stateless.
 */
public final class PlainConfig {
  private static final Set<String> KEYS = Set.of("Version", "Website", "Author");
  /** Plain words YAML 1.1 reads as booleans or null, in any case; {@code y} and {@code n} to be safe. */
  private static final Set<String> NOT_TEXT =
      Set.of("yes", "no", "true", "false", "on", "off", "null", "y", "n");

  private PlainConfig() {}

  /**
   * What {@link PluginConfigReader#read(String, String, java.io.Reader, List)} would return for this text,
   * or empty when the text is not one of the simple documents this reads.
   */
  public static Optional<PluginConfigReader.Parsed> read(String text, List<Route> inCode) {
    if (inCode.isEmpty() || text.length() > SafeYaml.MAX_CHARS) {
      return Optional.empty();
    }
    Map<String, String> fields = new TreeMap<>();
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(start, end);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (!blankOrComment(line) && !field(line, fields)) {
        return Optional.empty();
      }
      start = end + 1;
    }
    String version = fields.get("Version");
    if (version == null) {
      return Optional.empty();
    }
    Set<String> attributes = new LinkedHashSet<>();
    for (Route r : inCode) {
      attributes.addAll(r.attributes());
    }
    return Optional.of(new PluginConfigReader.Parsed(version, Optional.ofNullable(fields.get("Website")),
        Optional.ofNullable(fields.get("Author")), Credentials.empty(), List.copyOf(inCode),
        new ArrayList<>(attributes), List.of()));
  }

  private static boolean blankOrComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '#') {
        return true;
      }
      if (c != ' ') {
        return false;
      }
    }
    return true;
  }

  /** Reads {@code Key: word} or {@code Key: word  # comment} into {@code fields}; false when the line is other. */
  private static boolean field(String line, Map<String, String> fields) {
    int colon = line.indexOf(": ");
    if (colon < 0) {
      return false;
    }
    String key = line.substring(0, colon);
    if (!KEYS.contains(key) || fields.containsKey(key)) {
      return false;
    }
    String rest = line.substring(colon + 2).trim();
    int comment = rest.indexOf(" #");
    String value = (comment < 0 ? rest : rest.substring(0, comment)).trim();
    if (!word(value)) {
      return false;
    }
    fields.put(key, value);
    return true;
  }

  /** A letter or digit, then letters, digits and {@code . _ / : @ + ~ -}, not ending in {@code :}. */
  private static boolean word(String value) {
    if (value.isEmpty() || !letterOrDigit(value.charAt(0)) || value.endsWith(":")
        || NOT_TEXT.contains(value.toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!letterOrDigit(c) && "._/:@+~-".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean letterOrDigit(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }
}
