package ai.chatops.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Meta's side in tests: a Graph API stand-in answering the Send API as documented (unless a test queued
 * another answer), and webhook deliveries built and signed here as Meta signs them. Close it after the test.
 */
final class Meta implements AutoCloseable {
  static final String APP_SECRET = "meta-app-secret";
  static final String VERIFY_TOKEN = "verify-me-please";
  static final String PAGE_TOKEN = "EAAGpagetoken123";
  static final String PAGE = "1094726311";
  static final String USER = "6543210987";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();

  final MockWebServer graph = new MockWebServer();
  private final Queue<MockResponse> queued = new ConcurrentLinkedQueue<>();

  Meta() {
    graph.setDispatcher(new Dispatcher() {
      private int ids;

      @Override
      public synchronized MockResponse dispatch(RecordedRequest request) {
        MockResponse next = queued.poll();
        if (next != null) {
          return next;
        }
        return json(200, "{\"recipient_id\":\"" + USER + "\",\"message_id\":\"m_bot-" + ++ids + "\"}");
      }
    });
    try {
      graph.start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A service for this stand-in: no typing indicator unless a test asks for one, no waits between retries. */
  MessengerService.Builder service() {
    return MessengerService.builder().appSecret(APP_SECRET).verifyToken(VERIFY_TOKEN).pageToken(PAGE_TOKEN)
        .apiUrl(graph.url("/v24.0/").toString()).typingDelay(Duration.ofHours(1)).serverRetries(2, Duration.ZERO)
        .maxBackoff(Duration.ZERO);
  }

  /** Answers the next Send API call with this status and body instead of success. */
  void queue(int status, String body) {
    queued.add(json(status, body));
  }

  static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
  }

  // ---- deliveries, as the Messenger Platform documents them

  /** A batch with one messaging item for {@link #PAGE}. */
  static ObjectNode batch(ObjectNode item) {
    ObjectNode root = JSON.createObjectNode().put("object", "page");
    ObjectNode entry = root.putArray("entry").addObject().put("id", PAGE).put("time", 1_700_000_000_000L);
    entry.putArray("messaging").add(item);
    return root;
  }

  /** A messaging item from {@link #USER} to {@link #PAGE}. */
  static ObjectNode item(long timestamp) {
    ObjectNode item = JSON.createObjectNode();
    item.putObject("sender").put("id", USER);
    item.putObject("recipient").put("id", PAGE);
    item.put("timestamp", timestamp);
    return item;
  }

  /** A text message. */
  static ObjectNode text(String mid, String text) {
    ObjectNode item = item(1_700_000_000_123L);
    item.putObject("message").put("mid", mid).put("text", text);
    return batch(item);
  }

  /** A tap on a quick reply: the title as text, the payload as the answer. */
  static ObjectNode quickReply(String mid, String title, String payload) {
    ObjectNode item = item(1_700_000_000_456L);
    ObjectNode message = item.putObject("message").put("mid", mid).put("text", title);
    message.putObject("quick_reply").put("payload", payload);
    return batch(item);
  }

  /** A click on a postback button, without a mid (as older deliveries come). */
  static ObjectNode postback(long timestamp, String title, String payload) {
    ObjectNode item = item(timestamp);
    item.putObject("postback").put("title", title).put("payload", payload);
    return batch(item);
  }

  static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A POST to the webhook with this signature header (none when null). */
  static WebhookRequest post(String signature, byte[] body) {
    WebhookRequest.Builder request = WebhookRequest.builder("POST", "/messenger/webhook")
        .header("Content-Type", "application/json").body(body);
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    return request.build();
  }

  /** A POST signed with the app secret, as Meta sends it. */
  static WebhookRequest signed(ObjectNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return post(sign(APP_SECRET, bytes), bytes);
  }

  RecordedRequest next() throws InterruptedException {
    RecordedRequest request = graph.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request).as("a call to the Graph API").isNotNull();
    return request;
  }

  static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().utf8());
  }

  @Override
  public void close() {
    graph.close();
  }
}
