package ai.chatops.plugin;

import java.util.concurrent.CompletionStage;

/**
 * Observes, changes or short-circuits plugin calls, in the shape of OkHttp's interceptors: every
 * {@link Invocation}, whether it came from a chat message, a language model's proposal or an agent's tool
 * call, runs through one chain of interceptors before the plugin's {@link Plugin#triggerAsync} is called. Hosts add
 * their own with {@code EventRouter.Builder.interceptor(i)} for metrics, traces, retries or a policy of their
 * own.
 *
 * <pre>{@code
 * Interceptor timing = chain -> {
 *   long started = System.nanoTime();
 *   return chain.proceed(chain.invocation())
 *       .whenComplete((action, failure) -> timer.record(System.nanoTime() - started, NANOSECONDS));
 * };
 * }</pre>
 *
 * <p>Where host interceptors run: inside three of the router's own steps, which are, from the outside in, the
 * turning of failures into replies, the audit entry, and access rules with rate limits; and outside the
 * fourth, the plugin timeout, which each {@code proceed} arms anew. A host interceptor therefore sees only
 * calls that were admitted, and sees a plugin's failure as a failed stage: a
 * {@link ai.chatops.PluginTimeoutException} at the deadline, another {@link ai.chatops.PluginFailedException}
 * for a message meant for the user, any other exception for a bug. A retry gets the full plugin timeout again.
 *
 * <p>The call completes asynchronously: {@link Chain#proceed} returns a stage that completes with the
 * plugin's action or its failure. The chain ends in {@link Plugin#triggerAsync}: a synchronous plugin's stage
 * is usually complete by the time the outermost step sees it, an asynchronous plugin's completes later, on
 * one of the router's workers. An interceptor must not assume either, and must not block waiting for it.
 *
 * <p>The chain fails loudly on misuse: returning {@code null}, calling {@code proceed} a second time before the
 * first stage failed (a retry after a failure is allowed), or proceeding with an invocation of another route
 * throws an {@link IllegalStateException} naming the interceptor. Interceptors are shared by all calls, so
 * they are thread-safe.
 */
@FunctionalInterface
public interface Interceptor {
  /** Handles the invocation of {@code chain}, usually by calling {@link Chain#proceed} once. */
  CompletionStage<Action> intercept(Chain chain);

  /** The rest of the invocation chain, as seen from one interceptor. */
  interface Chain {
    /** The invocation as it reached this interceptor. */
    Invocation invocation();

    /**
     * Passes the invocation to the next interceptor, or to the plugin, and returns a stage that completes
     * with what it returned or threw. {@code invocation} must name the same route; its attributes may differ.
     */
    CompletionStage<Action> proceed(Invocation invocation);
  }
}
