package ai.chatops.router.internal;

import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/hooks/<plugin>}: outside systems notify a plugin. Each plugin's hooks are enabled by a
 * secret the host sets; the sender sends {@code X-Chatops-Timestamp: <unix seconds>} and
 * {@code X-Chatops-Signature: sha256=<hex>}, the HMAC-SHA256 under that secret of the timestamp, a dot, and the
 * raw body ({@code <timestamp>.<body>}), compared in constant time. A timestamp more than 5 minutes from the
 * router's clock is refused, and each signature is accepted once: it is remembered in the store until the
 * window has passed, so a captured hook cannot be replayed, not even on another router sharing the store.
 * Unknown plugins and plugins without a secret get 404, so the endpoint reveals nothing about which plugins
 * exist; a missing, stale or wrong signature gets 401, a replay 409, and a store that cannot remember the
 * signature 503 (the sender retries). Thread-safe.
 */
public final class HookEndpoint {
  public static final String PREFIX = "/v1/hooks/";
  public static final String SIGNATURE_HEADER = "X-Chatops-Signature";
  public static final String TIMESTAMP_HEADER = "X-Chatops-Timestamp";
  /** How far a hook's timestamp may be from the router's clock, either way. */
  public static final Duration WINDOW = Duration.ofMinutes(5);
  static final String SEEN_PREFIX = "hook-signature/";
  private static final Logger log = LoggerFactory.getLogger(HookEndpoint.class);

  private final Map<String, byte[]> secrets;
  private final Store store;
  private final Clock clock;

  public HookEndpoint(Map<String, byte[]> secrets, Store store, Clock clock) {
    this.secrets = Map.copyOf(secrets);
    this.store = store;
    this.clock = clock;
  }

  /** Whether the path is a hook path at all. */
  public static boolean matches(String path) {
    return path.startsWith(PREFIX);
  }

  /** The outcome of checking a hook request: the plugin it is for, or the refusal to answer with. */
  public record Verdict(Optional<String> plugin, WebhookResponse refusal) {
    static Verdict refuse(WebhookResponse refusal) {
      return new Verdict(Optional.empty(), refusal);
    }
  }

  /** Checks a hook request's path, method and signature. */
  public Verdict verify(WebhookRequest request) {
    String plugin = request.path().substring(PREFIX.length());
    byte[] secret = secrets.get(plugin);
    if (secret == null) {
      return Verdict.refuse(WebhookResponse.text(404, "no hook is enabled at this path"));
    }
    if (!request.method().equals("POST")) {
      return Verdict.refuse(WebhookResponse.text(405, request.method() + " is not allowed on hooks")
          .withHeader("Allow", "POST"));
    }
    Optional<String> given = request.header(SIGNATURE_HEADER);
    if (given.isEmpty() || !given.get().startsWith("sha256=")) {
      log.warn("hook for {} refused: no {} header of the form sha256=<hex>", plugin, SIGNATURE_HEADER);
      return Verdict.refuse(WebhookResponse.text(401,
          "missing " + SIGNATURE_HEADER + ": sha256=<hex HMAC of the timestamp, a dot and the body>"));
    }
    Optional<String> timestamp = request.header(TIMESTAMP_HEADER);
    if (timestamp.isEmpty() || !timestamp.get().matches("[0-9]{1,12}")) {
      log.warn("hook for {} refused: no {} header of unix seconds", plugin, TIMESTAMP_HEADER);
      return Verdict.refuse(WebhookResponse.text(401, "missing " + TIMESTAMP_HEADER + ": <unix seconds>, which"
          + " the signature covers with the body (hooks signed over the body alone are no longer accepted)"));
    }
    Instant now = clock.instant();
    Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp.get()));
    if (Duration.between(at, now).abs().compareTo(WINDOW) > 0) {
      log.warn("hook for {} refused: its timestamp is {} s from the router's clock", plugin,
          Duration.between(at, now).toSeconds());
      return Verdict.refuse(WebhookResponse.text(401, "stale " + TIMESTAMP_HEADER
          + ": more than 5 minutes from the bot's clock"));
    }
    byte[] expected = ("sha256=" + hex(hmac(secret, signedBytes(timestamp.get(), request.body()))))
        .getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given.get().getBytes(StandardCharsets.US_ASCII))) {
      log.warn("hook for {} refused: bad signature", plugin);
      return Verdict.refuse(WebhookResponse.text(401, "bad " + SIGNATURE_HEADER));
    }
    boolean first;
    try {
      // Kept until the timestamp leaves the window: after that the window check refuses the request anyway.
      first = store.putIfAbsent(SEEN_PREFIX + hex(sha256(expected)), new byte[0], at.plus(WINDOW).plusSeconds(1));
    } catch (RuntimeException e) {
      log.error("hook for {}: the store could not remember its signature; asking the sender to retry", plugin, e);
      return Verdict.refuse(WebhookResponse.text(503, "the bot's store is unavailable; try again"));
    }
    if (!first) {
      log.warn("hook for {} refused: replayed (its signature was accepted before)", plugin);
      return Verdict.refuse(WebhookResponse.text(409, "this hook request was received before; send a new one"
          + " with a fresh timestamp"));
    }
    return new Verdict(Optional.of(plugin), null);
  }

  /** The bytes a hook's signature covers: the timestamp, a dot, and the raw body. */
  public static byte[] signedBytes(String timestamp, byte[] body) {
    byte[] head = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** HMAC-SHA256 of {@code body} with {@code secret}. */
  public static byte[] hmac(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  public static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
