package ai.chatops.benchmarks;

import ai.chatops.WebhookRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Capacity with a slow plugin: the highest rate of events per second that the router holds for
 * {@value #SECONDS} s, with a plugin answering in {@value #PLUGIN_MILLIS} ms, without answering a single
 * request with 503. Ours (the plugin answers through {@code triggerAsync}; its worker is free while the call
 * is pending) beside the same bot with the same plugin answering synchronously (the worker sleeps, as every
 * plugin did before asynchronous calls): both with the router's defaults (16 workers, a queue of 1,024, at
 * most 1,024 calls pending), searched side by side in this one JVM (so that load hits both alike). Each
 * design's search doubles the rate from its start until a trial sees a 503, then halves the gap twice; every
 * trial runs on a fresh router and sends signed {@code sleepy nap} mentions paced every 10 ms. An
 * asynchronous trial also checks that every acknowledged event got its reply. Prints
 * {@code capacity_events_per_s_slow_plugin} (ours) and {@code capacity_events_per_s_slow_plugin_sync}. Run in
 * its own JVM by {@link Report}; {@code --quick} runs 5-second trials.
 */
public final class CapacityRun {
  static final int SECONDS = 20;
  static final long PLUGIN_MILLIS = 2000;

  private CapacityRun() {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    int seconds = quick ? 5 : SECONDS;
    ScheduledExecutorService remote = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "remote-api");
      t.setDaemon(true);
      return t;
    });
    warmUp();
    CompletableFuture<Integer> async = CompletableFuture.supplyAsync(
        () -> search("async", 100, seconds, () -> SleepyPlugin.async(PLUGIN_MILLIS, remote)));
    CompletableFuture<Integer> sync = CompletableFuture.supplyAsync(
        () -> search("sync", 16, seconds, () -> new SleepyPlugin(PLUGIN_MILLIS)));
    System.out.println("capacity_events_per_s_slow_plugin " + async.join());
    System.out.println("capacity_events_per_s_slow_plugin_sync " + sync.join());
    System.out.println("capacity_trial_seconds " + seconds);
    System.exit(0); // the synchronous design's last workers may still sleep
  }

  private static void warmUp() {
    long now = System.currentTimeMillis() / 1000;
    try (ChatopsBot warm = ChatopsBot.synchronous()) {
      for (int i = 0; i < 20_000; i++) {
        warm.clock.advanceMillis(1000);
        warm.handle(SignedEvents.mention("Ev0WARM" + i, "<@" + SignedEvents.BOT_USER + "> bot ping", now)
            .toWebhookRequest());
      }
    }
  }

  /** The highest rate held: doubling from {@code start} until a trial fails, then two halvings of the gap. */
  private static int search(String design, int start, int seconds, java.util.function.Supplier<SleepyPlugin> plugin) {
    int held = 0;
    int rate = start;
    while (trial(design, rate, seconds, plugin.get())) {
      held = rate;
      rate *= 2;
    }
    int failed = rate;
    for (int i = 0; i < 2; i++) {
      int middle = (held + failed) / 2;
      if (trial(design, middle, seconds, plugin.get())) {
        held = middle;
      } else {
        failed = middle;
      }
    }
    return held;
  }

  /** Sends {@code rate} events a second for {@code seconds}; true when none was refused (and, async, all answered). */
  private static boolean trial(String design, int rate, int seconds, SleepyPlugin plugin) {
    long now = System.currentTimeMillis() / 1000;
    int total = rate * seconds;
    List<WebhookRequest> requests = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      requests.add(SignedEvents.mention("Ev0" + design + rate + "N" + i, "<@" + SignedEvents.BOT_USER
          + "> sleepy nap", now).toWebhookRequest());
    }
    ChatopsBot bot = ChatopsBot.build(null, plugin, b -> b.drainTimeout(Duration.ofMillis(100)));
    int sent = 0;
    int refused = 0;
    try {
      long begin = System.nanoTime();
      while (sent < total && refused == 0) {
        long due = Math.min(total, (System.nanoTime() - begin) * rate / 1_000_000_000L + 1);
        while (sent < due && refused == 0) {
          if (bot.handle(requests.get(sent++)).status() == 503) {
            refused++;
          }
        }
        TimeUnit.MILLISECONDS.sleep(10);
      }
      boolean answered = true;
      if (refused == 0 && design.equals("async")) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PLUGIN_MILLIS + 10_000);
        while (bot.slack.delivered() < total && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(10);
        }
        answered = bot.slack.delivered() == total;
      }
      System.out.printf("capacity %s %d/s for %d s: %s%n", design, rate, seconds, refused > 0
          ? "503 after " + sent + " events" : answered ? "held, " + bot.slack.delivered() + " replies"
          : "no 503, but only " + bot.slack.delivered() + " of " + total + " replies");
      return refused == 0 && answered;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      bot.close();
    }
  }
}
