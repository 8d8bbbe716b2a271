package ai.chatops.benchmarks;

import ai.chatops.WebhookRequest;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.util.SlackRequestParser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed Slack {@code app_mention} requests, as Slack sends them, for every candidate of the comparison:
 * the raw body and headers (floor), a {@link WebhookRequest} (chatops) and Bolt's {@code HttpRequest}.
 * Every event has its own {@code event_id}, so that deduplication never drops one. Not thread-safe.
 */
final class SignedEvents {
  static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final String BOT_TOKEN = "xoxb-1-2-benchmark";
  static final String BOT_USER = "UBOT";
  static final String PATH = "/slack/events";
  /** Free text that the local NLU resolves to {@code /v1/bot/ping} (the explicit grammar does not match it). */
  static final String TEXT = "<@" + BOT_USER + "> are you awake?";

  private SignedEvents() {}

  /** One signed request: body, timestamp and signature. */
  record Signed(String eventId, byte[] body, String timestamp, String signature) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    WebhookRequest toWebhookRequest() {
      return WebhookRequest.builder("POST", PATH)
          .header("Content-Type", "application/json")
          .header("X-Slack-Request-Timestamp", timestamp)
          .header("X-Slack-Signature", signature)
          .body(body)
          .build();
    }

    SlackRequestParser.HttpRequest toBoltRequest() {
      return SlackRequestParser.HttpRequest.builder()
          .requestUri(PATH)
          .requestBody(bodyText())
          .headers(new RequestHeaders(Map.of(
              "content-type", List.of("application/json"),
              "x-slack-request-timestamp", List.of(timestamp),
              "x-slack-signature", List.of(signature))))
          .remoteAddress("127.0.0.1")
          .build();
    }
  }

  static Signed mention(String eventId, String text, long epochSecond) {
    String json = "{\"token\":\"legacy-token\",\"team_id\":\"T0BENCH\",\"api_app_id\":\"A0BENCH\","
        + "\"event\":{\"type\":\"app_mention\",\"user\":\"U0HUMAN\",\"text\":\"" + text + "\","
        + "\"ts\":\"" + epochSecond + ".000100\",\"channel\":\"C0BENCH\",\"event_ts\":\"" + epochSecond
        + ".000100\"},\"type\":\"event_callback\",\"event_id\":\"" + eventId + "\",\"event_time\":"
        + epochSecond + ",\"authorizations\":[{\"enterprise_id\":null,\"team_id\":\"T0BENCH\",\"user_id\":\""
        + BOT_USER + "\",\"is_bot\":true,\"is_enterprise_install\":false}],\"is_ext_shared_channel\":false,"
        + "\"event_context\":\"4-eyJldCI6ImFwcF9tZW50aW9uIn0\"}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(epochSecond);
    return new Signed(eventId, body, timestamp, sign(timestamp, body));
  }

  static Signed mention(String eventId, long epochSecond) {
    return mention(eventId, TEXT, epochSecond);
  }

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });

  static String sign(String timestamp, byte[] body) {
    Mac mac = MAC.get();
    mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
    return "v0=" + hex(mac.doFinal(body));
  }

  static String hex(byte[] bytes) {
    StringBuilder hex = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }
}
