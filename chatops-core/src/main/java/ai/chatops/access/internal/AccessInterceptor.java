package ai.chatops.access.internal;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.internal.RealInvocationChain;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The invocation chain's access step: applies the route's access rule to calls the dialog chain did not
 * already check (a language model's or an agent's), then charges the rate limits. A refusal fails the call
 * with {@link ai.chatops.access.AccessRefusedException} and the plugin does not run.
 */
public final class AccessInterceptor implements Interceptor {
  private final Access access;

  public AccessInterceptor(Access access) {
    this.access = access;
  }

  @Override
  public CompletionStage<Action> intercept(Chain chain) {
    try {
      if (!((RealInvocationChain) chain).admitted()) {
        access.checkRule(chain.invocation().event(), chain.invocation().route().path());
      }
      access.charge(chain.invocation());
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    return chain.proceed(chain.invocation());
  }
}
