package ai.chatops.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The classes one cold start loads ({@link ColdStart} in a fresh JVM with {@code -Xlog:class+load}), counted
 * by origin. A count, unlike a time, does not depend on the load of the machine: it is how {@code Report}
 * follows what start-up does, and how a change that removes work from start-up shows it.
 */
record ClassLoads(int total, int hidden, Map<String, Integer> byOrigin) {
  /** Package prefixes, in the order they are tried; the first that matches names the origin. */
  private static final List<Map.Entry<String, String>> ORIGINS = List.of(
      Map.entry("ai.chatops.", "chatops"),
      Map.entry("com.fasterxml.jackson.core.", "jackson-core"),
      Map.entry("com.fasterxml.jackson.", "jackson-databind"),
      Map.entry("org.yaml.snakeyaml.", "snakeyaml"),
      Map.entry("okhttp3.", "okhttp"),
      Map.entry("okio.", "okio"),
      Map.entry("kotlin.", "kotlin"),
      Map.entry("org.slf4j.", "slf4j"),
      Map.entry("com.slack.", "bolt"),
      Map.entry("com.google.gson.", "gson"),
      Map.entry("org.apache.commons.", "commons"),
      Map.entry("com.amazonaws.", "aws-lambda"),
      Map.entry("java.", "jdk"),
      Map.entry("javax.", "jdk"),
      Map.entry("jdk.", "jdk"),
      Map.entry("sun.", "jdk"),
      Map.entry("com.sun.", "jdk"));

  /** Runs one cold start with {@code args} (as {@link ColdStart} takes them) and counts what it loaded. */
  static ClassLoads of(String javaCommand, String classpath, List<String> args) throws IOException, InterruptedException {
    Path log = Files.createTempFile("class-load", ".log");
    try {
      List<String> command = new ArrayList<>(List.of(javaCommand, "-Xlog:class+load=info:file=" + log, "-cp",
          classpath, ColdStart.class.getName()));
      command.addAll(args);
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
      return parse(Files.readAllLines(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Runs one Lambda cold acknowledgement ({@link LambdaColdAck}, with Lambda's JVM flags) of {@code handler}
   * and counts what its JVM loaded: the runtime interface client's own classes included, for both candidates.
   */
  static ClassLoads ofLambda(String javaCommand, String classpath, String handler, Map<String, String> env)
      throws Exception {
    Path log = Files.createTempFile("lambda-class-load", ".log");
    try {
      List<String> flags = new ArrayList<>(LambdaColdAck.LAMBDA_FLAGS);
      flags.add("-Xlog:class+load=info:file=" + log);
      LambdaColdAck.Ack ack = LambdaColdAck.measure(javaCommand, flags, classpath, handler, env, "Ev0CLASSES");
      if (LambdaColdAck.statusCode(ack.response()) != 200) {
        throw new IllegalStateException(handler + " answered " + ack.response());
      }
      return parse(Files.readAllLines(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Counts the lines of a {@code -Xlog:class+load} log: {@code [..][info][class,load] name source: ...}. */
  static ClassLoads parse(List<String> lines) {
    int total = 0;
    int hidden = 0;
    Map<String, Integer> byOrigin = new LinkedHashMap<>();
    for (String line : lines) {
      int tag = line.indexOf("[class,load] ");
      if (tag < 0 || !line.contains(" source: ")) {
        continue;
      }
      String name = line.substring(tag + "[class,load] ".length(), line.indexOf(' ', tag + "[class,load] ".length()));
      total++;
      String origin;
      if (name.contains("/0x") || name.contains("$$Lambda")) {
        hidden++;
        origin = "hidden (lambdas, method handles)";
      } else {
        origin = ORIGINS.stream().filter(o -> name.startsWith(o.getKey())).map(Map.Entry::getValue).findFirst()
            .orElse("other");
      }
      byOrigin.merge(origin, 1, Integer::sum);
    }
    return new ClassLoads(total, hidden, byOrigin);
  }
}
