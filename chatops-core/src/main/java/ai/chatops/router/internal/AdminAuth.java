package ai.chatops.router.internal;

import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that a request comes from the host's administrator, by either of two means the host enables:
 * <ul>
 *   <li>{@code Authorization: Bearer <token>}; the SHA-256 digests of the given and the configured token are
 *       compared with {@link MessageDigest#isEqual}, so the time taken says nothing about either;
 *   <li>{@code X-Chatops-Timestamp: <unix seconds>} and {@code X-Chatops-Signature: sha256=<hex>}, the
 *       HMAC-SHA256 under the admin secret of {@code <timestamp>\n<METHOD>\n<path>\n<query>\n} followed by
 *       the raw body. The timestamp must be within 5 minutes of the router's clock, and each signature is
 *       accepted once: it is remembered in the store for twice that window, so a captured request cannot
 *       be replayed, not even on another router sharing the store.
 * </ul>
 * A refusal never says which part was wrong. Thread-safe.
 */
public final class AdminAuth {
  public static final String TIMESTAMP_HEADER = "X-Chatops-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Chatops-Signature";
  public static final Duration WINDOW = Duration.ofMinutes(5);

  private final byte[] tokenDigest;
  private final byte[] secret;
  private final Store store;
  private final Clock clock;

  /** Either may be null; with both null, {@link #enabled()} is false. */
  public AdminAuth(byte[] token, byte[] secret, Store store, Clock clock) {
    this.tokenDigest = token == null ? null : sha256(token);
    this.secret = secret == null ? null : secret.clone();
    this.store = store;
    this.clock = clock;
  }

  public boolean enabled() {
    return tokenDigest != null || secret != null;
  }

  /** Whether the request carries a valid bearer token or a fresh, valid, unused signature. */
  public boolean verify(WebhookRequest request) {
    if (tokenDigest != null) {
      Optional<String> authorization = request.header("Authorization");
      if (authorization.isPresent() && authorization.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
        byte[] given = authorization.get().substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(tokenDigest, sha256(given))) {
          return true;
        }
      }
    }
    return secret != null && signatureValid(request);
  }

  private boolean signatureValid(WebhookRequest request) {
    Optional<String> timestamp = request.header(TIMESTAMP_HEADER);
    Optional<String> signature = request.header(SIGNATURE_HEADER);
    if (timestamp.isEmpty() || signature.isEmpty() || !timestamp.get().matches("[0-9]{1,12}")) {
      return false;
    }
    Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp.get()));
    Instant now = clock.instant();
    if (Duration.between(at, now).abs().compareTo(WINDOW) > 0) {
      return false;
    }
    byte[] expected = ("sha256=" + HookEndpoint.hex(HookEndpoint.hmac(secret, signedBytes(timestamp.get(),
        request)))).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.get().getBytes(StandardCharsets.US_ASCII))) {
      return false;
    }
    String seen = "admin-signature/" + HookEndpoint.hex(sha256(expected));
    return store.putIfAbsent(seen, new byte[0], now.plus(WINDOW.multipliedBy(2)));
  }

  /** The bytes a signature covers; public for hosts' tests and tools that sign requests. */
  public static byte[] signedBytes(String timestamp, WebhookRequest request) {
    byte[] head = (timestamp + "\n" + request.method() + "\n" + request.path() + "\n" + request.query() + "\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] body = request.body();
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** The 401 answer, with the schemes this router accepts. */
  public WebhookResponse challenge() {
    List<String> schemes = new ArrayList<>();
    if (tokenDigest != null) {
      schemes.add("Bearer realm=\"chatops-admin\"");
    }
    if (secret != null) {
      schemes.add("ChatOps-HMAC-SHA256 realm=\"chatops-admin\", headers=\"" + TIMESTAMP_HEADER + " "
          + SIGNATURE_HEADER + "\"");
    }
    return WebhookResponse.text(401, "administrator authentication required")
        .withHeader("WWW-Authenticate", String.join(", ", schemes));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
