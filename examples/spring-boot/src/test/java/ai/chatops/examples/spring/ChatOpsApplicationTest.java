package ai.chatops.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application itself, as {@code java -jar} runs it (its own class, its application.properties),
 * on a random port, configured as the README says with the {@code chatops.*} settings the {@code CHATOPS_*}
 * variables bind to, against MockWebServers as the Slack Web API and Jenkins; driven over HTTP as Slack and a
 * monitoring system would.
 */
@SpringBootTest(classes = ChatOpsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatOpsApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET = "example-signing-secret";
  private static final MockWebServer slackApi = new MockWebServer();
  private static final MockWebServer jenkins = new MockWebServer();
  private static volatile boolean jenkinsDown;
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    slackApi.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return json("{'ok':true,'channel':'C1','ts':'1700000100.000900'}");
      }
    });
    jenkins.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return jenkins(request);
      }
    });
    try {
      slackApi.start();
      jenkins.start();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry properties) {
    // CHATOPS_SLACK_SIGNING_SECRET, CHATOPS_SLACK_BOT_TOKEN, CHATOPS_SLACK_API_URL, CHATOPS_JENKINS_URL,
    // CHATOPS_JENKINS_USER and CHATOPS_JENKINS_API_TOKEN, as Spring binds them.
    properties.add("chatops.slack.signing-secret", () -> SECRET);
    properties.add("chatops.slack.bot-token", () -> "xoxb-example-token");
    properties.add("chatops.slack.api-url", () -> slackApi.url("/api/").toString());
    properties.add("chatops.jenkins.url", () -> jenkins.url("/jenkins/").toString());
    properties.add("chatops.jenkins.user", () -> "chatops-bot");
    properties.add("chatops.jenkins.api-token", () -> "11aa22bb33cc");
  }

  @AfterAll
  static void stopFakes() {
    slackApi.close();
    jenkins.close();
  }

  @AfterEach
  void jenkinsBack() {
    jenkinsDown = false;
  }

  @LocalServerPort
  int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aSignedMentionQueuesABuildAndReplies() throws Exception {
    HttpResponse<String> ack = post(mention("EvExample1", "jenkins build ID=api-server"), SECRET);

    assertThat(ack.statusCode()).isEqualTo(200);
    String queued = "";
    for (int i = 0; i < 10 && !queued.contains("Queued api-server"); i++) {
      RecordedRequest call = slackApi.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(call).as("a call to the Slack API").isNotNull();
      assertThat(call.getUrl().encodedPath()).startsWith("/api/chat.");
      queued = call.getBody().utf8();
    }
    assertThat(queued).contains("Queued api-server").contains("queue item #77");
  }

  @Test
  void countsGoodDuplicateAndForgedEventsInPrometheus() throws Exception {
    double accepted = metric("chatops_events_total", "outcome=\"accepted\",service=\"slack\"");
    double duplicate = metric("chatops_events_total", "outcome=\"duplicate\",service=\"slack\"");
    double rejected = metric("chatops_events_total", "outcome=\"rejected\",service=\"slack\"");
    String pingLabels = "outcome=\"done\",plugin=\"bot\",route=\"/v1/bot/ping\"";
    double pings = metric("chatops_invocations_seconds_count", pingLabels);

    String ping = mention("EvExample2", "bot ping");
    assertThat(post(ping, SECRET).statusCode()).isEqualTo(200);
    assertThat(post(ping, SECRET).statusCode()).isEqualTo(200);
    assertThat(post(mention("EvExample3", "bot ping"), "forged-secret").statusCode()).isEqualTo(401);

    assertThat(metric("chatops_events_total", "outcome=\"accepted\",service=\"slack\"")).isEqualTo(accepted + 1);
    assertThat(metric("chatops_events_total", "outcome=\"duplicate\",service=\"slack\"")).isEqualTo(duplicate + 1);
    assertThat(metric("chatops_events_total", "outcome=\"rejected\",service=\"slack\"")).isEqualTo(rejected + 1);
    Wait.until("the ping's invocation counted", WAIT,
        () -> metricOrFail("chatops_invocations_seconds_count", pingLabels) == pings + 1);
    String scrape = get("/actuator/prometheus").body();
    assertThat(scrape).contains("# TYPE chatops_queue_depth gauge").contains("# TYPE chatops_workers_busy gauge");
  }

  @Test
  void reportsDownWhenJenkinsIsUnreachable() throws Exception {
    HttpResponse<String> up = get("/actuator/health");
    assertThat(up.statusCode()).isEqualTo(200);
    JsonNode upBody = JSON.readTree(up.body());
    assertThat(upBody.path("status").asText()).isEqualTo("UP");
    assertThat(upBody.path("components").path("chatops").path("status").asText()).isEqualTo("UP");

    jenkinsDown = true;
    HttpResponse<String> down = get("/actuator/health");

    assertThat(down.statusCode()).isEqualTo(503);
    JsonNode downBody = JSON.readTree(down.body());
    assertThat(downBody.path("status").asText()).isEqualTo("DOWN");
    JsonNode chatops = downBody.path("components").path("chatops");
    assertThat(chatops.path("status").asText()).isEqualTo("DOWN");
    assertThat(chatops.path("details").path("jenkins").path("state").asText()).isNotEqualTo("PASSED");
    assertThat(chatops.path("details").path("bot").path("state").asText()).isEqualTo("PASSED");
  }

  private static MockResponse jenkins(RecordedRequest request) {
    if (jenkinsDown) {
      return new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    }
    String path = request.getUrl().encodedPath();
    if (request.getMethod().equals("POST") && path.endsWith("/build")) {
      return new MockResponse.Builder().code(201)
          .addHeader("Location", jenkins.url("/jenkins/queue/item/77/").toString()).build();
    }
    if (path.equals("/jenkins/job/api-server/api/json")) {
      return json("{'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'api-server','color':'blue',"
          + "'buildable':true,'url':'http://ci/job/api-server/','property':[]}");
    }
    if (path.startsWith("/jenkins/queue/item/77/")) {
      return json("{'_class':'hudson.model.Queue$WaitingItem','id':77,'why':'Waiting for next available executor'}");
    }
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").addHeader("X-Jenkins", "2.440.3")
        .body("{\"name\":\"chatops-bot\",\"anonymous\":false,\"authenticated\":true}").build();
  }

  private static MockResponse json(String singleQuoted) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(singleQuoted.replace('\'', '"')).build();
  }

  private static String mention(String eventId, String text) {
    return "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
        + "\",\"event_time\":1700000000,\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],"
        + "\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> " + text
        + "\",\"ts\":\"1700000001.000100\",\"channel\":\"C1\"}}";
  }

  /** Posts to /slack/events as Slack does, signed with {@code secret}. */
  private HttpResponse<String> post(String body, String secret) throws Exception {
    long now = Instant.now().getEpochSecond();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(now))
        .header("X-Slack-Signature", "v0=" + hmac(secret, "v0:" + now + ":" + body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String hmac(String secret, String text) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of a Prometheus sample, 0 when absent. */
  private double metric(String name, String labels) throws Exception {
    HttpResponse<String> scrape = get("/actuator/prometheus");
    assertThat(scrape.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + "[^}]*} (\\S+)$")
        .matcher(scrape.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private double metricOrFail(String name, String labels) {
    try {
      return metric(name, labels);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
