package ai.chatops.router.internal;

import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/hooks/<plugin>}: outside systems notify a plugin. Each plugin's hooks are enabled by a
 * secret the host sets; the sender signs the raw body with HMAC-SHA256 and sends
 * {@code X-Chatops-Signature: sha256=<hex>}, compared in constant time. Unknown plugins and plugins without
 * a secret get 404, so the endpoint reveals nothing about which plugins exist; a missing or wrong signature
 * gets 401.
 */
public final class HookEndpoint {
  public static final String PREFIX = "/v1/hooks/";
  public static final String SIGNATURE_HEADER = "X-Chatops-Signature";
  private static final Logger log = LoggerFactory.getLogger(HookEndpoint.class);

  private final Map<String, byte[]> secrets;

  public HookEndpoint(Map<String, byte[]> secrets) {
    this.secrets = Map.copyOf(secrets);
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
      return Verdict.refuse(
          WebhookResponse.text(401, "missing " + SIGNATURE_HEADER + ": sha256=<hex HMAC of the body>"));
    }
    byte[] expected = ("sha256=" + hex(hmac(secret, request.body()))).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given.get().getBytes(StandardCharsets.US_ASCII))) {
      log.warn("hook for {} refused: bad signature", plugin);
      return Verdict.refuse(WebhookResponse.text(401, "bad " + SIGNATURE_HEADER));
    }
    return new Verdict(Optional.of(plugin), null);
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
