package ai.chatops.toolkit;

import ai.chatops.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook's HMAC-SHA256 signature header, as Meta ({@code X-Hub-Signature-256: sha256=<hex>}) and X
 * ({@code x-twitter-webhooks-signature: sha256=<base64>}) send it: the prefix and the HMAC of the raw body with
 * a shared secret, checked in constant time. One instance per secret, shared by every request.
 *
 * <pre>{@code
 * HmacSignature signature = HmacSignature.builder(appSecret)
 *     .header("X-Hub-Signature-256").prefix("sha256=").encoding(HmacSignature.Encoding.HEX)
 *     .secretName("app secret").build();
 * signature.verify(request.headers().getOrDefault("x-hub-signature-256", List.of()), request.body());
 * }</pre>
 *
 * <p>Immutable and thread-safe; the secret never leaves it, nor appears in {@link #toString()} or in an error.
 */
public final class HmacSignature {
  /** How the HMAC's bytes are written after the prefix. */
  public enum Encoding {
    /** Lower-case hexadecimal. */
    HEX,
    /** Standard base64 with padding. */
    BASE64
  }

  private final String header;
  private final String prefix;
  private final Encoding encoding;
  private final String secretName;
  private final Mac prototype;

  private HmacSignature(Builder b) {
    this.header = b.header;
    this.prefix = b.prefix;
    this.encoding = b.encoding;
    this.secretName = b.secretName;
    try {
      prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(b.secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** Starts a signature keyed with {@code secret}, a non-empty shared secret. */
  public static Builder builder(String secret) {
    return new Builder(secret);
  }

  /** The header's name, as the platform documents it. */
  public String header() {
    return header;
  }

  /** The header value the platform would send for {@code bytes}: the prefix and the encoded HMAC. */
  public String sign(byte[] bytes) {
    byte[] hmac = mac().doFinal(bytes);
    return prefix + (encoding == Encoding.HEX ? HexFormat.of().formatHex(hmac)
        : Base64.getEncoder().encodeToString(hmac));
  }

  /**
   * Checks the values of {@link #header()} that a request carried against its raw body.
   *
   * @throws BadRequestException 401 when the header is missing, repeated or does not match (never saying what
   *     was expected)
   */
  public void verify(List<String> headerValues, byte[] body) {
    if (headerValues.isEmpty() || headerValues.get(0).isBlank()) {
      throw new BadRequestException(401, "unauthenticated: no " + header + " header");
    }
    if (headerValues.size() > 1) {
      throw new BadRequestException(401, "unauthenticated: " + header + " must be sent once but was sent "
          + headerValues.size() + " times");
    }
    byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = headerValues.get(0).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, given)) {
      throw new BadRequestException(401, "unauthenticated: " + header + " does not match the body (expected "
          + prefix + " and the " + encoding.name().toLowerCase(Locale.ROOT) + " HMAC-SHA256 of the raw body with the "
          + secretName + ")");
    }
  }

  private Mac mac() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("this JVM's HmacSHA256 cannot be cloned", e);
    }
  }

  @Override
  public String toString() {
    return "HmacSignature{" + header + ": " + prefix + encoding.name().toLowerCase(Locale.ROOT) + " HMAC-SHA256}";
  }

  /** Builds an {@link HmacSignature}. Not thread-safe. */
  public static final class Builder {
    private final String secret;
    private String header;
    private String prefix = "";
    private Encoding encoding = Encoding.HEX;
    private String secretName = "shared secret";

    private Builder(String secret) {
      this.secret = Objects.requireNonNull(secret, "secret");
      if (secret.isEmpty()) {
        throw new IllegalArgumentException("an HMAC secret must not be empty");
      }
    }

    /** The header that carries the signature; required. */
    public Builder header(String header) {
      this.header = Objects.requireNonNull(header, "header");
      return this;
    }

    /** What comes before the encoded HMAC, such as {@code sha256=}; none by default. */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** How the HMAC is written; {@link Encoding#HEX} by default. */
    public Builder encoding(Encoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    /** What the platform calls the secret ("app secret"), for the refusal's hint; "shared secret" by default. */
    public Builder secretName(String secretName) {
      this.secretName = Objects.requireNonNull(secretName, "secretName");
      return this;
    }

    /** The signature; throws {@link IllegalStateException} when no header was given. */
    public HmacSignature build() {
      if (header == null || header.isEmpty()) {
        throw new IllegalStateException("HmacSignature needs the header that carries the signature");
      }
      return new HmacSignature(this);
    }
  }
}
