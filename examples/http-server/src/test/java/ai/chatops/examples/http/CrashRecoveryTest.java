package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.store.StoreEntry;
import ai.chatops.store.dynamodb.Dynalite;
import ai.chatops.store.dynamodb.DynamoDbStore;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Nothing acknowledged is lost across a real crash: the host runs in its own JVM against dynalite, is killed
 * with SIGKILL while its plugin is working on every event, and a new host finishes them, each exactly once.
 */
class CrashRecoveryTest {
  private static final String SECRET = "test-signing-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final int EVENTS = 5;

  @TempDir Path dir;
  private Dynalite.Server dynalite;
  private final MockWebServer slack = new MockWebServer();
  private final List<String> replies = new ArrayList<>();
  private final List<Process> hosts = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    dynalite = Dynalite.Server.start(DynamoDbHostTest.DYNAMODB_MODULE);
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getUrl().encodedPath().equals("/api/chat.postMessage")) {
          try {
            String text = JSON.readTree(request.getBody().utf8()).path("text").asText();
            synchronized (replies) {
              replies.add(text);
            }
          } catch (IOException e) {
            return new MockResponse.Builder().code(400).build();
          }
        }
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000100\"}").build();
      }
    });
    slack.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (Process host : hosts) {
      host.destroyForcibly();
      host.waitFor(10, TimeUnit.SECONDS);
    }
    slack.close();
    dynalite.close();
  }

  @Test
  void everyAcknowledgedEventGetsExactlyOneReplyAfterTheHostIsKilledMidProcessing() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    HostProcess first = startHost(true, markers, "first");
    SignedSlack signed = new SignedSlack(SECRET);
    // One channel per event: Slack pacing (one message per second per channel) would otherwise hold the last
    // replies longer than the short lease, and the router's own sweep would take them over (see the report).
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      assertThat(signed.mention(first.port(), "EvCrash" + i, "C" + i, "slow run ID=" + i, "1700000100.00010" + i).statusCode())
          .as("event %d acknowledged", i).isEqualTo(200);
      expected.add("done " + i);
    }
    Wait.until("the first host to start processing", WAIT, () -> markerCount(markers, first.process().pid()) > 0);

    first.kill(WAIT);
    assertThat(repliesSoFar()).as("replies before the crash").isEmpty();

    HostProcess second = startHost(false, markers, "second");
    Wait.until("a reply to every acknowledged event", WAIT, () -> repliesSoFar().size() >= EVENTS);
    // The records are DONE only after the replies went out: once all are DONE no reply can follow.
    Wait.until("every event to be marked done", WAIT, () -> eventsDone(second));

    assertThat(repliesSoFar()).containsExactlyInAnyOrderElementsOf(expected);
  }

  // ---- helpers

  private HostProcess startHost(boolean block, Path markers, String name) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0",
        "SLACK_SIGNING_SECRET", SECRET,
        "SLACK_BOT_TOKEN", "xoxb-test-token",
        "SLACK_API_URL", slack.url("/api/").toString(),
        "CHATOPS_STORE", "dynamodb",
        "DYNAMODB_TABLE", "crash-test",
        "DYNAMODB_ENDPOINT", dynalite.endpoint().toString(),
        "CHATOPS_LEASE", "4s",
        "CHATOPS_SWEEP_INTERVAL", "500ms",
        "CHATOPS_TEST_MARKERS", markers.toString()));
    env.put("CHATOPS_TEST_BLOCK", Boolean.toString(block));
    HostProcess host = HostProcess.start("ai.chatops.examples.http.HttpServerMain", env, name, WAIT);
    hosts.add(host.process());
    return host;
  }

  private List<String> repliesSoFar() {
    synchronized (replies) {
      return List.copyOf(replies);
    }
  }

  private static long markerCount(Path markers, long pid) {
    try (Stream<Path> files = Files.list(markers)) {
      return files.filter(f -> f.getFileName().toString().endsWith("-" + pid)).count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean eventsDone(HostProcess host) {
    try (DynamoDbClient client = Dynalite.client(dynalite.endpoint(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))) {
      List<StoreEntry> entries = DynamoDbStore.builder().client(client).table("crash-test").build()
          .list("event/slack/", null, 100).entries();
      if (entries.size() != EVENTS) {
        return false;
      }
      for (StoreEntry entry : entries) {
        if (!JSON.readTree(entry.value()).path("state").asText().equals("DONE")) {
          return false;
        }
      }
      return host.process().isAlive();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
