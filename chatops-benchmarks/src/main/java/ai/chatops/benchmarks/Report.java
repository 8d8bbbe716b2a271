package ai.chatops.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole comparison in one run, ending with one {@code name value} line per figure: the per-event
 * benchmarks (floor, Bolt, ours) on one and two threads with JMH, cold starts of ours and Bolt in fresh
 * JVMs, acknowledgement latency with a sleeping plugin, and heap after a million events.
 *
 * <pre>
 * java -cp chatops-benchmarks/target/benchmarks.jar ai.chatops.benchmarks.Report [--quick]
 * </pre>
 *
 * {@code --quick} runs one fork and fewer iterations, to try the harness; its errors are larger.
 */
public final class Report {
  private static final int COLD_LAUNCHES = 7;

  private final Map<String, String> figures = new LinkedHashMap<>();
  private final String javaCommand = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  private final String classpath;

  private Report() throws Exception {
    this.classpath = new File(Report.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    Report report = new Report();
    report.machine();
    report.perEvent(quick);
    report.coldStarts(quick ? 3 : COLD_LAUNCHES);
    report.child("ack", AckLatency.class.getName());
    report.child("heap", HeapRun.class.getName(), quick ? "300000" : "1000000");
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
    Map<String, Result<?>> two = jmh(2, 1, quick, "floor|chatops");
    for (String name : List.of("floor", "bolt", "chatops")) {
      Result<?> r = one.get(name);
      figures.put(name + "_us_per_event", format(1e6 / r.getScore()));
      figures.put(name + "_us_per_event_error_pct", format(errorPct(r)));
    }
    for (String name : List.of("floor", "bolt", "chatops")) {
      figures.put(name + "_events_per_s_1_thread", format(one.get(name).getScore()));
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
        .jvmArgsAppend("-Xmx1g");
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, Result<?>> byName = new LinkedHashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      byName.put(label.substring(label.lastIndexOf('.') + 1), r.getPrimaryResult());
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
        ours.add(coldStart("chatops"));
        theirs.add(coldStart("bolt", standIn.apiUrl()));
      }
    }
    long oursMedian = median(ours);
    long theirsMedian = median(theirs);
    System.out.println("cold starts (ms) ours " + ours + ", Bolt " + theirs);
    figures.put("chatops_cold_start_ms", Long.toString(oursMedian));
    figures.put("bolt_cold_start_ms", Long.toString(theirsMedian));
    figures.put("chatops_vs_bolt_cold_start_ratio", format((double) oursMedian / theirsMedian));
    figures.put("cold_start_launches", Integer.toString(launches));
  }

  private long coldStart(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(javaCommand, "-cp", classpath, ColdStart.class.getName()));
    command.addAll(List.of(args));
    long started = System.currentTimeMillis();
    Map<String, String> out = run(command);
    return Long.parseLong(out.get("replied_at_epoch_ms")) - started;
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
