package ai.chatops.slack.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spaces messages to one channel by a minimum interval (Slack allows about one message per second per
 * channel), by giving each caller the next free slot and letting it wait for it. Callers on different
 * channels never wait for each other. Thread-safe.
 */
public final class ChannelPacer {
  private final long intervalNanos;
  private final Map<String, Long> nextSlot = new HashMap<>();

  public ChannelPacer(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** Blocks until the calling thread may post to {@code channel}. */
  public void awaitTurn(String channel) throws InterruptedException {
    if (intervalNanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    long slot;
    synchronized (nextSlot) {
      if (nextSlot.size() > 10_000) {
        nextSlot.values().removeIf(next -> next - now < 0);
      }
      Long next = nextSlot.get(channel);
      slot = next == null || next - now < 0 ? now : next;
      nextSlot.put(channel, slot + intervalNanos);
    }
    long wait = slot - now;
    if (wait > 0) {
      // Pacing the worker thread is the point here: it holds the message until Slack will take it.
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
