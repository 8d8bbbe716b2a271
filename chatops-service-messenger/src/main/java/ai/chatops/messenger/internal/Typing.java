package ai.chatops.messenger.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Typing indicators for answers that take a while (a plugin at work): {@link #expect} arms one for a
 * conversation, which shows {@code delay} later unless {@link #answered} came first, and is shown again every
 * {@code repeat} (the platform hides it after about 20 s), at most {@code maxShows} times. Bounded: at most
 * {@code maxPending} conversations are armed at once. Thread-safe.
 */
public final class Typing {
  private final ScheduledExecutorService scheduler;
  private final Consumer<String> show;
  private final Duration delay;
  private final Duration repeat;
  private final int maxShows;
  private final int maxPending;
  private final Map<String, Future<?>> pending = new ConcurrentHashMap<>();

  /** @param show sends the indicator to a recipient; runs on the scheduler's thread */
  public Typing(ScheduledExecutorService scheduler, Consumer<String> show, Duration delay, Duration repeat,
      int maxShows, int maxPending) {
    this.scheduler = scheduler;
    this.show = show;
    this.delay = delay;
    this.repeat = repeat;
    this.maxShows = maxShows;
    this.maxPending = maxPending;
  }

  /** Arms the indicator for {@code recipient} in the conversation {@code key}, unless it is armed already. */
  public void expect(String key, String recipient) {
    if (pending.size() >= maxPending) {
      return;
    }
    pending.computeIfAbsent(key, k -> task(k, recipient, delay, maxShows));
  }

  /** A future showing the indicator after {@code after}; null when the scheduler is shut down. */
  private Future<?> task(String key, String recipient, Duration after, int showsLeft) {
    try {
      return scheduler.schedule(() -> {
        if (!pending.containsKey(key)) {
          return;
        }
        show.accept(recipient);
        if (showsLeft > 1) {
          // Re-armed only if no answer disarmed it meanwhile.
          pending.computeIfPresent(key, (k, f) -> task(k, recipient, repeat, showsLeft - 1));
        } else {
          pending.remove(key);
        }
      }, after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Disarms the conversation's indicator: the answer is on its way (sending it hides the indicator). */
  public void answered(String key) {
    Future<?> armed = pending.remove(key);
    if (armed != null) {
      armed.cancel(false);
    }
  }

  /** How many conversations are armed; for tests. */
  public int pending() {
    return pending.size();
  }
}
