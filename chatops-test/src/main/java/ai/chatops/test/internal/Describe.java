package ai.chatops.test.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Formats what tests expected and what came, for assertion messages. */
public final class Describe {
  private Describe() {}

  /** A duration as people write it: {@code 5 s}, {@code 250 ms}. */
  public static String duration(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** A text indented by two spaces on every line, so multi-line replies stay readable in a message. */
  public static String indent(String text) {
    return "  " + text.replace("\n", "\n  ");
  }

  /** Attributes sorted by name, so that messages do not depend on map order: {@code {BRANCH=main, ID=api}}. */
  public static String attributes(Map<String, String> attributes) {
    return new TreeMap<>(attributes).toString();
  }

  /** Items one per line, indented, or {@code "  (nothing)"}. */
  public static String list(List<?> items) {
    if (items.isEmpty()) {
      return "  (nothing)";
    }
    StringBuilder sb = new StringBuilder();
    for (Object item : items) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(indent(String.valueOf(item)));
    }
    return sb.toString();
  }
}
