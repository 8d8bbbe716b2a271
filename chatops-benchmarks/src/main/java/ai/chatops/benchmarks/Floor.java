package ai.chatops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor: only what no implementation can skip, the timestamp window and the HMAC-SHA256 check of the signature (with one
 * {@link Mac} kept per thread) and a Jackson parse of the body. Thread-safe.
 */
final class Floor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SignedEvents.SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });

  private Floor() {}

  static JsonNode handle(byte[] body, String timestamp, String signature) throws IOException {
    long age = System.currentTimeMillis() / 1000 - Long.parseLong(timestamp);
    if (Math.abs(age) > 300) {
      throw new IllegalStateException("stale timestamp");
    }
    Mac mac = MAC.get();
    mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
    byte[] digest = mac.doFinal(body);
    byte[] expected = ("v0=" + SignedEvents.hex(digest)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
      throw new IllegalStateException("bad signature");
    }
    return JSON.readTree(body);
  }
}
