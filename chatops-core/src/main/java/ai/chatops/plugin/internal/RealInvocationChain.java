package ai.chatops.plugin.internal;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
   * @param admitted whether the access rules were already applied to this invocation (by the dialog chain)
   * @param then what the caller does when the call completes, attached to the outermost step's stage before
   *     the plugin runs, so that it happens even while the plugin's thread is still blocked (at a deadline)
   * @return the stage {@code then} returned; never throws: a step's exception fails the call's stage
   */
  public static <T> CompletableFuture<T> start(List<Interceptor> interceptors, Invocation invocation,
      Function<Invocation, Action> plugin, boolean admitted,
      Function<CompletableFuture<Action>, CompletableFuture<T>> then) {
    Call call = new Call(List.copyOf(interceptors), plugin, admitted, Thread.currentThread());
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
   * running the plugin now, and keeps it from starting if it has not yet. Only the innermost step's proceed
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
    final Function<Invocation, Action> plugin;
    final boolean admitted;
    final Thread starter;
    /** Only read and written by the starting thread. */
    boolean starting = true;
    Runnable held;

    Call(List<Interceptor> interceptors, Function<Invocation, Action> plugin, boolean admitted, Thread starter) {
      this.interceptors = interceptors;
      this.plugin = plugin;
      this.admitted = admitted;
      this.starter = starter;
    }

    /** Starts one run of the plugin: held while the chain is being set up, else at once. */
    Attempt runPlugin(Invocation invocation) {
      Attempt attempt = new Attempt(plugin, invocation);
      if (starting && Thread.currentThread() == starter) {
        held = attempt::run;
      } else {
        attempt.run();
      }
      return attempt;
    }
  }

  /** One run of the plugin, which a timeout may stop. */
  private static final class Attempt {
    final CompletableFuture<Action> stage = new CompletableFuture<>();
    private final Function<Invocation, Action> plugin;
    private final Invocation invocation;
    private final Object lock = new Object();
    private Thread running;
    private boolean stopped;

    Attempt(Function<Invocation, Action> plugin, Invocation invocation) {
      this.plugin = plugin;
      this.invocation = invocation;
    }

    void run() {
      synchronized (lock) {
        if (stopped) {
          stage.completeExceptionally(new CancellationException("the call was stopped before the plugin ran"));
          return;
        }
        running = Thread.currentThread();
      }
      try {
        Action action = plugin.apply(invocation);
        if (action == null) {
          stage.completeExceptionally(new NothingReturnedException());
        } else {
          stage.complete(action);
        }
      } catch (RuntimeException | StackOverflowError e) {
        stage.completeExceptionally(e);
      } finally {
        synchronized (lock) {
          running = null;
          if (stopped) {
            Thread.interrupted(); // the interrupt was meant for the plugin call that is now over
          }
        }
      }
    }

    /** Interrupts the plugin's thread while it runs the plugin, and keeps a held run from starting. */
    void stop() {
      synchronized (lock) {
        stopped = true;
        if (running != null) {
          running.interrupt();
        }
      }
    }
  }
}
