package ai.chatops.slack.internal;

import ai.chatops.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signing, version {@code v0}: HMAC-SHA256 over {@code v0:<timestamp>:<raw body>} with the
 * app's signing secret, hex-encoded and prefixed {@code v0=}. Thread-safe; the secret never leaves it.
 */
public final class Signatures {
  /** How far the request timestamp may be from now, either way. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final SecretKeySpec key;
  private final Clock clock;
  /**
   * One initialised Mac per thread, reused: {@code doFinal} resets it for the next request. Cloning one Mac
   * per request, as before, copied the digest's state and buffers every time. An anonymous class rather than
   * {@code withInitial}, so that building a service bootstraps no lambda.
   */
  private final ThreadLocal<Mac> macs = new ThreadLocal<>() {
    @Override
    protected Mac initialValue() {
      return newMac();
    }
  };

  public Signatures(String signingSecret, Clock clock) {
    this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = clock;
    macs.get(); // fails here, at build, if the JVM has no HmacSHA256
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private Mac mac() {
    return macs.get();
  }

  /** The {@code X-Slack-Signature} value for this timestamp and body. */
  public String sign(long timestamp, byte[] body) {
    return new String(signature(timestamp, body), StandardCharsets.US_ASCII);
  }

  /** {@code v0=} and the hex HMAC, as ASCII bytes, without intermediate strings. */
  private byte[] signature(long timestamp, byte[] body) {
    Mac mac = mac();
    byte[] prefix = new byte[24]; // "v0:" + at most 20 characters of a long + ":"
    int n = 0;
    prefix[n++] = 'v';
    prefix[n++] = '0';
    prefix[n++] = ':';
    for (byte c : Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII)) {
      prefix[n++] = c;
    }
    prefix[n++] = ':';
    mac.update(prefix, 0, n);
    byte[] digest = mac.doFinal(body);
    byte[] hex = new byte[3 + 2 * digest.length];
    hex[0] = 'v';
    hex[1] = '0';
    hex[2] = '=';
    for (int i = 0; i < digest.length; i++) {
      hex[3 + 2 * i] = HEX[(digest[i] >> 4) & 0xf];
      hex[4 + 2 * i] = HEX[digest[i] & 0xf];
    }
    return hex;
  }

  /**
   * Checks the timestamp window and the signature, in constant time.
   *
   * @throws BadRequestException 401 naming what was wrong (never the expected signature)
   */
  public void verify(Optional<String> timestampHeader, Optional<String> signatureHeader, byte[] body) {
    String rawTimestamp = timestampHeader.isPresent() ? timestampHeader.get().trim() : "";
    if (rawTimestamp.isEmpty()) {
      throw new BadRequestException(401, "missing X-Slack-Request-Timestamp header");
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(rawTimestamp);
    } catch (NumberFormatException e) {
      throw new BadRequestException(401, "X-Slack-Request-Timestamp must be whole seconds since the epoch");
    }
    long now = clock.instant().getEpochSecond();
    if (timestamp < now - TOLERANCE.getSeconds()) {
      throw new BadRequestException(401, "X-Slack-Request-Timestamp is more than 5 minutes old");
    }
    if (timestamp > now + TOLERANCE.getSeconds()) {
      throw new BadRequestException(401, "X-Slack-Request-Timestamp is more than 5 minutes in the future");
    }
    String given = signatureHeader.isPresent() ? signatureHeader.get().trim() : "";
    if (given.isEmpty()) {
      throw new BadRequestException(401, "missing X-Slack-Signature header");
    }
    byte[] expected = signature(timestamp, body);
    if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      throw new BadRequestException(401, "X-Slack-Signature does not match the request");
    }
  }
}
