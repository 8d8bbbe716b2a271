package ai.chatops.x.internal;

import ai.chatops.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * X's Account Activity signatures, both made with the app's consumer secret: the CRC answer
 * ({@code sha256=} and the base64 HMAC-SHA256 of the {@code crc_token}) and the check of each delivery's
 * {@code x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(raw body)>}, compared in constant time.
 * Thread-safe; the secret never leaves it.
 */
public final class WebhookSignature {
  /** The header X signs every delivery with. */
  public static final String HEADER = "x-twitter-webhooks-signature";
  private static final String PREFIX = "sha256=";

  private final Mac prototype;

  public WebhookSignature(String consumerSecret) {
    try {
      prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(consumerSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** {@code sha256=} and the base64 HMAC-SHA256 of {@code bytes}: a CRC response token or a body's signature. */
  public String sign(byte[] bytes) {
    return PREFIX + Base64.getEncoder().encodeToString(mac().doFinal(bytes));
  }

  /**
   * Checks the header values a delivery carried against its body.
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
          + "sha256= and the base64 HMAC-SHA256 of the raw body with the consumer secret)");
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
