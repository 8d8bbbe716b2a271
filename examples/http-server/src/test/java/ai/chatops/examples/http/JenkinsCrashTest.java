package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.store.dynamodb.Dynalite;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * At most once for side effects: the host runs in its own JVM against dynalite and is killed with SIGKILL while
 * the Jenkins plugin waits on Jenkins, before its build request left (the job lookup is held) and after Jenkins
 * queued the build (the queue POST's answer is held). A new host finishes every request, and the stand-in
 * Jenkins ends with exactly one build per request.
 */
class JenkinsCrashTest {
  private static final String SECRET = "test-signing-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Dynalite.Server dynalite;
  private final MockWebServer slack = new MockWebServer();
  private final MockWebServer jenkinsServer = new MockWebServer();
  private StandInJenkins jenkins;
  private final List<String> texts = new ArrayList<>();
  /** Every chat.postMessage and chat.update: {@code <method> <channel> <ts or -> <text>}. */
  private final List<String> calls = new ArrayList<>();
  private final List<Process> hosts = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    dynalite = Dynalite.Server.start(DynamoDbHostTest.DYNAMODB_MODULE);
    AtomicInteger posted = new AtomicInteger();
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String method = request.getUrl().encodedPath();
        String channel = "C";
        if (method.equals("/api/chat.postMessage") || method.equals("/api/chat.update")) {
          try {
            var body = JSON.readTree(request.getBody().utf8());
            channel = body.path("channel").asText();
            synchronized (texts) {
              texts.add(body.path("text").asText());
              calls.add(method.substring("/api/".length()) + " " + channel + " " + body.path("ts").asText("-") + " "
                  + body.path("text").asText());
            }
          } catch (IOException e) {
            return new MockResponse.Builder().code(400).build();
          }
        }
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"1700000000." + posted.incrementAndGet()
                + "\"}").build();
      }
    });
    slack.start();
    jenkinsServer.start();
    jenkins = new StandInJenkins(jenkinsServer.url("/jenkins/").toString());
    jenkinsServer.setDispatcher(jenkins);
  }

  @AfterEach
  void stop() throws Exception {
    jenkins.release();
    for (Process host : hosts) {
      host.destroyForcibly();
      host.waitFor(10, TimeUnit.SECONDS);
    }
    slack.close();
    jenkinsServer.close();
    dynalite.close();
  }

  @Test
  void jenkinsGetsExactlyOneBuildPerRequestWhenTheHostIsKilledDuringTheCall() throws Exception {
    // svc0 and svc1: killed after Jenkins queued the build; svc2 and svc3: killed before anything was posted.
    jenkins.holdFirstPostOf("svc0").holdFirstPostOf("svc1").holdFirstLookupOf("svc2").holdFirstLookupOf("svc3");
    HostProcess first = startHost("jenkins-first");
    SignedSlack signed = new SignedSlack(SECRET);
    for (int i = 0; i < 4; i++) {
      assertThat(signed.mention(first.port(), "EvJenkins" + i, "C" + i, "jenkins build ID=svc" + i,
          "1700000100.00020" + i).statusCode()).as("event %d acknowledged", i).isEqualTo(200);
    }
    Wait.until("every call to wait on Jenkins", WAIT, () -> jenkins.held() == 4);

    first.kill(WAIT);
    jenkins.release();
    assertThat(textsSoFar()).as("replies before the crash").isEmpty();
    assertThat(jenkins.builds()).as("builds Jenkins queued before the crash").isEqualTo(2);

    startHost("jenkins-second");
    Wait.until("every build's result", WAIT,
        () -> textsSoFar().stream().filter(t -> t.contains(": SUCCESS")).count() == 4);

    assertThat(jenkins.buildsPerJob()).containsOnlyKeys("svc0", "svc1", "svc2", "svc3").allSatisfy(
        (job, builds) -> assertThat(builds).as("builds of %s", job).isEqualTo(1));
    for (int i = 0; i < 4; i++) {
      String job = "svc" + i;
      assertThat(textsSoFar()).as("the result of %s", job).anyMatch(t -> t.contains(" " + job + " #") && t.contains(
          ": SUCCESS"));
    }
    assertThat(textsSoFar()).noneMatch(t -> t.contains("restarted"));
  }

  @Test
  void aFollowUpResumedAfterTheKillEditsTheMessageTheKilledHostPosted() throws Exception {
    jenkins.queueHeld(true);
    HostProcess first = startHost("jenkins-inplace-first");
    assertThat(new SignedSlack(SECRET).mention(first.port(), "EvInPlace", "C9", "jenkins build ID=web",
        "1700000100.000300").statusCode()).isEqualTo(200);
    // The follow-up is recorded before its first poll, so a second look at the item means it is in the store.
    Wait.until("the build to be queued and followed", WAIT, () -> jenkins.itemLooks() >= 2);

    first.kill(WAIT);
    List<String> posted = callsSoFar();
    assertThat(posted).hasSize(2);
    assertThat(posted.get(0)).startsWith("chat.postMessage C9 - Queued web (queue item #");
    assertThat(posted.get(1)).startsWith("chat.update C9 1700000000.1 web is waiting in the queue");
    jenkins.queueHeld(false);
    startHost("jenkins-inplace-second");
    Wait.until("the build's result", WAIT, () -> textsSoFar().stream().anyMatch(t -> t.contains(": SUCCESS")));

    assertThat(callsSoFar()).filteredOn(c -> c.startsWith("chat.postMessage")).hasSize(1);
    assertThat(callsSoFar()).last().asString().startsWith("chat.update C9 1700000000.1 ").contains("web #101: SUCCESS");
    assertThat(jenkins.builds()).isEqualTo(1);
  }

  private List<String> callsSoFar() {
    synchronized (texts) {
      return List.copyOf(calls);
    }
  }

  private HostProcess startHost(String name) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "SLACK_SIGNING_SECRET", SECRET,
        "SLACK_BOT_TOKEN", "xoxb-test-token",
        "SLACK_API_URL", slack.url("/api/").toString(),
        "CHATOPS_STORE", "dynamodb",
        "DYNAMODB_TABLE", "jenkins-crash-test",
        "DYNAMODB_ENDPOINT", dynalite.endpoint().toString(),
        "CHATOPS_LEASE", "4s",
        "CHATOPS_SWEEP_INTERVAL", "500ms",
        "JENKINS_URL", jenkinsServer.url("/jenkins/").toString()));
    env.put("JENKINS_USER", "chatops-bot");
    env.put("JENKINS_API_TOKEN", "11aa22bb33cc");
    HostProcess host = HostProcess.start("ai.chatops.examples.http.FastJenkinsHost", env, name, WAIT);
    hosts.add(host.process());
    return host;
  }

  private List<String> textsSoFar() {
    synchronized (texts) {
      return List.copyOf(texts);
    }
  }
}
