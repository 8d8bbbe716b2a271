package ai.chatops.examples.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.store.StoreEntry;
import ai.chatops.store.dynamodb.Dynalite;
import ai.chatops.store.dynamodb.DynamoDbStore;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern LISTENING = Pattern.compile("chatops-http-server listening on http://127\\.0\\.0\\.1:(\\d+)");
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
    Host first = startHost(true, markers, "first");
    SignedSlack signed = new SignedSlack(SECRET);
    // One channel per event: Slack pacing (one message per second per channel) would otherwise hold the last
    // replies longer than the short lease, and the router's own sweep would take them over (see the report).
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      assertThat(signed.mention(first.port, "EvCrash" + i, "C" + i, "slow run ID=" + i, "1700000100.00010" + i).statusCode())
          .as("event %d acknowledged", i).isEqualTo(200);
      expected.add("done " + i);
    }
    Wait.until("the first host to start processing", WAIT, () -> markerCount(markers, first.process.pid()) > 0);

    first.process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no drain
    assertThat(first.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(repliesSoFar()).as("replies before the crash").isEmpty();

    Host second = startHost(false, markers, "second");
    Wait.until("a reply to every acknowledged event", WAIT, () -> repliesSoFar().size() >= EVENTS);
    // The records are DONE only after the replies went out: once all are DONE no reply can follow.
    Wait.until("every event to be marked done", WAIT, () -> eventsDone(second));

    assertThat(repliesSoFar()).containsExactlyInAnyOrderElementsOf(expected);
  }

  // ---- helpers

  private record Host(Process process, int port) {}

  private Host startHost(boolean block, Path markers, String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, "ai.chatops.examples.http.HttpServerMain")
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("CHATOPS_") || k.startsWith("DYNAMODB_") || k.startsWith("SLACK_"));
    env.putAll(Map.of(
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
    Process process = builder.start();
    hosts.add(process);
    // Kept after the test, for a failure's post-mortem.
    Path log = Files.createDirectories(Path.of("target", "crash-test")).resolve(name + ".log");
    Files.deleteIfExists(log);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
          Writer file = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        for (String line; (line = out.readLine()) != null; ) {
          file.write(line + "\n");
          file.flush();
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new IllegalStateException("the " + name + " host ended before it listened"));
    }, "host-output-" + name);
    reader.setDaemon(true);
    reader.start();
    try {
      return new Host(process, port.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError("the " + name + " host did not start; its output:\n" + Files.readString(log), e);
    }
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

  private boolean eventsDone(Host host) {
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
      return host.process.isAlive();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
