package ai.chatops.servlet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds and signs Slack Events API requests, as Slack does. */
final class Slack {
  static final String SECRET = "test-signing-secret";
  static final String TOKEN = "xoxb-test-token";

  private Slack() {}

  static String sign(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder("v0=");
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An {@code app_mention} of the bot saying {@code text}. */
  static String mention(String eventId, String text) {
    return "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
        + "\",\"event_time\":1700000000,\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],"
        + "\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> " + text
        + "\",\"ts\":\"1700000001.000100\",\"channel\":\"C1\"}}";
  }
}
