package ai.chatops.toolkit;

/**
 * Makes text from outside (event ids, paths, refusal reasons that quote input) safe to put in a log line or
 * an error message: control characters, newlines among them, are escaped so that nobody can forge a log
 * line, and the length is capped. The one clipping helper of the project: services and stores written by
 * third parties use it too. Stateless and thread-safe.
 */
public final class LogSafe {
  /** The length {@link #clean(String)} keeps. */
  public static final int MAX = 200;

  private LogSafe() {}

  /** {@code text} with control characters escaped, cut after {@value #MAX} characters; "null" for null. */
  public static String clean(String text) {
    return clean(text, MAX);
  }

  /**
   * {@code text} with control characters escaped (a newline becomes a backslash, u and its hex code), cut
   * after about {@code max} characters and then marked with "...".
   */
  public static String clean(String text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 8);
    for (int i = 0; i < text.length() && sb.length() < max; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (sb.length() >= max && text.length() > max) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** {@code service/id} of an event, cleaned. */
  public static String ref(String service, String id) {
    return clean(service + "/" + id);
  }
}
