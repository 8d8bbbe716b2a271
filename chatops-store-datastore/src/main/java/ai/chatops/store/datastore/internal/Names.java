package ai.chatops.store.datastore.internal;

import ai.chatops.toolkit.KeyBytes;

/**
 * Maps store keys to Datastore key names. A key is its own name, except where Datastore would refuse it: a
 * name holds at most 1500 bytes of UTF-8 (store keys of non-ASCII characters can be longer), and names that
 * start and end with {@code __} are reserved. Such a key's name is its first {@link #KEPT_BYTES} bytes, cut
 * on a character boundary, followed by {@code U+0000} and the key's SHA-256 ({@link KeyBytes}); the full key
 * is stored beside it. A prefix of up to {@code KEPT_BYTES} bytes still finds every key that starts with it.
 */
public final class Names {
  /** Datastore's limit for a key name, in UTF-8 bytes. */
  public static final int MAX_BYTES = 1500;

  private static final KeyBytes BYTES = new KeyBytes(MAX_BYTES);

  /** The bytes of a key kept in a replaced name: room for the separator and 43 base64 characters. */
  public static final int KEPT_BYTES = BYTES.keptBytes();

  private Names() {}

  /** The key name for {@code key}. */
  public static String of(String key) {
    return BYTES.fits(key) && !isReserved(key) ? key : BYTES.shortened(key);
  }

  /** The start a key name has when its key starts with {@code prefix} (the prefix, cut when longer). */
  public static String queryPrefix(String prefix) {
    return BYTES.queryPrefix(prefix);
  }

  /**
   * The least string, in code point order (which is UTF-8 byte order), greater than every string that
   * starts with {@code prefix}; null if there is none (the prefix is empty or all U+10FFFF).
   */
  public static String successor(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int last = prefix.codePointBefore(end);
      int start = end - Character.charCount(last);
      if (last < Character.MAX_CODE_POINT) {
        int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
        return prefix.substring(0, start) + new String(Character.toChars(next));
      }
      end = start;
    }
    return null;
  }

  /**
   * A name to compare keys with in a {@code __key__} range filter, equivalent to {@code bound} as a bound
   * of stored names: {@code bound} itself, or, when it is reserved, {@code bound + U+0000}. A reserved name
   * is never stored (such keys are named by a hash), so no stored name lies between the two.
   */
  public static String bound(String bound) {
    return isReserved(bound) ? bound + '\u0000' : bound;
  }

  private static boolean isReserved(String key) {
    return key.length() >= 4 && key.startsWith("__") && key.endsWith("__");
  }

  /** The length of {@code s} in UTF-8, without encoding it. */
  public static int utf8Length(String s) {
    return KeyBytes.utf8Length(s);
  }
}
