package ai.chatops.plugin.internal;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.RouterObserver;
import ai.chatops.internal.Observers;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The invocation chain as one interceptor sees it. A new chain object per step, as in OkHttp, so that each
 * step's {@code proceed} calls can be counted and misuse reported against the step that made it.
 *
 * <p>The plugin itself runs after the whole chain has been set up: when the innermost step proceeds during
 * {@link #start}, the plugin call is held and run on the starting thread once every step has returned its
 * stage. So every step has attached what it does on completion before the plugin runs, and a step that
 * completes the call early (the timeout, at its deadline) is seen by the steps outside it at once, even while
 * the plugin's thread is still blocked. A proceed made later (a retry, or from another thread) runs the
 * plugin at once.
 *
 * <p>The plugin's stage may complete later, on another thread (an HTTP client's): then the call's completion
 * (every step's reaction to it, the caller's {@code then}) is handed to the {@code resume} executor, so that
 * it runs on the router's workers and never on the thread that completed the plugin's stage.
 */
public final class RealInvocationChain implements Interceptor.Chain {
  private final Call call;
  private final int index;
  private final Invocation invocation;
  private int calls;
  private CompletableFuture<Action> last;
  private volatile Attempt attempt;

  private RealInvocationChain(Call call, int index, Invocation invocation) {
    this.call = call;
    this.index = index;
    this.invocation = invocation;
  }

  /**
   * Runs {@code invocation} through {@code interceptors} in order, then through {@code plugin}.
   *
   * @param plugin starts the plugin call and returns its stage
   * @param resume where the call continues when the plugin's stage completes after {@code plugin} returned
   * @param admitted whether the access rules were already applied to this invocation (by the dialog chain)
   * @param then what the caller does when the call completes, attached to the outermost step's stage before
   *     the plugin runs, so that it happens even while the plugin's thread is still blocked (at a deadline)
   * @return the stage {@code then} returned; never throws: a step's exception fails the call's stage
   */
  public static <T> CompletableFuture<T> start(List<Interceptor> interceptors, Invocation invocation,
      Function<Invocation, ? extends CompletionStage<Action>> plugin, Executor resume, boolean admitted,
      Function<CompletableFuture<Action>, CompletableFuture<T>> then) {
    Call call = new Call(List.copyOf(interceptors), plugin, resume, admitted, Thread.currentThread());
    CompletableFuture<T> result;
    try {
      result = then.apply(new RealInvocationChain(call, 0, invocation).next(invocation));
    } finally {
      call.starting = false;
    }
    Runnable held = call.held;
    if (held != null) {
      held.run();
    }
    return result;
  }

  @Override
  public Invocation invocation() {
    return invocation;
  }

  /** Whether the access rules were already applied to this call, by the dialog chain. */
  public boolean admitted() {
    return call.admitted;
  }

  /**
   * Asks the plugin call that this step's last {@code proceed} started to stop: interrupts its thread if it is
   * running the plugin now, cancels the plugin's stage if it is pending, and keeps it from starting if it has
   * not yet. Only the innermost step's proceed
   * starts a plugin call; for other steps this does nothing. The call's stage is not changed; the caller
   * completes its own.
   */
  public void stopPlugin() {
    Attempt started = attempt;
    if (started != null) {
      started.stop();
    }
  }

  @Override
  public CompletionStage<Action> proceed(Invocation next) {
    Objects.requireNonNull(next, "invocation");
    String step = describe(call.interceptors.get(index - 1));
    // The same object, as almost always, needs no record equals (whose first call builds method handles).
    if (next.route() != invocation.route() && !next.route().equals(invocation.route())) {
      throw new IllegalStateException("interceptor " + step + " proceeded with route " + next.route().path()
          + " but the call is for " + invocation.route().path() + "; an interceptor may not change the route");
    }
    if (calls++ > 0 && !(last.isDone() && last.isCompletedExceptionally())) {
      throw new IllegalStateException("interceptor " + step
          + " must call proceed() once, and again only to retry after the previous call failed");
    }
    last = next(next);
    return last;
  }

