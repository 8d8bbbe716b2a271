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
    return chain.proceed(invocation).whenComplete((action, failure) -> {
      Throwable error = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      long took = auditor.clock().millis() - started;
      if (error == null) {
        record(invocation, AuditEntry.Outcome.DONE, took, "");
      } else if (error instanceof AccessRefusedException refused) {
        record(invocation, refused.kind() == AccessRefusedException.Kind.RATE_LIMIT
            ? AuditEntry.Outcome.RATE_LIMITED : AuditEntry.Outcome.DENIED, 0, refused.reason());
      } else if (error instanceof PluginTimeoutException timeout) {
        record(invocation, AuditEntry.Outcome.TIMED_OUT, took,
            "did not finish within " + Durations.describe(timeout.timeout()));
      } else if (error instanceof RealInvocationChain.NothingReturnedException) {
        record(invocation, AuditEntry.Outcome.FAILED, took, "returned nothing");
      } else {
        record(invocation, AuditEntry.Outcome.FAILED, took, error instanceof PluginFailedException
            ? error.getMessage() : error.getClass().getSimpleName());
      }
    });
  }

  private void record(Invocation invocation, AuditEntry.Outcome outcome, long took, String detail) {
    auditor.record(invocation.event(), invocation.route().path(), invocation.attributes(), outcome, took, detail,
        invocation.via());
  }
}
