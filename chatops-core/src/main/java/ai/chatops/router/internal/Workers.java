package ai.chatops.router.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The router's executor, counting the work in flight so that {@link #awaitIdle} and a closing router can wait
 * for it. Work run on the caller's thread ({@link #runNow}) counts too. Thread-safe.
 */
public final class Workers implements Executor {
  private final Executor executor;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object idle = new Object();

  public Workers(Executor executor) {
    this.executor = executor;
  }

  /**
   * Runs {@code work} on the executor, counted until it ends.
   *
   * @throws RejectedExecutionException when the executor is saturated or shut down
   */
  @Override
  public void execute(Runnable work) {
    begin();
    try {
      executor.execute(() -> {
        try {
          work.run();
        } finally {
          end();
        }
      });
    } catch (RejectedExecutionException e) {
      end();
      throw e;
    }
  }

  /** Runs {@code work} on the calling thread, counted until it ends. */
  public <T> T runNow(Supplier<T> work) {
    begin();
    try {
      return work.get();
    } finally {
      end();
    }
  }

  /** Waits until no work is in flight; true if that happened within the timeout. */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /** How much work is in flight now. */
  public int inFlight() {
    return inFlight.get();
  }

  private void begin() {
    inFlight.incrementAndGet();
  }

  private void end() {
    if (inFlight.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }
}
