package ai.chatops.router.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a plugin call on the current thread with a deadline. When the deadline passes first, {@code onTimeout}
 * runs on the scheduler's thread at once (so the user hears back even from a plugin that never returns) and
 * the calling thread is interrupted; a result that arrives later is dropped. A lock ensures the interrupt
 * can only land while the call is still running, never on later work of the same thread.
 */
public final class TimedCall<T> {
  private final Object lock = new Object();
  private boolean running = true;
  private boolean timedOut;

  private TimedCall() {}

  /**
   * What came of the call: its value or the exception it threw, or neither because the deadline passed
   * first.
   */
  public record Result<T>(T value, RuntimeException error, boolean timedOut) {}

  public static <T> Result<T> run(
      Supplier<T> body, Duration timeout, ScheduledExecutorService scheduler, Runnable onTimeout) {
    TimedCall<T> call = new TimedCall<>();
    Thread worker = Thread.currentThread();
    ScheduledFuture<?> timer = scheduler.schedule(() -> {
      synchronized (call.lock) {
        if (!call.running) {
          return;
        }
        call.timedOut = true;
        worker.interrupt();
      }
      onTimeout.run();
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    T value = null;
    RuntimeException error = null;
    try {
      value = body.get();
    } catch (RuntimeException e) {
      error = e;
    } finally {
      synchronized (call.lock) {
        call.running = false;
        if (call.timedOut) {
          Thread.interrupted(); // the interrupt was meant for the call that is now over
        }
      }
      timer.cancel(false);
    }
    synchronized (call.lock) {
      return call.timedOut ? new Result<>(null, null, true) : new Result<>(value, error, false);
    }
  }
}
