package ai.chatops.store.datastore;

import ai.chatops.test.Wait;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
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
 * Google's Cloud Datastore emulator (Debian package {@code google-cloud-cli-datastore-emulator}), started by
 * the tests as a child process on a free loopback port, in memory, with strong consistency, and stopped
 * after them. Where it is not installed, {@link #start()} fails the test under CI (environment {@code
 * CI=true}) with a message naming the package, and skips it with a warning elsewhere. Public, in this module's
 * test jar, so that chatops-spring-boot-starter's tests can run {@code chatops.store=datastore} against it.
 */
public final class DatastoreEmulator implements AutoCloseable {
  static final String PACKAGE = "google-cloud-cli-datastore-emulator";
  /** The project id the emulator serves. */
  public static final String PROJECT = "chatops-test";
  private static final Logger log = LoggerFactory.getLogger(DatastoreEmulator.class);
  private static final Duration START = Duration.ofSeconds(90);

  private final Process process;
  private final Path directory;
  private final String host;

  private DatastoreEmulator(Process process, Path directory, String host) {
    this.process = process;
    this.directory = directory;
    this.host = host;
  }

  /** Starts the emulator and waits until its health check answers. */
  public static DatastoreEmulator start() {
    Path launcher = launcher();
    Path directory;
    Process process;
    int port;
    try {
      directory = Files.createTempDirectory("datastore-emulator");
      Path log = directory.resolve("emulator.log");
      // The emulator takes a port number, not 0: take a free one from the system, then hand it over.
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      List<String> command = new ArrayList<>(List.of(launcher.toString(), "start", "--host=127.0.0.1",
          "--port=" + port, "--store_on_disk=false", "--consistency=1.0", directory.resolve("data").toString()));
      // The data directory must exist as a project first ("create"); "start" with a fresh one does it too on
      // recent releases, but not on all: create it explicitly.
      Process create = new ProcessBuilder(launcher.toString(), "create", directory.resolve("data").toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
        create.destroyForcibly();
        throw new IllegalStateException("the Datastore emulator could not create its project directory: "
            + Files.readString(log));
      }
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String host = "127.0.0.1:" + port;
    DatastoreEmulator emulator = new DatastoreEmulator(process, directory, host);
    try {
      Wait.until("the Datastore emulator to answer at " + host, START, () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Datastore emulator exited with " + process.exitValue() + ": "
              + emulator.log());
        }
        return healthy(host);
      });
    } catch (RuntimeException | Error e) {
      emulator.close();
      throw e;
    }
    return emulator;
  }

  /** The emulator's {@code host:port}, as {@code DATASTORE_EMULATOR_HOST} gives it. */
  public String host() {
    return host;
  }

  /**
   * A client as the example host builds one from {@code DATASTORE_EMULATOR_HOST}: no credentials, the
   * client's default (HTTP) transport. Its retries wait milliseconds instead of the default's seconds: the
   * emulator aborts racing transactions as production does, and the contract's races retry hundreds of times.
   */
  Datastore client() {
    return DatastoreOptions.newBuilder().setProjectId(PROJECT).setHost("http://" + host)
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getDefaultRetrySettings().toBuilder()
            .setInitialRetryDelayDuration(Duration.ofMillis(5))
            .setMaxRetryDelayDuration(Duration.ofMillis(100))
            .build())
        .build().getService();
  }

  String log() {
    try {
      return Files.readString(directory.resolve("emulator.log"));
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

  private static boolean healthy(String host) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + "/").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(1000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The emulator's own launcher under the Google Cloud CLI's folder ({@code gcloud info} names it; the Debian
   * packages put it in /usr/lib/google-cloud-sdk), or a failure (CI) or skip (elsewhere) naming the package.
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
      Path launcher = root.resolve("platform/cloud-datastore-emulator/cloud_datastore_emulator");
      if (Files.isExecutable(launcher)) {
        return launcher;
      }
    }
    String message = "the Datastore emulator is not installed (looked in " + roots + "): install the Debian package "
        + PACKAGE + " (apt-get install " + PACKAGE + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    log.warn("skipping the Datastore emulator tests: {}", message);
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }
}
