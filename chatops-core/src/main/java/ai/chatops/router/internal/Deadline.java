package ai.chatops.router.internal;

import ai.chatops.PluginTimeoutException;
import ai.chatops.internal.Durations;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.internal.RealInvocationChain;
import ai.chatops.toolkit.LogSafe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invocation chain's timeout step: when the plugin timeout passes first, the call fails at once with a
 * {@link PluginTimeoutException} (on the scheduler's thread, so the user hears back even from a plugin that
 * never returns), the plugin's thread is interrupted, and a result that arrives later is dropped.
 *
 * <p>Every call has the same timeout, so deadlines come in the order calls start: the pending calls wait in a
 * queue, oldest first, and one scheduler task at a time watches its head, rescheduled for the next deadline.
 * A call costs a queue node instead of a scheduled task, whose insertion and removal lock the scheduler's
 * queue and wake its thread for each call (the new task is its earliest).
 */
final class Deadline implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger(Deadline.class);

  private final Duration timeout;
  private final long timeoutNanos;
  private final ScheduledExecutorService scheduler;
  /** The calls not yet completed (and a few just completed, not yet removed), oldest deadline first. */
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
  /** Whether a scheduler task watches {@link #pending}: there is at most one. */
  private final AtomicBoolean watched = new AtomicBoolean();

  Deadline(Duration timeout, ScheduledExecutorService scheduler) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.scheduler = scheduler;
  }

  /**
   * One call that has not returned yet: what its deadline completes, and what completes it when the plugin's
   * stage does first. A class, not a record and a lambda: the queue removes it by identity, and a cold router's
   * first call bootstraps no lambda for it.
   */
  private final class Pending implements BiConsumer<Action, Throwable> {
    final long deadline;
    final CompletableFuture<Action> result;
    final Interceptor.Chain chain;

    Pending(long deadline, CompletableFuture<Action> result, Interceptor.Chain chain) {
      this.deadline = deadline;
      this.result = result;
      this.chain = chain;
    }

    @Override
    public void accept(Action action, Throwable failure) {
      pending.remove(this); // the head, or near it, when calls end in about the order they started
      boolean inTime = failure == null ? result.complete(action) : result.completeExceptionally(failure);
      if (!inTime) {
        log.warn("event {}: {} returned after its deadline; the result was dropped", ref(chain.invocation()),
            what(chain.invocation()));
      }
    }
  }

  /** The watching task: a field, so that scheduling it creates nothing. */
  private final Runnable expiry = new Runnable() {
    @Override
    public void run() {
      expire();
    }
  };

  @Override
  public CompletionStage<Action> intercept(Chain chain) {
    if (scheduler.isShutdown()) {
      // As when each call scheduled its own timer: a call that no timer would watch does not start.
      throw new RejectedExecutionException("the scheduler is shut down; the router is closing");
    }
    CompletableFuture<Action> result = new CompletableFuture<>();
    Pending call = new Pending(System.nanoTime() + timeoutNanos, result, chain);
    pending.add(call);
    CompletionStage<Action> stage;
    try {
      watch();
      stage = chain.proceed(chain.invocation());
    } catch (RuntimeException e) {
      pending.remove(call);
      throw e;
    }
    stage.whenComplete(call);
    return result;
  }

  /** How many calls are watched: a call leaves when it completes, so this is how many are in flight. */
  int watching() {
    return pending.size();
  }

  /** Starts the watching task if none runs: at the head's deadline. */
  private void watch() {
    if (watched.get() || !watched.compareAndSet(false, true)) {
      return;
    }
    Pending head = pending.peek();
    if (head == null) {
      watched.set(false);
      if (!pending.isEmpty()) {
        watch(); // a call arrived between the look and the reset
      }
      return;
    }
    schedule(head.deadline);
  }

  private void schedule(long deadline) {
    try {
      scheduler.schedule(expiry, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      watched.set(false);
      throw e; // the router is closing, as before: the call does not start
    }
  }

  /**
   * On the scheduler's thread: times out every call whose deadline has passed, drops those that completed,
   * then watches the next deadline, or stops watching when no call is pending.
   */
  private void expire() {
    long now = System.nanoTime();
    Pending head;
    while ((head = pending.peek()) != null) {
      if (!head.result.isDone() && head.deadline - now > 0) {
        schedule(head.deadline);
        return;
      }
      pending.remove(head);
      if (!head.result.isDone()) {
        timeOut(head);
      }
    }
    watched.set(false);
    if (!pending.isEmpty()) {
      watch(); // a call arrived after the queue was seen empty
    }
  }

  private void timeOut(Pending call) {
    Invocation invocation = call.chain.invocation();
    PluginTimeoutException late = new PluginTimeoutException("Sorry, " + what(invocation) + " did not finish within "
        + Durations.describe(timeout) + " (event " + invocation.event().id() + ").", timeout);
    if (call.result.completeExceptionally(late)) {
      log.error("event {}: {} did not finish within {} ms", ref(invocation), what(invocation), timeout.toMillis());
      ((RealInvocationChain) call.chain).stopPlugin();
    }
  }

  private static String what(Invocation invocation) {
    return invocation.route().plugin() + " " + invocation.route().action();
  }

  private static String ref(Invocation invocation) {
    return LogSafe.ref(invocation.event().service(), invocation.event().id());
  }
}
