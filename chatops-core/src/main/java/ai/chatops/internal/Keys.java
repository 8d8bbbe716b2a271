package ai.chatops.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Store keys made from platform ids. The ids are hashed, so a key stays short and safe whatever a platform
 * (or an attacker) puts in them.
 */
public final class Keys {
  private Keys() {}

  // A subclass, not withInitial's lambda: the first event's worker would generate a class for it at start-up.
  private static final ThreadLocal<MessageDigest> SHA256 = new ThreadLocal<>() {
    @Override
    protected MessageDigest initialValue() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }
  };
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
  private static final int DIGEST_CHARS = 43;

  /** {@code <prefix>/<service>/<digest(parts)>}. */
  public static String hashed(String prefix, String service, String... parts) {
    byte[] digest = BASE64.encode(sha256(parts));
    StringBuilder key = new StringBuilder(prefix.length() + service.length() + 2 + DIGEST_CHARS)
        .append(prefix).append('/').append(service).append('/');
    for (byte b : digest) {
      key.append((char) b);
    }
    return key.toString();
  }

  /** {@code base64url(sha256(parts joined by newlines))}: 43 characters. */
  public static String digest(String... parts) {
    return new String(BASE64.encode(sha256(parts)), StandardCharsets.ISO_8859_1);
  }

  /**
   * The SHA-256 of the parts' UTF-8 joined by newlines, fed part by part rather than joined first: the same
   * bytes (a newline never completes a surrogate pair) without the joined copy. A null part reads "null",
   * as {@link String#join} writes it.
   */
  private static byte[] sha256(String... parts) {
    MessageDigest sha = SHA256.get();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sha.update((byte) '\n');
      }
      sha.update(String.valueOf(parts[i]).getBytes(StandardCharsets.UTF_8));
    }
    return sha.digest();
  }
}
