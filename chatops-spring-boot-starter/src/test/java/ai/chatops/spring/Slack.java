package ai.chatops.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Sends Slack Events API callbacks to the app, signed as Slack signs them. */
final class Slack {
  static final String SECRET = "test-signing-secret";
  static final String TOKEN = "xoxb-test-token";

  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  Slack(int port) {
    this.port = port;
  }

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

  static String mention(String eventId, String text) {
    return "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
        + "\",\"event_time\":1700000000,\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],"
        + "\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> " + text
        + "\",\"ts\":\"1700000001.000100\",\"channel\":\"C1\"}}";
  }

  /** Posts {@code body} to /slack/events signed with {@code secret}. */
  HttpResponse<String> post(String body, String secret) throws Exception {
    long now = Instant.now().getEpochSecond();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(now))
        .header("X-Slack-Signature", sign(secret, now, body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body) throws Exception {
    return post(body, SECRET);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
