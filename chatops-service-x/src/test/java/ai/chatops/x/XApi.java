package ai.chatops.x;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
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
 * X's side in tests: an X API stand-in answering direct-message sends as documented (unless a test queued
 * another answer), and Account Activity deliveries built and signed here as X signs them. Close it after the
 * test.
 */
final class XApi implements AutoCloseable {
  static final String CONSUMER_SECRET = "x-consumer-secret";
  static final String BOT_TOKEN = "x-bot-user-token";
  static final String BOT = "4337869213";
  static final String USER = "3001969357";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();

  final MockWebServer api = new MockWebServer();
  private final Queue<MockResponse> queued = new ConcurrentLinkedQueue<>();

  XApi() {
    api.setDispatcher(new Dispatcher() {
      private int ids;

      @Override
      public synchronized MockResponse dispatch(RecordedRequest request) {
        MockResponse next = queued.poll();
        if (next != null) {
          return next;
        }
        return json(201, "{\"data\":{\"dm_conversation_id\":\"" + USER + "-" + BOT + "\",\"dm_event_id\":\"1582"
            + ++ids + "\"}}");
      }
    });
    try {
      api.start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A service for this stand-in, with no waits between retries. */
  XService.Builder service() {
    return XService.builder().consumerSecret(CONSUMER_SECRET).botToken(BOT_TOKEN).botUserId(BOT)
        .apiUrl(api.url("/").toString()).serverRetries(2, Duration.ZERO).maxBackoff(Duration.ZERO);
  }

  /** Answers the next call with this status and body instead of success. */
  void queue(int status, String body) {
    queued.add(json(status, body));
  }

  static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
  }

  // ---- deliveries, as the Account Activity API documents them

  /** A delivery for the bot's account with one direct message from {@code sender} to {@code recipient}. */
  static ObjectNode dm(String id, String sender, String recipient, String text) {
    ObjectNode root = JSON.createObjectNode().put("for_user_id", BOT);
    ObjectNode event = root.putArray("direct_message_events").addObject().put("type", "message_create")
        .put("id", id).put("created_timestamp", "1516403560557");
    ObjectNode create = event.putObject("message_create");
    create.putObject("target").put("recipient_id", recipient);
    create.put("sender_id", sender).put("source_app_id", "13090192");
    create.putObject("message_data").put("text", text).putObject("entities").putArray("hashtags");
    ObjectNode users = root.putObject("users");
    users.putObject(sender).put("id", sender).put("screen_name", "someone");
    return root;
  }

  /** A direct message from {@link #USER} to the bot. */
  static ObjectNode dm(String id, String text) {
    return dm(id, USER, BOT, text);
  }

  static String sign(String secret, byte[] bytes) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A POST to the webhook with this signature header (none when null). */
  static WebhookRequest post(String signature, byte[] body) {
    WebhookRequest.Builder request = WebhookRequest.builder("POST", "/x/webhook")
        .header("Content-Type", "application/json; charset=utf-8").body(body);
    if (signature != null) {
      request.header("x-twitter-webhooks-signature", signature);
    }
    return request.build();
  }

  /** A POST signed with the consumer secret, as X sends it. */
  static WebhookRequest signed(ObjectNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return post(sign(CONSUMER_SECRET, bytes), bytes);
  }

  RecordedRequest next() throws InterruptedException {
    RecordedRequest request = api.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request).as("a call to the X API").isNotNull();
    return request;
  }

  static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().utf8());
  }

  @Override
  public void close() {
    api.close();
  }
}
