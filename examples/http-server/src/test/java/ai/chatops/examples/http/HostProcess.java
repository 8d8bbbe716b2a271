package ai.chatops.examples.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host in its own JVM, on the test's classpath, for the crash tests: started with an environment, its output
 * kept in {@code target/crash-test/<name>.log} for a failure's post-mortem, and killed with SIGKILL.
 */
record HostProcess(Process process, int port) {
  private static final Pattern LISTENING =
      Pattern.compile("chatops-http-server listening on http://127\\.0\\.0\\.1:(\\d+)");

  /** Starts {@code mainClass} with {@code env} (over the inherited environment, CHATOPS_, DYNAMODB_ and SLACK_ removed). */
  static HostProcess start(String mainClass, Map<String, String> env, String name, Duration wait) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, mainClass).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("CHATOPS_") || k.startsWith("DYNAMODB_")
        || k.startsWith("SLACK_") || k.startsWith("JENKINS_"));
    environment.putAll(env);
    Process process = builder.start();
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
      return new HostProcess(process, port.get(wait.toSeconds(), TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError("the " + name + " host did not start; its output:\n" + Files.readString(log), e);
    }
  }

  /** SIGKILL on Linux: no shutdown hook, no drain. */
  void kill(Duration wait) throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(wait.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("the host did not die within " + wait);
    }
  }
}