  private CompletableFuture<Action> next(Invocation next) {
    if (index >= call.interceptors.size()) {
      attempt = call.runPlugin(next);
      return attempt.stage;
    }
    Interceptor interceptor = call.interceptors.get(index);
    CompletionStage<Action> stage;
    try {
      stage = interceptor.intercept(new RealInvocationChain(call, index + 1, next));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("interceptor " + describe(interceptor) + " returned null"));
    }
    return stage.toCompletableFuture();
  }

  /** The plugin returned null instead of an action. */
  public static final class NothingReturnedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NothingReturnedException() {
      super("the plugin returned null instead of an Action");
    }
  }

  static String describe(Interceptor interceptor) {
    return interceptor.getClass().getName();
  }

  /** What every step of one call shares. */
  private static final class Call {
    final List<Interceptor> interceptors;
    final Function<Invocation, ? extends CompletionStage<Action>> plugin;
    final Executor resume;
    final boolean admitted;
    final Thread starter;
    /** Only read and written by the starting thread. */
    boolean starting = true;
    Runnable held;

    Call(List<Interceptor> interceptors, Function<Invocation, ? extends CompletionStage<Action>> plugin,
        Executor resume, boolean admitted, Thread starter) {
      this.interceptors = interceptors;
      this.plugin = plugin;
      this.resume = resume;
      this.admitted = admitted;
      this.starter = starter;
    }

    /** Starts one run of the plugin: held while the chain is being set up, else at once. */
    Attempt runPlugin(Invocation invocation) {
      Attempt attempt = new Attempt(plugin, resume, invocation);
      if (starting && Thread.currentThread() == starter) {
        held = attempt;
      } else {
        attempt.run();
      }
      return attempt;
    }
  }

  /** One run of the plugin, which a timeout may stop. */
  private static final class Attempt implements Runnable { // a class to hold: no method reference generated
    final CompletableFuture<Action> stage = new CompletableFuture<>();
    private final Function<Invocation, ? extends CompletionStage<Action>> plugin;
    private final Executor resume;
    private final Invocation invocation;
    private final Object lock = new Object();
    private Thread running;
    private CompletableFuture<Action> pending;
    private boolean stopped;

    Attempt(Function<Invocation, ? extends CompletionStage<Action>> plugin, Executor resume,
        Invocation invocation) {
      this.plugin = plugin;
      this.resume = resume;
      this.invocation = invocation;
    }

    @Override
    public void run() {
      synchronized (lock) {
        if (stopped) {
          stage.completeExceptionally(new CancellationException("the call was stopped before the plugin ran"));
          return;
        }
        running = Thread.currentThread();
      }
      CompletionStage<Action> started = null;
      try {
        started = plugin.apply(invocation);
        if (started == null) {
          stage.completeExceptionally(new NothingReturnedException());
          return;
        }
      } catch (RuntimeException | StackOverflowError e) {
        stage.completeExceptionally(e);
        return;
      } finally {
        synchronized (lock) {
          running = null;
          if (stopped) {
            Thread.interrupted(); // the interrupt was meant for the plugin call that is now over
          }
        }
      }
      CompletableFuture<Action> future = future(started);
      if (future.isDone()) {
        settle(future);
        return;
      }
      boolean cancel;
      synchronized (lock) {
        pending = future;
        cancel = stopped;
      }
      if (cancel) {
        future.cancel(true);
      }
      // The stage completes on some other thread (an HTTP client's): the call continues on the router's, in
      // the rest of the event's observed processing (a trace's span of the event, for one).
      RouterObserver.Continuation rest = Observers.continuation();
      future.whenComplete((action, failure) -> resume.execute(() -> {
        RouterObserver.Scope scope = rest.open();
        try {
          settle(future);
        } finally {
          scope.close();
        }
      }));
    }

    private void settle(CompletableFuture<Action> done) {
      Action action;
      try {
        action = done.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        while (cause instanceof CompletionException && cause.getCause() != null) {
          cause = cause.getCause();
        }
        stage.completeExceptionally(cause);
        return;
      } catch (CancellationException e) {
        stage.completeExceptionally(e);
        return;
      }
      if (action == null) {
        stage.completeExceptionally(new NothingReturnedException());
      } else {
        stage.complete(action);
      }
    }

    /**
     * Interrupts the plugin's thread while it runs the plugin, cancels the plugin's pending stage, and keeps
     * a held run from starting.
     */
    void stop() {
      CompletableFuture<Action> cancel;
      synchronized (lock) {
        stopped = true;
        if (running != null) {
          running.interrupt();
        }
        cancel = pending;
      }
      if (cancel != null) {
        cancel.cancel(true);
      }
    }
  }

  /** The stage as a future, which a timeout can cancel (a plugin's own future may pass that on). */
  private static CompletableFuture<Action> future(CompletionStage<Action> stage) {
    if (stage instanceof CompletableFuture<Action> f) {
      return f;
    }
    CompletableFuture<Action> f = new CompletableFuture<>();
    stage.whenComplete((action, failure) -> {
      if (failure != null) {
        f.completeExceptionally(failure);
      } else {
        f.complete(action);
      }
    });
    return f;
  }
}
