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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invocation chain's timeout step: when the plugin timeout passes first, the call fails at once with a
 * {@link PluginTimeoutException} (on the scheduler's thread, so the user hears back even from a plugin that
 * never returns), the plugin's thread is interrupted, and a result that arrives later is dropped.
 */
final class Deadline implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger(Deadline.class);

  private final Duration timeout;
  private final ScheduledExecutorService scheduler;

  Deadline(Duration timeout, ScheduledExecutorService scheduler) {
    this.timeout = timeout;
    this.scheduler = scheduler;
  }

  @Override
  public CompletionStage<Action> intercept(Chain chain) {
    Invocation invocation = chain.invocation();
    String what = invocation.route().plugin() + " " + invocation.route().action();
    String ref = LogSafe.ref(invocation.event().service(), invocation.event().id());
    CompletableFuture<Action> result = new CompletableFuture<>();
    ScheduledFuture<?> timer = scheduler.schedule(() -> {
      PluginTimeoutException late = new PluginTimeoutException("Sorry, " + what + " did not finish within "
          + Durations.describe(timeout) + " (event " + invocation.event().id() + ").", timeout);
      if (result.completeExceptionally(late)) {
        log.error("event {}: {} did not finish within {} ms", ref, what, timeout.toMillis());
        ((RealInvocationChain) chain).stopPlugin();
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletionStage<Action> call;
    try {
      call = chain.proceed(invocation);
    } catch (RuntimeException e) {
      timer.cancel(false);
      throw e;
    }
    call.whenComplete((action, failure) -> {
      timer.cancel(false);
      boolean inTime = failure == null ? result.complete(action) : result.completeExceptionally(failure);
      if (!inTime) {
        log.warn("event {}: {} returned after its deadline; the result was dropped", ref, what);
      }
    });
    return result;
  }
}
