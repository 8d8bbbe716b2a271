package ai.chatops.router.internal;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The router's executor, counting the work in flight so that {@link #awaitIdle} and a closing router can wait
 * for it. Work run on the caller's thread ({@link #runNow}) counts too, and so does work that continues after
 * its task returned ({@link #executeUntil}) until its stage completes. Thread-safe.
 *
 * <p>{@link #resume} is never refused: the continuation of a plugin call that completed on another thread
 * must run (its event was acknowledged). When the executor's queue is full it waits in a queue of its own,
 * which the next worker to finish a task empties; that queue is bounded by the calls that can be pending at
 * once.
 */
public final class Workers implements Executor {
  private final Executor executor;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object idle = new Object();
  private final Queue<Runnable> resumed = new ConcurrentLinkedQueue<>();
  private final Semaphore calls;

  /**
   * @param maxPendingCalls how many plugin calls may be under way at once, running or pending
   */
  public Workers(Executor executor, int maxPendingCalls) {
    this.executor = executor;
    this.calls = new Semaphore(maxPendingCalls);
  }

  /**
   * Takes a place for one plugin call, waiting while {@code maxPendingCalls} are under way: a worker that
   * waits here takes no more events from the queue (which, once full, makes the acknowledgement answer 503),
   * and meanwhile runs the continuations of calls that completed, which free places.
   *
   * @return whether a place was taken (false only when the thread was interrupted: the router is closing);
   *     pass it to {@link #endCall}
   */
  public boolean beginCall() {
    try {
      while (!calls.tryAcquire(20, TimeUnit.MILLISECONDS)) {
        drainResumed();
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Gives back the place {@link #beginCall} took, if it took one. */
  public void endCall(boolean taken) {
    if (taken) {
      calls.release();
    }
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
          drainResumed();
        }
      });
    } catch (RejectedExecutionException e) {
      end();
      throw e;
    }
  }

  /**
   * Runs {@code work} on the executor, counted until the stage it returns completes: the worker is free as
   * soon as {@code work} returns.
   *
   * @throws RejectedExecutionException when the executor is saturated or shut down
   */
  public void executeUntil(Supplier<? extends CompletionStage<?>> work) {
    begin();
    try {
      executor.execute(new Until(work));
    } catch (RejectedExecutionException e) {
      end();
      throw e;
    }
  }

  /**
   * {@link #executeUntil}'s task, counted until its stage completes. A class, not two lambdas: each lambda is a
   * class generated (with its method handles) when first created, on a cold router's first event.
   */
  private final class Until implements Runnable, BiConsumer<Object, Throwable> {
    private final Supplier<? extends CompletionStage<?>> work;

    Until(Supplier<? extends CompletionStage<?>> work) {
      this.work = work;
    }

    @Override
    public void run() {
      CompletionStage<?> stage = null;
      try {
        stage = work.get();
      } finally {
        if (stage == null) {
          end();
        } else {
          stage.whenComplete(this);
        }
        drainResumed();
      }
    }

    /** The stage completed: the work is over. */
    @Override
    public void accept(Object result, Throwable failure) {
      end();
    }
  }

  /**
   * Continues, on a worker, work whose stage completed on another thread. Never refused: when the executor is
   * saturated the work waits for the next worker to finish a task; when it is shut down (the router is
   * closing) the work runs on the calling thread.
   */
  public void resume(Runnable work) {
    begin();
    Runnable counted = () -> {
      try {
        work.run();
      } finally {
        end();
      }
    };
    try {
      executor.execute(() -> {
        counted.run();
        drainResumed();
      });
    } catch (RejectedExecutionException e) {
      if (executor instanceof ExecutorService service && service.isShutdown()) {
        counted.run();
      } else {
        resumed.add(counted);
      }
    }
  }

  /** Runs the continuations that the executor refused, on this worker. */
  private void drainResumed() {
    Runnable next;
    while ((next = resumed.poll()) != null) {
      next.run();
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
