package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.jenkins.JenkinsPlugin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jenkins through Slack, end to end: the host runs for real on loopback, a signed app_mention asks for a
 * build, one MockWebServer answers as Jenkins and another as the Slack Web API. The build's replies are one
 * Slack message: posted once, then replaced with chat.update until the result.
 */
class JenkinsThroughSlackTest {
  private static final String SECRET = "test-signing-secret";
  private static final String BASIC = "Basic " + Base64.getEncoder()
      .encodeToString("chatops-bot:11aa22bb33cc".getBytes(StandardCharsets.UTF_8));
  private static final String POSTED_TS = "1700000100.000900";
  private static final String THREAD_TS = "1700000000.000001";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final MockWebServer slack = new MockWebServer();
  private final MockWebServer jenkins = new MockWebServer();
  private HttpServerMain.Host host;

  @BeforeEach
  void start() throws Exception {
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"" + POSTED_TS + "\"}").build();
      }
    });
    slack.start();
    jenkins.start();
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("SLACK_SIGNING_SECRET", SECRET);
    env.put("SLACK_BOT_TOKEN", "xoxb-test-token");
    env.put("SLACK_API_URL", slack.url("/api/").toString());
    env.put("JENKINS_URL", jenkins.url("/jenkins/").toString());
    env.put("JENKINS_USER", "chatops-bot");
    env.put("JENKINS_API_TOKEN", "11aa22bb33cc");
    host = HttpServerMain.start(env, JenkinsPlugin.builder()
        .pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() {
    host.close();
    slack.close();
    jenkins.close();
  }

  private void jenkinsJson(String singleQuoted) {
    jenkins.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(singleQuoted.replace('\'', '"')).build());
  }

  private static RecordedRequest next(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(20, TimeUnit.SECONDS);
    assertThat(request).as("a request to " + server.url("/")).isNotNull();
    return request;
  }

  private static String line(RecordedRequest request) {
    return request.getMethod() + " " + request.getUrl().encodedPath();
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().utf8());
  }

  @Test
  void reportsOkWhenEveryPluginIsHealthy() throws Exception {
    jenkins.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .addHeader("X-Jenkins", "2.440.3")
        .body("{\"name\":\"chatops-bot\",\"anonymous\":false,\"authenticated\":true}").build());

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + host.port() + "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = JSON.readTree(response.body());
    assertThat(health.path("status").asText()).isEqualTo("ok");
    assertThat(health.path("plugins").path("bot").path("state").asText()).isEqualTo("PASSED");
    assertThat(health.path("plugins").path("jenkins").path("state").asText()).isEqualTo("PASSED");
    assertThat(health.path("plugins").path("jenkins").path("detail").asText()).startsWith("Jenkins 2.440.3 at ");
  }

  @Test
  void buildsFromAMentionAndTurnsOneSlackMessageIntoTheResult() throws Exception {
    jenkinsJson("{'_class':'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',"
        + "'name':'api-server','url':'http://ci/job/team/job/api-server/','jobs':[{'name':'main','color':'red'}]}");
    jenkinsJson("{'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'main','color':'red',"
        + "'buildable':true,'url':'http://ci/job/team/job/api-server/job/main/','property':[]}");
    jenkins.enqueue(new MockResponse.Builder().code(201)
        .addHeader("Location", jenkins.url("/jenkins/queue/item/77/").toString()).build());
    jenkinsJson("{'_class':'hudson.model.Queue$LeftItem','id':77,'cancelled':false,"
        + "'executable':{'number':12,'url':'http://ci/job/team/job/api-server/job/main/12/'}}");
    jenkinsJson("{'number':12,'building':true}");
    jenkinsJson("{'number':12,'building':false,'result':'SUCCESS','duration':61000,"
        + "'url':'http://ci/job/team/job/api-server/job/main/12/','previousBuild':{'number':11,'result':'FAILURE'}}");

    String body = "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"EvJ1\",\"authorizations\":"
        + "[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],\"event\":{\"type\":\"app_mention\","
        + "\"user\":\"U1\",\"text\":\"<@UBOT> jenkins build ID=team/api-server BRANCH=main\","
        + "\"ts\":\"1700000001.000100\",\"channel\":\"C1\",\"thread_ts\":\"" + THREAD_TS + "\"}}";
    long now = Instant.now().getEpochSecond();
    HttpResponse<String> ack = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + host.port() + "/slack/events"))
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(now))
        .header("X-Slack-Signature", SlackHostTest.sign(SECRET, now, body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ack.statusCode()).isEqualTo(200);

    // Jenkins: the job, its branch, the queue POST, the queue item, the build until it ends.
    assertThat(line(next(jenkins))).isEqualTo("GET /jenkins/job/team/job/api-server/api/json");
    assertThat(line(next(jenkins))).isEqualTo("GET /jenkins/job/team/job/api-server/job/main/api/json");
    RecordedRequest queue = next(jenkins);
    assertThat(queue.getMethod() + " " + queue.getTarget()).isEqualTo("POST /jenkins/job/team/job/api-server/job/main/build");
    assertThat(queue.getHeaders().get("Authorization")).isEqualTo(BASIC);
    RecordedRequest item = next(jenkins);
    assertThat(line(item)).isEqualTo("GET /jenkins/queue/item/77/api/json");
    assertThat(item.getHeaders().get("Authorization")).isEqualTo(BASIC);
    RecordedRequest running = next(jenkins);
    assertThat(line(running)).isEqualTo("GET /jenkins/job/team/job/api-server/job/main/12/api/json");
    assertThat(running.getHeaders().get("Authorization")).isEqualTo(BASIC);
    assertThat(line(next(jenkins))).isEqualTo("GET /jenkins/job/team/job/api-server/job/main/12/api/json");

    // Slack: one message in the thread, then replaced twice.
    RecordedRequest posted = next(slack);
    assertThat(line(posted)).isEqualTo("POST /api/chat.postMessage");
    assertThat(posted.getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-test-token");
    assertThat(body(posted).path("channel").asText()).isEqualTo("C1");
    assertThat(body(posted).path("thread_ts").asText()).isEqualTo(THREAD_TS);
    assertThat(body(posted).path("text").asText())
        .isEqualTo("Queued team/api-server on main (queue item #77); I will post the build link when it starts.");
    RecordedRequest started = next(slack);
    assertThat(line(started)).isEqualTo("POST /api/chat.update");
    assertThat(body(started).path("ts").asText()).isEqualTo(POSTED_TS);
    assertThat(body(started).path("text").asText())
        .isEqualTo("team/api-server on main #12 started: http://ci/job/team/job/api-server/job/main/12/");
    RecordedRequest result = next(slack);
    assertThat(line(result)).isEqualTo("POST /api/chat.update");
    JsonNode update = body(result);
    assertThat(update.path("channel").asText()).isEqualTo("C1");
    assertThat(update.path("ts").asText()).isEqualTo(POSTED_TS);
    assertThat(update.path("text").asText()).isEqualTo(":hammer_and_wrench: team/api-server on main #12: FIXED\n"
        + "Result: SUCCESS (previous #11: FAILURE)\nDuration: 1 min 1 s\nLink: http://ci/job/team/job/api-server/job/main/12/");
    assertThat(update.path("blocks").path(0).path("text").path("text").asText())
        .isEqualTo(":hammer_and_wrench: team/api-server on main #12: FIXED");

    assertThat(host.awaitIdle(Duration.ofSeconds(20))).isTrue();
    assertThat(jenkins.getRequestCount()).isEqualTo(6);
    assertThat(slack.getRequestCount()).isEqualTo(3);
  }
}
