package ai.chatops.jenkins.internal;

import ai.chatops.PluginFailedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the JOB_PARAM attribute: {@code KEY=value} pairs separated by spaces, commas or semicolons; a value
 * with spaces is quoted ({@code MESSAGE="hello world"}).
 */
public final class JobParams {
  private static final Pattern PAIR =
      Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.\\-]*)\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|([^\\s,;]*))\\s*[,;]?");

  private JobParams() {}

  /**
   * Returns the pairs in order.
   *
   * @throws PluginFailedException naming the part that is not {@code KEY=value}, or a key given twice
   */
  public static Map<String, String> parse(String text) {
    Map<String, String> params = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return params;
    }
    Matcher m = PAIR.matcher(text);
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at || m.end() == at) {
        String rest = text.substring(at).trim();
        if (rest.isEmpty()) {
          break;
        }
        throw new PluginFailedException(
            "JOB_PARAM should be KEY=value pairs, such as JOB_PARAM=\"VERSION=1.2 DRY_RUN=true\", but '"
                + rest + "' is not");
      }
      String value = m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
      if (params.put(m.group(1), value) != null) {
        throw new PluginFailedException("JOB_PARAM gives " + m.group(1) + " twice");
      }
      at = m.end();
    }
    return params;
  }
}
