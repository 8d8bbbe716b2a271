package ai.chatops.audit.internal;

import ai.chatops.PluginFailedException;
import ai.chatops.PluginTimeoutException;
import ai.chatops.access.AccessRefusedException;
import ai.chatops.audit.AuditEntry;
import ai.chatops.internal.Durations;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.internal.RealInvocationChain;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The invocation chain's audit step: one entry per call, written when the call's stage completes, which for a
 * timeout is at the deadline (so a plugin that never returns is audited too). Placed outside the access step,
 * so refusals are audited here as well.
 */
public final class AuditInterceptor implements Interceptor {
  private final Auditor auditor;

  public AuditInterceptor(Auditor auditor) {
    this.auditor = auditor;
  }

  @Override
  public CompletionStage<Action> intercept(Chain chain) {
    Invocation invocation = chain.invocation();
    long started = auditor.clock().millis();
    return chain.proceed(invocation).whenComplete(new Completed(invocation, started));
  }

  /**
   * Audits the call when its stage completes. A class rather than a lambda: its first use is on a cold
   * router's first event, where each lambda's bootstrap costs milliseconds.
   */
  private final class Completed implements BiConsumer<Action, Throwable> {
    private final Invocation invocation;
    private final long started;

    Completed(Invocation invocation, long started) {
      this.invocation = invocation;
      this.started = started;
    }

    @Override
    public void accept(Action action, Throwable failure) {
      Throwable error = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      long took = auditor.clock().millis() - started;
      AuditEntry.Outcome outcome = outcome(error);
      switch (outcome) {
        case DONE:
          record(invocation, outcome, took, "");
          break;
        case DENIED:
        case RATE_LIMITED:
          record(invocation, outcome, 0, ((AccessRefusedException) error).reason());
          break;
        case TIMED_OUT:
          record(invocation, outcome, took,
              "did not finish within " + Durations.describe(((PluginTimeoutException) error).timeout()));
          break;
        default:
          record(invocation, outcome, took, error instanceof RealInvocationChain.NothingReturnedException
              ? "returned nothing"
              : error instanceof PluginFailedException ? error.getMessage() : error.getClass().getSimpleName());
      }
    }
  }

  /**
   * The outcome of a call whose stage completed with {@code error} (unwrapped; null for a normal completion,
   * DONE): access refusals are DENIED or RATE_LIMITED, the deadline TIMED_OUT, anything else FAILED.
   */
  public static AuditEntry.Outcome outcome(Throwable error) {
    if (error == null) {
      return AuditEntry.Outcome.DONE;
    }
    if (error instanceof AccessRefusedException refused) {
      return refused.kind() == AccessRefusedException.Kind.RATE_LIMIT
          ? AuditEntry.Outcome.RATE_LIMITED : AuditEntry.Outcome.DENIED;
    }
    return error instanceof PluginTimeoutException ? AuditEntry.Outcome.TIMED_OUT : AuditEntry.Outcome.FAILED;
  }

  private void record(Invocation invocation, AuditEntry.Outcome outcome, long took, String detail) {
    auditor.record(invocation.event(), invocation.route().path(), invocation.attributes(), outcome, took, detail,
        invocation.via());
  }
}
