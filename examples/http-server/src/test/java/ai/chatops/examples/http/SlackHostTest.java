package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the example host over real HTTP on loopback, with requests signed here, and a MockWebServer as
 * the Slack Web API that checks what the bot sends.
 */
class SlackHostTest {
  private static final String SECRET = "test-signing-secret";
  private static final String TOKEN = "xoxb-test-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newHttpClient();
  private final ConcurrentLinkedQueue<MockResponse> overrides = new ConcurrentLinkedQueue<>();
  private MockWebServer slack;
  private HttpServerMain.Host host;

  @BeforeEach
  void start() throws IOException {
    slack = new MockWebServer();
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        MockResponse override = overrides.poll();
        if (override != null) {
          return override;
        }
        if (request.getUrl().encodedPath().startsWith("/hooks/")) {
          return new MockResponse.Builder().body("ok").build();
        }
        return new MockResponse.Builder()
            .addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000100\"}")
            .build();
      }
    });
    slack.start();
    host = HttpServerMain.start(env());
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("SLACK_SIGNING_SECRET", SECRET);
    env.put("SLACK_BOT_TOKEN", TOKEN);
    env.put("SLACK_API_URL", slack.url("/api/").toString());
    return env;
  }

  @AfterEach
  void stop() {
    host.close();
    slack.close();
  }

  // ---- helpers

  private HttpResponse<String> post(String contentType, String body, long timestamp, String signature,
      String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/slack/events"))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (timestamp != 0) {
      request.header("X-Slack-Request-Timestamp", Long.toString(timestamp));
    }
    if (signature != null) {
      request.header("X-Slack-Signature", signature);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signed(String contentType, String body, String... headers) throws Exception {
    long now = Instant.now().getEpochSecond();
    return post(contentType, body, now, sign(SECRET, now, body), headers);
  }

  private HttpResponse<String> event(String eventId, String event, String... headers) throws Exception {
    String body = "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
        + "\",\"event_time\":1700000000,\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],"
        + "\"event\":" + event + "}";
    return signed("application/json", body, headers);
  }

  private static String mention(String channel, String text, String ts, String threadTs) {
    return "{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"" + text + "\",\"ts\":\"" + ts + "\",\"channel\":\""
        + channel + "\"" + (threadTs == null ? "" : ",\"thread_ts\":\"" + threadTs + "\"") + "}";
  }

  private static String message(String channel, String channelType, String user, String text, String ts,
      String threadTs, String extra) {
    return "{\"type\":\"message\",\"user\":\"" + user + "\",\"text\":\"" + text + "\",\"ts\":\"" + ts
        + "\",\"channel\":\"" + channel + "\",\"channel_type\":\"" + channelType + "\""
        + (threadTs == null ? "" : ",\"thread_ts\":\"" + threadTs + "\"") + extra + "}";
  }

  static String sign(String secret, long timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder("v0=");
    for (byte b : digest) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  private RecordedRequest nextSlackCall() throws InterruptedException {
    RecordedRequest request = slack.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request).as("a call to the Slack API").isNotNull();
    return request;
  }

  private static JsonNode json(RecordedRequest request) throws IOException {
    return JSON.readTree(request.getBody().utf8());
  }

  private void assertNoSlackCalls() {
    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(slack.getRequestCount()).isZero();
  }

  // ---- Events API

  @Test
  void answersUrlVerificationWithTheChallenge() throws Exception {
    HttpResponse<String> response = signed("application/json",
        "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("challenge").asText())
        .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  }

  @Test
  void answersAMentionInTheChannel() throws Exception {
    assertThat(event("Ev1", mention("C1", "<@UBOT> bot ping", "1700000001.000100", null)).statusCode())
        .isEqualTo(200);

    RecordedRequest call = nextSlackCall();
    assertThat(call.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(call.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    JsonNode body = json(call);
    assertThat(body.path("channel").asText()).isEqualTo("C1");
    assertThat(body.path("text").asText()).isEqualTo("pong");
    assertThat(body.has("thread_ts")).isFalse();
    assertThat(body.path("blocks").path(0).path("text").path("text").asText()).isEqualTo("pong");
  }

  @Test
  void answersAMentionInAThreadInThatThread() throws Exception {
    event("Ev2", mention("C1", "<@UBOT> bot ping", "1700000002.000200", "1700000000.000001"));

    JsonNode body = json(nextSlackCall());
    assertThat(body.path("thread_ts").asText()).isEqualTo("1700000000.000001");
    assertThat(body.path("text").asText()).isEqualTo("pong");
  }

  @Test
  void answersADirectMessage() throws Exception {
    event("Ev3", message("D1", "im", "U1", "bot ping", "1700000003.000300", null, ""));

    JsonNode body = json(nextSlackCall());
    assertThat(body.path("channel").asText()).isEqualTo("D1");
    assertThat(body.path("text").asText()).isEqualTo("pong");
  }

  @Test
  void takesAPlainMessageInAThreadTheBotSpokeIn() throws Exception {
    event("Ev4", mention("C1", "<@UBOT> bot ping", "1700000004.000400", "1700000000.000004"));
    assertThat(json(nextSlackCall()).path("thread_ts").asText()).isEqualTo("1700000000.000004");

    event("Ev5", message("C1", "channel", "U1", "bot echo TEXT=again", "1700000005.000500", "1700000000.000004", ""));

    JsonNode body = json(nextSlackCall());
    assertThat(body.path("thread_ts").asText()).isEqualTo("1700000000.000004");
    assertThat(body.path("text").asText()).isEqualTo("again");
  }

  @Test
  void leavesChannelMessagesNotAddressedToTheBotAndMentionTwinsAlone() throws Exception {
    event("Ev6", message("C1", "channel", "U1", "bot ping", "1700000006.000600", null, ""));
    // The message twin of an app_mention: the app_mention event is the one answered.
    event("Ev7", message("C1", "channel", "U1", "<@UBOT> bot ping", "1700000007.000700", null, ""));

    assertNoSlackCalls();
  }

  @Test
  void neverAnswersItsOwnMessages() throws Exception {
    // What the bot posts comes back with no subtype, only its user and bot_id.
    event("Ev8", message("D1", "im", "UBOT", "bot ping", "1700000008.000800", null, ",\"bot_id\":\"B1\""));
    event("Ev9", message("D1", "im", "U2", "bot ping", "1700000009.000900", null,
        ",\"bot_id\":\"B2\",\"subtype\":\"bot_message\""));

    assertNoSlackCalls();
  }

  @Test
  void answersARetriedDeliveryOnce() throws Exception {
    String mention = mention("C1", "<@UBOT> bot ping", "1700000010.001000", null);
    assertThat(event("Ev10", mention).statusCode()).isEqualTo(200);
    assertThat(event("Ev10", mention, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout").statusCode())
        .isEqualTo(200);

    assertThat(json(nextSlackCall()).path("text").asText()).isEqualTo("pong");
    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(slack.getRequestCount()).isEqualTo(1);
  }

  // ---- slash commands and buttons

  @Test
  void acknowledgesASlashCommandAndPostsTheResultToItsResponseUrl() throws Exception {
    String responseUrl = slack.url("/hooks/commands/T1/123/s3cr3t").toString();
    String body = "token=legacy&team_id=T1&channel_id=C1&user_id=U1&command=%2Fchatops&text="
        + URLEncoder.encode("bot ping", StandardCharsets.UTF_8)
        + "&response_url=" + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8) + "&trigger_id=111.222.abc";

    HttpResponse<String> ack = signed("application/x-www-form-urlencoded", body);

    assertThat(ack.statusCode()).isEqualTo(200);
    assertThat(ack.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(JSON.readTree(ack.body()).path("response_type").asText()).isEqualTo("ephemeral");
    RecordedRequest call = nextSlackCall();
    assertThat(call.getUrl().encodedPath()).isEqualTo("/hooks/commands/T1/123/s3cr3t");
    assertThat(call.getHeaders().get("Authorization")).isNull();
    assertThat(json(call).path("text").asText()).isEqualTo("pong");
    assertThat(json(call).path("response_type").asText()).isEqualTo("ephemeral");
  }

  @Test
  void aButtonClickConfirmsAndContinuesTheConversation() throws Exception {
    event("Ev11", mention("C2", "<@UBOT> deploy start ID=api", "1700000011.001100", "1700000000.000011"));
    JsonNode question = json(nextSlackCall());
    assertThat(question.path("text").asText()).contains("Run deploy start ID=api?");
    JsonNode actions = question.path("blocks").get(question.path("blocks").size() - 1);
    assertThat(actions.path("type").asText()).isEqualTo("actions");
    assertThat(actions.path("elements").findValuesAsText("value")).containsExactly("yes", "no");

    String payload = JSON.createObjectNode()
        .put("type", "block_actions")
        .put("trigger_id", "222.333.def")
        .put("response_url", slack.url("/hooks/actions/T1/1/x").toString())
        .set("user", JSON.createObjectNode().put("id", "U1").put("team_id", "T1"))
        .toString();
    JsonNode tree = JSON.readTree(payload);
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree).set("channel", JSON.createObjectNode().put("id", "C2"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree).putArray("actions").addObject()
        .put("type", "button").put("action_id", "choice-0")
        .put("block_id", actions.path("block_id").asText()).put("value", "yes");
    HttpResponse<String> click = signed("application/x-www-form-urlencoded",
        "payload=" + URLEncoder.encode(tree.toString(), StandardCharsets.UTF_8));

    assertThat(click.statusCode()).isEqualTo(200);
    JsonNode result = json(nextSlackCall());
    assertThat(result.path("channel").asText()).isEqualTo("C2");
    assertThat(result.path("thread_ts").asText()).isEqualTo("1700000000.000011");
    assertThat(result.path("text").asText()).isEqualTo(":white_check_mark: Deployed api: SUCCESS");
  }

  // ---- refusals

  @Test
  void refusesABadSignature() throws Exception {
    String body = "{\"type\":\"url_verification\",\"challenge\":\"x\"}";
    long now = Instant.now().getEpochSecond();

    HttpResponse<String> response = post("application/json", body, now, sign("another-secret", now, body));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("X-Slack-Signature does not match the request");
  }

  @Test
  void refusesStaleFutureAndMissingTimestamps() throws Exception {
    String body = "{\"type\":\"url_verification\",\"challenge\":\"x\"}";
    // Far outside the window: SlackServiceTest checks the boundary, with a fixed clock.
    long stale = Instant.now().getEpochSecond() - 900;
    long future = Instant.now().getEpochSecond() + 900;

    HttpResponse<String> old = post("application/json", body, stale, sign(SECRET, stale, body));
    HttpResponse<String> ahead = post("application/json", body, future, sign(SECRET, future, body));
    HttpResponse<String> missing = post("application/json", body, 0, sign(SECRET, 0, body));

    assertThat(old.statusCode()).isEqualTo(401);
    assertThat(old.body()).isEqualTo("X-Slack-Request-Timestamp is more than 5 minutes old");
    assertThat(ahead.statusCode()).isEqualTo(401);
    assertThat(ahead.body()).isEqualTo("X-Slack-Request-Timestamp is more than 5 minutes in the future");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).isEqualTo("missing X-Slack-Request-Timestamp header");
    assertNoSlackCalls();
  }

  @Test
  void refusesMalformedBodiesWithClearStatuses() throws Exception {
    HttpResponse<String> broken = signed("application/json", "{\"type\": \"event_callback\",");
    HttpResponse<String> text = signed("text/plain", "hello");
    HttpResponse<String> unknown = signed("application/json", "{\"type\":\"something_new\"}");
    HttpResponse<String> noEvent = signed("application/json", "{\"type\":\"event_callback\",\"event_id\":\"Ev12\"}");
    HttpResponse<String> badPayload = signed("application/x-www-form-urlencoded", "payload=%7Bnot-json");

    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).startsWith("the body is not valid JSON");
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("unknown Events API request type 'something_new'");
    assertThat(noEvent.statusCode()).isEqualTo(400);
    assertThat(noEvent.body()).isEqualTo("event Ev12: event_callback without an event object");
    assertThat(badPayload.statusCode()).isEqualTo(400);
    assertThat(badPayload.body()).startsWith("the payload field is not valid JSON");
    assertNoSlackCalls();
  }

  @Test
  void refusesAnOversizedBodyWith413() throws Exception {
    HttpResponse<String> huge = signed("application/json", "{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");

    assertThat(huge.statusCode()).isEqualTo(413);
    assertNoSlackCalls();
  }

  @Test
  void acknowledgesUnknownEventTypesWithoutProcessing() throws Exception {
    HttpResponse<String> response = event("Ev13", "{\"type\":\"reaction_added\",\"user\":\"U1\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertNoSlackCalls();
  }

  // ---- Slack API failures

  @Test
  void retriesAfterA429FromSlack() throws Exception {
    overrides.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());

    event("Ev14", mention("C3", "<@UBOT> bot ping", "1700000014.001400", null));

    RecordedRequest first = nextSlackCall();
    RecordedRequest second = nextSlackCall();
    assertThat(first.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(second.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(json(second)).isEqualTo(json(first));
    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(slack.getRequestCount()).isEqualTo(2);
  }

  // ---- the host itself

  @Test
  void staysLiveButDegradedWithJenkinsNotConnectedWithoutItsCredentials() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + host.port() + "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("degraded");
    assertThat(body.path("plugins").path("bot").path("state").asText()).isEqualTo("PASSED");
    assertThat(body.path("plugins").path("deploy").path("state").asText()).isEqualTo("PASSED");
    assertThat(body.path("plugins").path("jenkins").path("state").asText()).isEqualTo("ERROR");
    assertThat(body.path("plugins").path("jenkins").path("detail").asText()).isEqualTo("not connected");
  }

  @Test
  void saysWhichJenkinsVariablesAreMissing() throws Exception {
    host.close();
    Map<String, String> env = env();
    env.put("JENKINS_URL", "https://ci.example.com/");
    host = HttpServerMain.start(env);

    event("Ev15", mention("C1", "<@UBOT> jenkins jobs", "1700000015.001500", null));

    assertThat(json(nextSlackCall()).path("text").asText()).isEqualTo("Sorry, the jenkins plugin cannot run: "
        + "Jenkins is not configured: set JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN (missing: JENKINS_USER,"
        + " JENKINS_API_TOKEN)");
  }

  @Test
  void stopsAtStartUpNamingTheMissingOrInvalidVariable() {
    Map<String, String> env = env();
    env.remove("SLACK_SIGNING_SECRET");
    assertThatThrownBy(() -> HttpServerMain.start(env)).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("SLACK_SIGNING_SECRET is required");

    Map<String, String> noToken = env();
    noToken.remove("SLACK_BOT_TOKEN");
    assertThatThrownBy(() -> HttpServerMain.start(noToken)).hasMessageStartingWith("SLACK_BOT_TOKEN is required");

    Map<String, String> badPort = env();
    badPort.put("PORT", "http");
    assertThatThrownBy(() -> HttpServerMain.start(badPort))
        .hasMessage("PORT must be a number from 0 to 65535 but was 'http'");

    Map<String, String> badUrl = env();
    badUrl.put("SLACK_API_URL", "slack.com/api");
    assertThatThrownBy(() -> HttpServerMain.start(badUrl)).hasMessageStartingWith("SLACK_API_URL must be");

    Map<String, String> badAppToken = env();
    badAppToken.put("SLACK_APP_TOKEN", "xoxb-wrong-kind");
    assertThatThrownBy(() -> HttpServerMain.start(badAppToken)).hasMessageStartingWith("SLACK_APP_TOKEN must be");
  }
}
