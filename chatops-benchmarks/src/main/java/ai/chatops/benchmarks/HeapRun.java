package ai.chatops.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Used heap while one million distinct events go through ours with the in-memory store. The router's clock
 * moves 100 ms per event (ten events a second) with the default one-hour dedupe window, so 36,000 records
 * are live at any time and older ones must be reclaimed. Used heap is read after {@code System.gc()} every
 * 100,000 events and printed as {@code heap_mib_at_<n>}; then {@code heap_mib_after_1m_events} and the growth
 * from 100,000 to 1,000,000. Run in its own JVM (with a fixed {@code -Xmx}) by {@link Report}.
 */
public final class HeapRun {
  private HeapRun() {}

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    double at100k = 0;
    double last = 0;
    try (ChatopsBot bot = ChatopsBot.synchronous()) {
      for (int i = 1; i <= events; i++) {
        bot.clock.advanceMillis(100);
        long now = System.currentTimeMillis() / 1000;
        bot.handle(SignedEvents.mention("Ev0HEAP" + i, now).toWebhookRequest());
        if (i % 100_000 == 0) {
          if (bot.slack.delivered() != i) {
            throw new IllegalStateException(bot.slack.delivered() + " replies for " + i + " events");
          }
          System.gc();
          last = memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
          if (i == 100_000) {
            at100k = last;
          }
          System.out.printf("heap_mib_at_%dk %.1f%n", i / 1000, last);
        }
      }
    }
    String n = events == 1_000_000 ? "1m" : events / 1000 + "k";
    System.out.printf("heap_mib_after_%s_events %.1f%n", n, last);
    System.out.printf("heap_growth_mib_100k_to_%s %.1f%n", n, last - at100k);
    System.exit(0);
  }
}
