package ai.chatops.store.dynamodb.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Maps store keys to DynamoDB sort keys, which hold at most 1024 bytes of UTF-8. A key that fits is its own
 * sort key. A longer one (only keys with non-ASCII characters: store keys have at most 512 characters) is
 * cut to {@link #KEPT_BYTES} bytes on a character boundary and followed by {@code U+0000} and the SHA-256 of
 * the whole key, so distinct keys keep distinct sort keys and a prefix of up to {@code KEPT_BYTES} bytes
 * still finds them with {@code begins_with}.
 */
public final class SortKeys {
  /** DynamoDB's limit for a sort key, in UTF-8 bytes. */
  public static final int MAX_BYTES = 1024;
  /** The bytes of a long key kept in its sort key: room for the separator and 43 base64 characters. */
  public static final int KEPT_BYTES = MAX_BYTES - 1 - 43;

  private SortKeys() {}

  /** The sort key for {@code key}. */
  public static String of(String key) {
    if (utf8Length(key) <= MAX_BYTES) {
      return key;
    }
    return head(key) + '\u0000' + sha256(key);
  }

  /**
   * What a {@code begins_with} on sort keys may ask for to find every key starting with {@code prefix}:
   * the prefix itself, or its first {@link #KEPT_BYTES} bytes when it is longer (matches are then checked
   * against the full key).
   */
  public static String queryPrefix(String prefix) {
    return utf8Length(prefix) <= KEPT_BYTES ? prefix : head(prefix);
  }

  /** The longest start of {@code s} that fits {@link #KEPT_BYTES} bytes of UTF-8, on a character boundary. */
  private static String head(String s) {
    CharsetEncoder encoder = UTF_8.newEncoder();
    CharBuffer in = CharBuffer.wrap(s);
    CoderResult result = encoder.encode(in, ByteBuffer.allocate(KEPT_BYTES), true);
    if (result.isError()) {
      throw new IllegalArgumentException("key is not valid UTF-16 (a lone surrogate?)");
    }
    return s.substring(0, in.position());
  }

  private static String sha256(String s) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The length of {@code s} in UTF-8, without encoding it. */
  public static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
