package ai.chatops.benchmarks;

import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledgement latency while the plugin sleeps 10 s on every event, with the router's default pool
 * (16 workers, a queue of 1024). After a warm-up of 20,000 events on another router (fast plugin, same
 * code), it times {@code handle} for {@value #EVENTS} events sent one after another: 16 go to sleeping
 * workers and the rest wait in the queue, which never overflows (1,000 ≤ 16 + 1,024). Prints
 * {@code ack_p50_ms_slow_plugin} and {@code ack_p99_ms_slow_plugin}. Run in its own JVM by {@link Report}.
 */
public final class AckLatency {
  static final int EVENTS = 1000;

  private AckLatency() {}

  public static void main(String[] args) {
    long now = System.currentTimeMillis() / 1000;
    try (ChatopsBot warm = ChatopsBot.synchronous()) {
      for (int i = 0; i < 20_000; i++) {
        warm.clock.advanceMillis(1000);
        warm.handle(SignedEvents.mention("Ev0WARM" + i, "<@" + SignedEvents.BOT_USER + "> bot ping", now)
            .toWebhookRequest());
      }
    }
    boolean prestarted = args.length > 0 && args[0].equals("--prestarted");
    ExecutorService pool = null;
    if (prestarted) { // an experiment: the default pool's settings, its 16 threads started before the first event
      ThreadPoolExecutor p = new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024));
      p.prestartAllCoreThreads();
      pool = p;
    }
    ChatopsBot bot = ChatopsBot.build(pool, new SleepyPlugin(10_000));
    WebhookRequest[] requests = new WebhookRequest[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      requests[i] = SignedEvents.mention("Ev0SLOW" + i, "<@" + SignedEvents.BOT_USER + "> sleepy nap", now)
          .toWebhookRequest();
    }
    long[] nanos = new long[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      long start = System.nanoTime();
      WebhookResponse response = bot.handle(requests[i]);
      nanos[i] = System.nanoTime() - start;
      if (response.status() != 200) {
        throw new IllegalStateException("event " + i + " answered " + response.status());
      }
    }
    StringBuilder slow = new StringBuilder();
    for (int i = 0; i < EVENTS; i++) {
      if (nanos[i] > 1_000_000) {
        slow.append(' ').append(i).append(':').append(nanos[i] / 1000).append("us");
      }
    }
    System.out.println("acks over 1 ms (event:latency):" + slow);
    Arrays.sort(nanos);
    System.out.printf("ack_p50_ms_slow_plugin %.3f%n", nanos[EVENTS / 2] / 1e6);
    System.out.printf("ack_p99_ms_slow_plugin %.3f%n", nanos[(int) Math.ceil(EVENTS * 0.99) - 1] / 1e6);
    System.out.printf("ack_max_ms_slow_plugin %.3f%n", nanos[EVENTS - 1] / 1e6);
    System.exit(0); // the workers are still asleep; the JVM need not wait for them
  }
}
