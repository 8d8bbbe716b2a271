package ai.chatops.nlu.internal;

import java.util.Arrays;
import java.util.Map;

/**
 * The symbols of the word shapes the tagger was trained on, looked up from a shape written into a reused
 * {@code char[]} (see {@link Text#shape(String, char[])}), so that no string is built per word. Immutable
 * after construction and thread-safe.
 */
final class ShapeTable {
  private final String[] keys;
  private final int[] values;

  ShapeTable(Map<String, Integer> symbols) {
    int capacity = Integer.highestOneBit(Math.max(4, symbols.size() * 2 - 1)) << 1;
    keys = new String[capacity];
    values = new int[capacity];
    Arrays.fill(values, -1);
    int mask = capacity - 1;
    for (Map.Entry<String, Integer> e : symbols.entrySet()) {
      int i = e.getKey().hashCode() & mask;
      while (keys[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = e.getKey();
      values[i] = e.getValue();
    }
  }

  /** The symbol of the shape in {@code chars[0, length)}, or -1. */
  int get(char[] chars, int length) {
    int h = 0;
    for (int k = 0; k < length; k++) {
      h = 31 * h + chars[k];
    }
    int mask = keys.length - 1;
    for (int i = h & mask; keys[i] != null; i = (i + 1) & mask) {
      if (equal(keys[i], chars, length)) {
        return values[i];
      }
    }
    return -1;
  }

  private static boolean equal(String key, char[] chars, int length) {
    if (key.length() != length) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (key.charAt(k) != chars[k]) {
        return false;
      }
    }
    return true;
  }
}
