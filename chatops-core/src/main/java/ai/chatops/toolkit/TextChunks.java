package ai.chatops.toolkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a long text into the parts a platform accepts under its message-length limit: at a line break or a
 * space where there is one in the second half of a part, and never inside a surrogate pair. Stateless and
 * thread-safe.
 */
public final class TextChunks {
  private TextChunks() {}

  /** The parts of {@code text}, each at most {@code max} UTF-16 units long; one empty part for empty text. */
  public static List<String> split(String text, int max) {
    if (max < 2) {
      throw new IllegalArgumentException("max must be at least 2 but was " + max);
    }
    List<String> parts = new ArrayList<>();
    String rest = text;
    while (rest.length() > max) {
      int cut = rest.lastIndexOf('\n', max);
      if (cut < max / 2) {
        cut = rest.lastIndexOf(' ', max);
      }
      int next;
      if (cut < max / 2) {
        cut = Character.isHighSurrogate(rest.charAt(max - 1)) ? max - 1 : max;
        next = cut;
      } else {
        next = cut + 1; // the break itself is dropped
      }
      parts.add(rest.substring(0, cut));
      rest = rest.substring(next);
    }
    parts.add(rest);
    return parts;
  }
}
