package ai.chatops.router.internal;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.toolkit.LogSafe;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The outermost step of the invocation chain: turns a failed call into the reply the user gets (a refusal, a
 * timeout, a plugin's own message, or an apology naming the event for a bug), so the stage of every call
 * completes with an {@link Action}.
 */
final class FailureReplies implements Interceptor {
  @Override
  public CompletionStage<Action> intercept(Chain chain) {
    Invocation invocation = chain.invocation();
    return chain.proceed(invocation).handle(new Replying(invocation));
  }

  /** The call's action, or the reply for its failure; a class, not a lambda generated at the first call. */
  private static final class Replying implements BiFunction<Action, Throwable, Action> {
    private final Invocation invocation;

    Replying(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public Action apply(Action action, Throwable failure) {
      if (failure == null) {
        return action;
      }
      String what = invocation.route().plugin() + " " + invocation.route().action();
      String ref = LogSafe.ref(invocation.event().service(), invocation.event().id());
      return Action.reply(PluginFailures.reply(PluginFailures.unwrap(failure), what, invocation.event().id(), ref));
    }
  }
}
