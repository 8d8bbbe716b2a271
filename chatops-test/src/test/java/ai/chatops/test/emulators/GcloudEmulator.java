package ai.chatops.test.emulators;

import ai.chatops.test.Wait;
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
 * One of the Google Cloud CLI's emulators (Datastore, Pub/Sub), started by a test as a child process on a free
 * loopback port, with its output in a log file of a fresh temporary folder, and stopped, with the JVM it runs
 * in, by {@link #close()}. Where the emulator is not installed, {@link #start} fails the test under CI
 * (environment {@code CI=true}) with a message naming the Debian package, and skips it with a warning
 * elsewhere.
 *
 * <p>Shared by the Datastore store's and the Cloud Functions module's tests through this module's test-jar, not
 * part of the published test kit: it reads the environment, runs processes and carries our CI's policy.
 * Each module keeps what is its own emulator's (a client, REST calls) beside it.
 */
public final class GcloudEmulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GcloudEmulator.class);
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration SETUP = Duration.ofSeconds(60);

  /**
   * How to run one emulator.
   *
   * @param name what the messages call it ("Datastore")
   * @param debianPackage the package that installs it ({@code google-cloud-cli-datastore-emulator})
   * @param launcher the launcher's path under the Google Cloud CLI's folder
   * @param commands the commands to run, given the launcher, the port and the temporary folder: each but the
   *     last must exit 0 within a minute (setup); the last is the emulator itself
   */
  public record Spec(String name, String debianPackage, String launcher, Commands commands) {}

  /** The commands of a {@link Spec}. */
  @FunctionalInterface
  public interface Commands {
    /** The commands to run in order; the last is the emulator. */
    List<List<String>> of(String launcher, int port, Path directory);
  }

  private final Spec spec;
  private final Process process;
  private final Path directory;
  private final int port;

  private GcloudEmulator(Spec spec, Process process, Path directory, int port) {
    this.spec = spec;
    this.process = process;
    this.directory = directory;
    this.port = port;
  }

  /** Starts the emulator and waits until {@code GET /} on its port answers 200. */
  public static GcloudEmulator start(Spec spec) {
    Path launcher = launcher(spec);
    Path directory;
    Process process;
    int port;
    try {
      directory = Files.createTempDirectory(spec.debianPackage());
      Path logFile = directory.resolve("emulator.log");
      // The emulators take a port number, not 0: take a free one from the system, then hand it over.
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      List<List<String>> commands = spec.commands().of(launcher.toString(), port, directory);
      for (List<String> setup : commands.subList(0, commands.size() - 1)) {
        Process step = new ProcessBuilder(setup).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        if (!step.waitFor(SETUP.toSeconds(), TimeUnit.SECONDS) || step.exitValue() != 0) {
          step.destroyForcibly();
          throw new IllegalStateException("the " + spec.name() + " emulator's setup " + setup.subList(1, setup.size())
              + " failed: " + Files.readString(logFile));
        }
      }
      process = new ProcessBuilder(commands.get(commands.size() - 1)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    GcloudEmulator emulator = new GcloudEmulator(spec, process, directory, port);
    try {
      Wait.until("the " + spec.name() + " emulator to answer at " + emulator.host(), START, () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("the " + spec.name() + " emulator exited with " + process.exitValue()
              + ": " + emulator.log());
        }
        return emulator.healthy();
      });
    } catch (RuntimeException | Error e) {
      emulator.close();
      throw e;
    }
    return emulator;
  }

  /** {@code 127.0.0.1:port}, as {@code DATASTORE_EMULATOR_HOST} and {@code PUBSUB_EMULATOR_HOST} give it. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:port}. */
  public URI endpoint() {
    return URI.create("http://" + host());
  }

  /** What the emulator and its setup wrote so far. */
  public String log() {
    try {
      return Files.readString(directory.resolve("emulator.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    // The launchers are shell scripts running java: stop the whole tree.
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

  @Override
  public String toString() {
    return "GcloudEmulator{" + spec.name() + " at " + host() + "}";
  }

  private boolean healthy() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/").toURL().openConnection();
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
   * The emulator's own launcher under the Google Cloud CLI's folder ({@code CLOUDSDK_ROOT_DIR}, else where the
   * Debian packages put it), or a failure (CI) or skip (elsewhere) naming the package.
   */
  private static Path launcher(Spec spec) {
    List<Path> roots = new ArrayList<>();
    String env = System.getenv("CLOUDSDK_ROOT_DIR");
    if (env != null && !env.isBlank()) {
      roots.add(Path.of(env));
    }
    roots.add(Path.of("/usr/lib/google-cloud-sdk"));
    roots.add(Path.of("/usr/share/google-cloud-sdk"));
    for (Path root : roots) {
      Path launcher = root.resolve(spec.launcher());
      if (Files.isExecutable(launcher)) {
        return launcher;
      }
    }
    String message = "the " + spec.name() + " emulator is not installed (looked in " + roots + "): install the"
        + " Debian package " + spec.debianPackage() + " (apt-get install " + spec.debianPackage() + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    log.warn("skipping the {} emulator tests: {}", spec.name(), message);
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }
}
