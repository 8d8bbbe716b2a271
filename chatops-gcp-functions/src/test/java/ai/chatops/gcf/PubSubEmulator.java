package ai.chatops.gcf;

import ai.chatops.test.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google's Pub/Sub emulator (Debian package {@code google-cloud-cli-pubsub-emulator}), started by the tests
 * as a child process on a free loopback port and stopped after them, with a few REST calls to set up topics
 * and push subscriptions. Where it is not installed, {@link #start()} fails the test under CI (environment
 * {@code CI=true}) with a message naming the package, and skips it with a warning elsewhere.
 */
final class PubSubEmulator implements AutoCloseable {
  static final String PACKAGE = "google-cloud-cli-pubsub-emulator";
  static final String PROJECT = "chatops-test";
  private static final Logger log = LoggerFactory.getLogger(PubSubEmulator.class);
  private static final Duration START = Duration.ofSeconds(90);

  private final Process process;
  private final Path logFile;
  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PubSubEmulator(Process process, Path logFile, URI endpoint) {
    this.process = process;
    this.logFile = logFile;
    this.endpoint = endpoint;
  }

  /** Starts the emulator and waits until its health check answers. */
  static PubSubEmulator start() {
    Path launcher = launcher();
    Process process;
    Path logFile;
    int port;
    try {
      logFile = Files.createTempFile("pubsub-emulator", ".log");
      // The emulator takes a port number, not 0: take a free one from the system, then hand it over.
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      process = new ProcessBuilder(launcher.toString(), "--host=127.0.0.1", "--port=" + port)
          .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PubSubEmulator emulator = new PubSubEmulator(process, logFile, URI.create("http://127.0.0.1:" + port));
    try {
      Wait.until("the Pub/Sub emulator to answer at " + emulator.endpoint, START, () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Pub/Sub emulator exited with " + process.exitValue() + ": "
              + emulator.log());
        }
        return emulator.healthy();
      });
    } catch (RuntimeException | Error e) {
      emulator.close();
      throw e;
    }
    return emulator;
  }

  /** {@code http://127.0.0.1:port}: the REST endpoint, as {@code PUBSUB_EMULATOR_HOST} names it. */
  URI endpoint() {
    return endpoint;
  }

  /** Creates a topic. */
  void createTopic(String topic) {
    call("PUT", "/v1/projects/" + PROJECT + "/topics/" + topic, "{}");
  }

  /** Creates a push subscription of {@code topic} delivering to {@code pushEndpoint}. */
  void createPushSubscription(String subscription, String topic, String pushEndpoint) {
    call("PUT", "/v1/projects/" + PROJECT + "/subscriptions/" + subscription,
        "{\"topic\":\"projects/" + PROJECT + "/topics/" + topic + "\",\"pushConfig\":{\"pushEndpoint\":\""
            + pushEndpoint + "\"},\"ackDeadlineSeconds\":10}");
  }

  /** Deletes a subscription: its messages are no longer pushed. */
  void deleteSubscription(String subscription) {
    call("DELETE", "/v1/projects/" + PROJECT + "/subscriptions/" + subscription, "");
  }

  /** Publishes one message whose data is {@code base64}. */
  void publish(String topic, String base64) {
    call("POST", "/v1/projects/" + PROJECT + "/topics/" + topic + ":publish",
        "{\"messages\":[{\"data\":\"" + base64 + "\"}]}");
  }

  private String call(String method, String path, String body) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean healthy() {
    try {
      return http.send(HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    // The launcher is a shell script running java: stop the whole tree.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The emulator's own launcher under the Google Cloud CLI's folder (the Debian packages put it in
   * /usr/lib/google-cloud-sdk), or a failure (CI) or skip (elsewhere) naming the package.
   */
  private static Path launcher() {
    List<Path> roots = new ArrayList<>();
    String env = System.getenv("CLOUDSDK_ROOT_DIR");
    if (env != null && !env.isBlank()) {
      roots.add(Path.of(env));
    }
    roots.add(Path.of("/usr/lib/google-cloud-sdk"));
    roots.add(Path.of("/usr/share/google-cloud-sdk"));
    for (Path root : roots) {
      Path launcher = root.resolve("platform/pubsub-emulator/bin/cloud-pubsub-emulator");
      if (Files.isExecutable(launcher)) {
        return launcher;
      }
    }
    String message = "the Pub/Sub emulator is not installed (looked in " + roots + "): install the Debian package "
        + PACKAGE + " (apt-get install " + PACKAGE + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    log.warn("skipping the Pub/Sub emulator tests: {}", message);
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }
}
