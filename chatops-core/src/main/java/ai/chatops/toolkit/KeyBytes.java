package ai.chatops.toolkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Fits store keys into a backend's limit on key bytes (DynamoDB sort keys: 1024 bytes of UTF-8, Datastore key
 * names: 1500). A key that fits is kept. A longer one (only keys with non-ASCII characters: store keys have at
 * most 512 characters) is cut to {@link #keptBytes()} bytes on a character boundary and followed by
 * {@code U+0000} and the base64url SHA-256 of the whole key, so distinct keys stay distinct and a prefix of up
 * to {@code keptBytes} bytes still finds them. Backends store the full key beside the shortened one.
 *
 * <p>For {@link ai.chatops.store.Store} implementations; immutable and thread-safe.
 */
public final class KeyBytes {
  /** The separator and 43 base64url characters of a SHA-256 digest. */
  private static final int HASH_SUFFIX_BYTES = 1 + 43;

  private final int maxBytes;
  private final int keptBytes;

  /** Keys of at most {@code maxBytes} bytes of UTF-8. */
  public KeyBytes(int maxBytes) {
    if (maxBytes <= HASH_SUFFIX_BYTES) {
      throw new IllegalArgumentException("maxBytes must exceed " + HASH_SUFFIX_BYTES + ": " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.keptBytes = maxBytes - HASH_SUFFIX_BYTES;
  }

  /** The backend's limit, in bytes of UTF-8. */
  public int maxBytes() {
    return maxBytes;
  }

  /** The bytes of a long key kept in front of its hash. */
  public int keptBytes() {
    return keptBytes;
  }

  /** Whether {@code key} fits as it is. */
  public boolean fits(String key) {
    return utf8Length(key) <= maxBytes;
  }

  /** {@code key} cut to {@link #keptBytes()} bytes, then {@code U+0000} and its hash. */
  public String shortened(String key) {
    return head(key) + '\u0000' + sha256(key);
  }

  /** {@code key} if it fits, else {@link #shortened}. */
  public String of(String key) {
    return fits(key) ? key : shortened(key);
  }

  /**
   * What a prefix query on stored keys may ask for to find every key starting with {@code prefix}: the prefix
   * itself, or its first {@link #keptBytes()} bytes when it is longer (matches are then checked against the
   * full key).
   */
  public String queryPrefix(String prefix) {
    return utf8Length(prefix) <= keptBytes ? prefix : head(prefix);
  }

  /** The longest start of {@code s} that fits {@link #keptBytes()} bytes of UTF-8, on a character boundary. */
  private String head(String s) {
    CharsetEncoder encoder = UTF_8.newEncoder();
    CharBuffer in = CharBuffer.wrap(s);
    CoderResult result = encoder.encode(in, ByteBuffer.allocate(keptBytes), true);
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
