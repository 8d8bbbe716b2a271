package ai.chatops.internal;

/**
 * Makes text from outside (event ids, refusal reasons that quote input) safe to put in a log line: control
 * characters, newlines among them, are escaped so that nobody can forge a log line, and the length is capped.
 */
public final class LogSafe {
  private static final int MAX = 200;

  private LogSafe() {}

  public static String clean(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 8);
    for (int i = 0; i < text.length() && sb.length() < MAX; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (sb.length() >= MAX && text.length() > MAX) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** {@code service/id} of an event, cleaned. */
  public static String ref(String service, String id) {
    return clean(service + "/" + id);
  }
}
