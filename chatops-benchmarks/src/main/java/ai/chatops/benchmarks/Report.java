package ai.chatops.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole comparison in one run, ending with one {@code name value} line per figure: the per-event
 * benchmarks (floor, Bolt, ours) on one and two threads with JMH, cold starts of ours and Bolt in fresh
 * JVMs (plain, with an AppCDS archive, with JDK 25's AOT cache where that JDK is installed) with the classes
 * each loads, Lambda cold acknowledgements under the real runtime interface client, acknowledgement latency
 * with a sleeping plugin, heap after a million events, and the capacity with a slow plugin (asynchronous
 * beside synchronous). Bytes allocated per event come from JMH's GC profiler ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 * java -cp chatops-benchmarks/target/benchmarks.jar ai.chatops.benchmarks.Report [--quick]
 * </pre>
 *
 * {@code --quick} runs one fork and fewer iterations, to try the harness; its errors are larger.
 * {@code --cold} runs only the cold starts and the Lambda cold acknowledgements (with {@code --quick}: three
 * launches each).
 */
public final class Report {
  private static final int COLD_LAUNCHES = 7;

  private final Map<String, String> figures = new LinkedHashMap<>();
  /** Bytes allocated per operation in the last JMH run ({@code gc.alloc.rate.norm}), by benchmark. */
  private final Map<String, Double> lastAllocation = new LinkedHashMap<>();
  private final String javaCommand = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  private final String classpath;

  private Report() throws Exception {
    this.classpath = new File(Report.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    Report report = new Report();
    boolean coldOnly = Arrays.asList(args).contains("--cold");
    report.machine();
    if (!coldOnly) {
      report.perEvent(quick);
    }
    report.coldStarts(quick ? 3 : COLD_LAUNCHES);
    report.lambdaColdAcks(quick ? 3 : COLD_LAUNCHES);
    if (!coldOnly) {
      report.child("ack", AckLatency.class.getName());
      report.child("heap", HeapRun.class.getName(), quick ? "300000" : "1000000");
      if (quick) {
        report.child("capacity", CapacityRun.class.getName(), "--quick");
      } else {
        report.child("capacity", CapacityRun.class.getName());
      }
    }
    report.machineAfter();
    System.out.println();
    System.out.println("# figures (ratios are from this one run)");
    report.figures.forEach((name, value) -> System.out.println(name + " " + value));
  }

  private void machine() {
    figures.put("machine_cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    figures.put("machine_load_before", String.format("%.2f", loadAverage()));
    figures.put("java_version", System.getProperty("java.version"));
  }

  private void machineAfter() {
    figures.put("machine_load_after", String.format("%.2f", loadAverage()));
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private void perEvent(boolean quick) throws RunnerException {
    Map<String, Result<?>> one = jmh(1, quick ? 1 : 2, quick, "floor|bolt|chatops");
    Map<String, Double> bytesPerEvent = new LinkedHashMap<>(lastAllocation); // one thread's
    Map<String, Result<?>> two = jmh(2, 1, quick, "floor|chatops");
    for (String name : List.of("floor", "bolt", "chatops")) {
      Result<?> r = one.get(name);
      figures.put(name + "_us_per_event", format(1e6 / r.getScore()));
      figures.put(name + "_us_per_event_error_pct", format(errorPct(r)));
    }
    for (String name : List.of("floor", "bolt", "chatops")) {
      figures.put(name + "_events_per_s_1_thread", format(one.get(name).getScore()));
    }
    for (String name : List.of("chatops", "floor", "bolt")) {
      figures.put(name + "_bytes_per_event", format(bytesPerEvent.get(name)));
    }
    for (String name : List.of("floor", "chatops")) {
      figures.put(name + "_events_per_s_2_threads", format(two.get(name).getScore()));
    }
    Result<?> ours = one.get("chatops");
    figures.put("chatops_vs_bolt_speedup", format(ours.getScore() / one.get("bolt").getScore()));
    figures.put("chatops_vs_bolt_speedup_error_pct", format(combined(ours, one.get("bolt"))));
    figures.put("chatops_vs_floor_ratio", format(one.get("floor").getScore() / ours.getScore()));
    figures.put("chatops_vs_floor_ratio_error_pct", format(combined(ours, one.get("floor"))));
    figures.put("two_thread_scaling", format(two.get("chatops").getScore() / ours.getScore()));
    figures.put("two_thread_scaling_error_pct", format(combined(ours, two.get("chatops"))));
    figures.put("floor_two_thread_scaling", format(two.get("floor").getScore() / one.get("floor").getScore()));
  }

  /**
   * Runs the named benchmarks. The warm-up is long because on a loaded two-core machine the JIT compiler
   * threads get little CPU: Bolt and ours both still sped up after ten one-second iterations.
   */
  private Map<String, Result<?>> jmh(int threads, int forks, boolean quick, String names) throws RunnerException {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(PerEventBenchmark.class.getName() + "\\.(" + names + ")$")
        .threads(threads)
        .forks(forks)
        .warmupIterations(quick ? 3 : 15)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(quick ? 3 : 5)
        .measurementTime(TimeValue.seconds(1))
        .timeUnit(TimeUnit.SECONDS)
        .jvmArgsAppend("-Xmx1g")
        .addProfiler(GCProfiler.class);
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, Result<?>> byName = new LinkedHashMap<>();
    lastAllocation.clear();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      String name = label.substring(label.lastIndexOf('.') + 1);
      byName.put(name, r.getPrimaryResult());
      Result<?> allocated = r.getSecondaryResults().get("gc.alloc.rate.norm");
      lastAllocation.put(name, allocated == null ? Double.NaN : allocated.getScore());
    }
    return byName;
  }

  /** Half the 99.9% confidence interval, as a percentage of the score. */
  private static double errorPct(Result<?> r) {
    double error = r.getScoreError();
    return Double.isNaN(error) ? Double.NaN : 100 * error / r.getScore();
  }

  /** The error of a ratio of two scores: their relative errors added in quadrature. */
  private static double combined(Result<?> a, Result<?> b) {
    return Math.hypot(errorPct(a), errorPct(b));
  }

  private void coldStarts(int launches) throws Exception {
    List<Long> ours = new ArrayList<>();
    List<Long> theirs = new ArrayList<>();
    try (BoltBot.AuthStandIn standIn = new BoltBot.AuthStandIn()) {
      for (int i = 0; i < launches; i++) { // interleaved, so that a burst of load hits both alike
        ours.add(coldStart(javaCommand, List.of(), "chatops"));
        theirs.add(coldStart(javaCommand, List.of(), "bolt", standIn.apiUrl()));
      }
      long oursMedian = median(ours);
      long theirsMedian = median(theirs);
      System.out.println("cold starts (ms) ours " + ours + ", Bolt " + theirs);
      figures.put("chatops_cold_start_ms", Long.toString(oursMedian));
      figures.put("bolt_cold_start_ms", Long.toString(theirsMedian));
      figures.put("chatops_vs_bolt_cold_start_ratio", format((double) oursMedian / theirsMedian));
      figures.put("cold_start_launches", Integer.toString(launches));
      classesLoaded(standIn);
      cds(standIn, launches);
      aot(launches);
    }
  }

  /**
   * Classes loaded by one cold start of each, counted from {@code -Xlog:class+load} (one line per class,
   * whatever the load on the machine), with where ours come from.
   */
  private void classesLoaded(BoltBot.AuthStandIn standIn) throws Exception {
    ClassLoads ours = ClassLoads.of(javaCommand, classpath, List.of("chatops"));
    ClassLoads theirs = ClassLoads.of(javaCommand, classpath, List.of("bolt", standIn.apiUrl()));
    System.out.println("classes loaded by ours, by origin: " + ours.byOrigin());
    System.out.println("classes loaded by Bolt, by origin: " + theirs.byOrigin());
    figures.put("chatops_classes_loaded", Integer.toString(ours.total()));
    figures.put("bolt_classes_loaded", Integer.toString(theirs.total()));
    figures.put("chatops_hidden_classes_loaded", Integer.toString(ours.hidden()));
    figures.put("bolt_hidden_classes_loaded", Integer.toString(theirs.hidden()));
  }

  /**
   * The documented recipe on JDK 17: an AppCDS archive written at the exit of one training cold start
   * ({@code -XX:ArchiveClassesAtExit}), then cold starts that map it ({@code -XX:SharedArchiveFile}). Bolt gets
   * the same treatment, so that the comparison stays like for like.
   */
  private void cds(BoltBot.AuthStandIn standIn, int launches) throws Exception {
    Path dir = Files.createTempDirectory("chatops-cds");
    Path oursArchive = dir.resolve("chatops.jsa");
    Path theirsArchive = dir.resolve("bolt.jsa");
    coldStart(javaCommand, List.of("-XX:ArchiveClassesAtExit=" + oursArchive), "chatops");
    coldStart(javaCommand, List.of("-XX:ArchiveClassesAtExit=" + theirsArchive), "bolt", standIn.apiUrl());
    List<Long> ours = new ArrayList<>();
    List<Long> theirs = new ArrayList<>();
    for (int i = 0; i < launches; i++) {
      ours.add(coldStart(javaCommand, List.of("-XX:SharedArchiveFile=" + oursArchive, "-Xshare:on"), "chatops"));
      theirs.add(coldStart(javaCommand, List.of("-XX:SharedArchiveFile=" + theirsArchive, "-Xshare:on"), "bolt",
          standIn.apiUrl()));
    }
    System.out.println("cold starts with AppCDS (ms) ours " + ours + ", Bolt " + theirs);
    figures.put("chatops_cold_start_cds_ms", Long.toString(median(ours)));
    figures.put("bolt_cold_start_cds_ms", Long.toString(median(theirs)));
    figures.put("chatops_cds_archive_mib", format(Files.size(oursArchive) / 1048576.0));
    deleteAll(dir);
  }

  /**
   * The recipe on JDK 25 where a JDK 25 is installed ({@code -Djdk25.home}, else {@code JAVA25_HOME}, else
   * {@code /usr/lib/jvm/temurin-25-jdk-amd64}): an AOT cache written by one training cold start
   * ({@code -XX:AOTCacheOutput}, JEP 514; it holds linked classes and method profiles, JEP 483 and 515), then cold
   * starts that use it ({@code -XX:AOTCache}), beside cold starts on the same JDK without it. Skipped, with a
   * line saying so, when no JDK 25 is found.
   */
  private void aot(int launches) throws Exception {
    String home = System.getProperty("jdk25.home", System.getenv().getOrDefault("JAVA25_HOME",
        "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Path java25 = Path.of(home, "bin", "java");
    if (!Files.isExecutable(java25)) {
      System.out.println("no JDK 25 at " + home + ": chatops_cold_start_aot_ms not measured");
      return;
    }
    Path dir = Files.createTempDirectory("chatops-aot");
    Path cache = dir.resolve("chatops.aot");
    coldStart(java25.toString(), List.of("-XX:AOTCacheOutput=" + cache), "chatops");
    List<Long> plain = new ArrayList<>();
    List<Long> cached = new ArrayList<>();
    for (int i = 0; i < launches; i++) {
      plain.add(coldStart(java25.toString(), List.of(), "chatops"));
      cached.add(coldStart(java25.toString(), List.of("-XX:AOTCache=" + cache), "chatops"));
    }
    System.out.println("cold starts on JDK 25 (ms) ours " + plain + ", ours with the AOT cache " + cached);
    figures.put("chatops_cold_start_jdk25_ms", Long.toString(median(plain)));
    figures.put("chatops_cold_start_aot_ms", Long.toString(median(cached)));
    figures.put("chatops_aot_cache_mib", format(Files.size(cache) / 1048576.0));
    deleteAll(dir);
  }

  /**
   * Lambda cold acknowledgements ({@link LambdaColdAck}): the floor ({@link LambdaFloorHandler}, a fixed 200),
   * ours and Bolt's own Lambda handler, interleaved, each in a fresh JVM under the real runtime interface
   * client. The floor is the JVM's and the client's share; what a bot takes above it is its own.
   */
  private void lambdaColdAcks(int launches) throws Exception {
    List<Long> floor = new ArrayList<>();
    List<Long> ours = new ArrayList<>();
    List<Long> theirs = new ArrayList<>();
    try (BoltBot.AuthStandIn standIn = new BoltBot.AuthStandIn()) {
      for (int i = 0; i < launches; i++) {
        floor.add(lambdaColdAck(LambdaFloorHandler.class.getName(), Map.of(), "Ev0FLOOR" + i));
        ours.add(lambdaColdAck(ChatopsLambdaHandler.class.getName(), Map.of(), "Ev0LAMBDA" + i));
        theirs.add(lambdaColdAck(BoltLambdaHandler.class.getName(), Map.of("BOLT_API_URL", standIn.apiUrl()),
            "Ev0BOLTLAMBDA" + i));
      }
      ClassLoads floorLoaded = ClassLoads.ofLambda(javaCommand, classpath, LambdaFloorHandler.class.getName(),
          Map.of());
      ClassLoads oursLoaded = ClassLoads.ofLambda(javaCommand, classpath, ChatopsLambdaHandler.class.getName(),
          Map.of());
      ClassLoads theirsLoaded = ClassLoads.ofLambda(javaCommand, classpath, BoltLambdaHandler.class.getName(),
          Map.of("BOLT_API_URL", standIn.apiUrl()));
      System.out.println("classes loaded by the floor on Lambda, by origin: " + floorLoaded.byOrigin());
      System.out.println("classes loaded by ours on Lambda, by origin: " + oursLoaded.byOrigin());
      System.out.println("classes loaded by Bolt on Lambda, by origin: " + theirsLoaded.byOrigin());
      figures.put("lambda_floor_classes_loaded", Integer.toString(floorLoaded.total()));
      figures.put("chatops_lambda_classes_loaded", Integer.toString(oursLoaded.total()));
      figures.put("bolt_lambda_classes_loaded", Integer.toString(theirsLoaded.total()));
    }
    long floorMedian = median(floor);
    long oursMedian = median(ours);
    long theirsMedian = median(theirs);
    System.out.println("Lambda cold acknowledgements (ms) floor " + floor + ", ours " + ours + ", Bolt " + theirs);
    figures.put("lambda_cold_ack_floor_ms", Long.toString(floorMedian));
    figures.put("chatops_lambda_cold_ack_ms", Long.toString(oursMedian));
    figures.put("bolt_lambda_cold_ack_ms", Long.toString(theirsMedian));
    figures.put("chatops_vs_bolt_lambda_cold_ack_ratio", format((double) oursMedian / theirsMedian));
  }

  private long lambdaColdAck(String handler, Map<String, String> env, String eventId) throws Exception {
    LambdaColdAck.Ack ack = LambdaColdAck.measure(javaCommand, LambdaColdAck.LAMBDA_FLAGS, classpath, handler, env,
        eventId);
    if (LambdaColdAck.statusCode(ack.response()) != 200) {
      throw new IllegalStateException(handler + " answered " + ack.response());
    }
    return ack.millis();
  }

  private long coldStart(String java, List<String> flags, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(flags);
    command.addAll(List.of("-cp", classpath, ColdStart.class.getName()));
    command.addAll(List.of(args));
    long started = System.currentTimeMillis();
    Map<String, String> out = run(command);
    return Long.parseLong(out.get("replied_at_epoch_ms")) - started;
  }

  private static void deleteAll(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  private void child(String what, String mainClass, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(javaCommand, "-Xmx256m", "-cp", classpath, mainClass));
    command.addAll(List.of(args));
    System.out.println("running " + what + ": " + String.join(" ", command.subList(1, command.size())));
    figures.putAll(run(command));
  }

  /** Runs a JVM, echoes its output, and returns its {@code name value} lines. */
  private static Map<String, String> run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, String> values = new LinkedHashMap<>();
    StringBuilder all = new StringBuilder();
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        all.append(line).append('\n');
        String[] parts = line.trim().split(" ");
        if (parts.length == 2 && parts[0].matches("[a-z0-9_]+")) {
          values.put(parts[0], parts[1]);
        }
      }
    }
    System.out.print(all);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" + all);
    }
    return values;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String format(double value) {
    return Double.isNaN(value) ? "NaN" : String.format(value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
  }
}
