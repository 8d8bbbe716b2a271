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
  private final Map<String, Armed> pending = new ConcurrentHashMap<>();

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
    Armed armed = new Armed();
    // In the map before it is scheduled: with a short delay the task may run before schedule() returns.
    if (pending.putIfAbsent(key, armed) == null) {
      arm(key, armed, recipient, delay, maxShows);
    }
  }

  /** Schedules the next show of {@code armed}; nothing when the scheduler is shut down. */
  private void arm(String key, Armed armed, String recipient, Duration after, int showsLeft) {
    try {
      armed.future = scheduler.schedule(() -> {
        if (pending.get(key) != armed) {
          return; // answered meanwhile
        }
        show.accept(recipient);
        if (showsLeft > 1) {
          arm(key, armed, recipient, repeat, showsLeft - 1);
        } else {
          pending.remove(key, armed);
        }
      }, after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pending.remove(key, armed);
    }
  }

  /** Disarms the conversation's indicator: the answer is on its way (sending it hides the indicator). */
  public void answered(String key) {
    Armed armed = pending.remove(key);
    if (armed != null) {
      Future<?> future = armed.future;
      if (future != null) {
        future.cancel(false);
      }
    }
  }

  /** One armed conversation; its current scheduled show, once scheduled. */
  private static final class Armed {
    volatile Future<?> future;
  }

  /** How many conversations are armed; for tests. */
  public int pending() {
    return pending.size();
  }
}
