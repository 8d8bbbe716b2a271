package ai.chatops.messenger.internal;

import ai.chatops.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meta's webhook signature: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>},
 * compared in constant time. Thread-safe; the secret never leaves it.
 */
public final class HubSignature {
  /** The header Meta signs every webhook delivery with. */
  public static final String HEADER = "X-Hub-Signature-256";
  private static final String PREFIX = "sha256=";

  private final Mac prototype;

  public HubSignature(String appSecret) {
    try {
      prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** The header value Meta would send for this body: {@code sha256=} and the lower-case hex HMAC. */
  public String sign(byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac().doFinal(body));
  }

  /**
   * Checks the header values a request carried against its body.
   *
   * @throws BadRequestException 401 when the header is missing, repeated or does not match (never saying what
   *     was expected)
   */
  public void verify(List<String> headerValues, byte[] body) {
    if (headerValues.isEmpty() || headerValues.get(0).isBlank()) {
      throw new BadRequestException(401, "unauthenticated: no " + HEADER + " header");
    }
    if (headerValues.size() > 1) {
      throw new BadRequestException(401, "unauthenticated: " + HEADER + " must be sent once but was sent "
          + headerValues.size() + " times");
    }
    byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = headerValues.get(0).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, given)) {
      throw new BadRequestException(401, "unauthenticated: " + HEADER + " does not match the body (expected "
          + "sha256= and the hex HMAC-SHA256 of the raw body with the app secret)");
    }
  }

  private Mac mac() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("this JVM's HmacSHA256 cannot be cloned", e);
    }
  }
}
