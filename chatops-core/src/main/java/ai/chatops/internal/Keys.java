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

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  });

  /** {@code <prefix>/<service>/<digest(parts)>}. */
  public static String hashed(String prefix, String service, String... parts) {
    return prefix + "/" + service + "/" + digest(parts);
  }

  /** {@code base64url(sha256(parts joined by newlines))}: 43 characters. */
  public static String digest(String... parts) {
    byte[] digest = SHA256.get().digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }
}
