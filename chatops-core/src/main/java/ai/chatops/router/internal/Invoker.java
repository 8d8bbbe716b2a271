package ai.chatops.router.internal;

import ai.chatops.ConfigurationException;
import ai.chatops.InvocationResult;
import ai.chatops.PluginFailedException;
import ai.chatops.access.internal.Access;
import ai.chatops.access.internal.AccessInterceptor;
import ai.chatops.audit.AuditEntry;
import ai.chatops.audit.internal.AuditInterceptor;
import ai.chatops.audit.internal.Auditor;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.internal.RealInvocationChain;
import ai.chatops.toolkit.LogSafe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs plugin calls through the invocation chain: from the outside in, failures turned into replies, the audit
 * entry, access rules and rate limits, the host's interceptors, the plugin timeout, then the plugin (connected
 * first if it is not). Every call, from the dialog or from elsewhere, takes this one path. Thread-safe.
 */
public final class Invoker {
  private static final Logger log = LoggerFactory.getLogger(Invoker.class);

  private final Map<String, PluginSlot> slotsByRoute;
  private final List<Interceptor> chain;
  /** The chain without its outermost step, {@link FailureReplies}: for callers that need the outcome too. */
  private final List<Interceptor> failing;
  private final Executor resume;

  /**
   * @param slotsByRoute the plugin serving each route path
   * @param hostInterceptors the host's own interceptors, outermost first
   * @param resume where a call continues when its plugin's stage completes on another thread
   */
  public Invoker(Map<String, PluginSlot> slotsByRoute, Auditor auditor, Access access, Duration pluginTimeout,
      ScheduledExecutorService scheduler, List<Interceptor> hostInterceptors, Executor resume) {
    this.slotsByRoute = Map.copyOf(slotsByRoute);
    this.resume = resume;
    List<Interceptor> steps = new ArrayList<>();
    steps.add(new FailureReplies());
    steps.add(new AuditInterceptor(auditor));
    steps.add(new AccessInterceptor(access));
    steps.addAll(hostInterceptors);
    steps.add(new Deadline(pluginTimeout, scheduler));
    this.chain = List.copyOf(steps);
    this.failing = chain.subList(1, chain.size());
  }

  /** The plugin serving {@code route}, or null. */
  public PluginSlot slot(String route) {
    return slotsByRoute.get(route);
  }

  /** Whether a registered plugin serves {@code route}. */
  public boolean serves(String route) {
    return slotsByRoute.containsKey(route);
  }

  /**
   * Starts a call on the calling thread. The plugin's {@code triggerAsync} runs on this thread before the method
   * returns, unless an interceptor hands the call elsewhere; the call's stage may complete earlier (at the
   * deadline) or later (a plugin's pending stage, continued on the {@code resume} executor).
   *
   * @param admitted whether the dialog chain already applied the access rules to this call
   * @param then what to do with the call's stage, which always completes with an action (failures and
   *     refusals become replies); applied before the plugin runs
   * @return what {@code then} returned
   */
  public <T> CompletableFuture<T> invoke(Invocation invocation, boolean admitted,
      Function<CompletableFuture<Action>, CompletableFuture<T>> then) {
    return invoke(invocation, admitted, Start.PLAIN, then);
  }

  /**
   * How the plugin is called at the end of the chain, once it is connected: {@code before} runs first (it
   * records in the journal that the call starts, and refuses by throwing {@link PluginFailedException}), then
   * the plugin's {@code triggerAsync}, or its {@code recover} when {@code recovering}: the call may have started
   * before the event's previous router stopped.
   */
  public record Start(Runnable before, boolean recovering) {
    static final Start PLAIN = new Start(NoOp.INSTANCE, false);
  }

  /** Runs nothing; a class of its own, not a lambda generated on the first event's worker. */
  private enum NoOp implements Runnable {
    INSTANCE;

    @Override
    public void run() {}
  }

  /**
   * The end of the chain: the plugin, called with {@code start}; a class, not a lambda
   * generated at the first call.
   */
  private final class PluginCall implements Function<Invocation, CompletionStage<Action>> {
    private final Start start;

    PluginCall(Start start) {
      this.start = start;
    }

    @Override
    public CompletionStage<Action> apply(Invocation call) {
      return call(call, start);
    }
  }

  /** Starts a call as {@link #invoke(Invocation, boolean, Function)} does, with {@code start} at its end. */
  public <T> CompletableFuture<T> invoke(Invocation invocation, boolean admitted, Start start,
      Function<CompletableFuture<Action>, CompletableFuture<T>> then) {
    if (!serves(invocation.route().path())) {
      // A custom dialog step, or a caller outside the dialog, named a route that no registered plugin serves.
      log.error("event {}: no plugin serves {}", LogSafe.ref(invocation.event().service(), invocation.event().id()),
          LogSafe.clean(invocation.route().path()));
      return then.apply(CompletableFuture.completedFuture(
          Action.reply("Sorry, nothing serves " + invocation.route().path() + " here.")));
    }
    return RealInvocationChain.start(chain, invocation, new PluginCall(start), resume, admitted, then);
  }

  /**
   * Starts a call from outside the dialog (the access rules apply here) as {@link #invoke} does, and completes
   * with its outcome as well as the action, or the reply that replaces it when refused or failed.
   */
  public CompletableFuture<InvocationResult> invokeWithOutcome(Invocation invocation) {
    String what = invocation.route().plugin() + " " + invocation.route().action();
    String ref = LogSafe.ref(invocation.event().service(), invocation.event().id());
    if (!serves(invocation.route().path())) {
      log.error("event {}: no plugin serves {}", ref, LogSafe.clean(invocation.route().path()));
      return CompletableFuture.completedFuture(new InvocationResult(AuditEntry.Outcome.FAILED,
          Action.reply("Sorry, nothing serves " + invocation.route().path() + " here."), false));
    }
    return RealInvocationChain.start(failing, invocation, new PluginCall(Start.PLAIN), resume, false,
        stage -> stage.handle((action, failure) -> {
          if (failure == null) {
            return new InvocationResult(AuditEntry.Outcome.DONE, action, false);
          }
          Throwable error = PluginFailures.unwrap(failure);
          return new InvocationResult(AuditInterceptor.outcome(error),
              Action.reply(PluginFailures.reply(error, what, invocation.event().id(), ref)), false);
        }));
  }

  private CompletionStage<Action> call(Invocation invocation, Start start) {
    PluginSlot slot = slotsByRoute.get(invocation.route().path());
    try {
      slot.ensureConnected();
    } catch (ConfigurationException e) {
      // Configuration messages name keys, never values, so they can be shown.
      throw new PluginFailedException("Sorry, the " + slot.name() + " plugin cannot run: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      log.error("event {}: the {} plugin could not connect",
          LogSafe.ref(invocation.event().service(), invocation.event().id()), slot.name(), e);
      throw new PluginFailedException("Sorry, the " + slot.name() + " plugin is not available; an administrator"
          + " should check its configuration (event " + invocation.event().id() + ").", e);
    }
    start.before().run();
    if (!start.recovering()) {
      return slot.plugin().triggerAsync(invocation);
    }
    log.warn("event {}: {} may have started before the event's previous router stopped; asking the plugin",
        LogSafe.ref(invocation.event().service(), invocation.event().id()), invocation.route().path());
    return CompletableFuture.completedFuture(
        slot.plugin().recover(invocation).orElseThrow(() -> new PluginFailedException(restarted(invocation))));
  }

  /** What the user is told when a call may have started before a restart and its plugin cannot tell. */
  static String restarted(Invocation invocation) {
    StringBuilder asked = new StringBuilder(invocation.route().plugin()).append(' ').append(invocation.action());
    new TreeMap<>(invocation.attributes()).forEach((k, v) -> asked.append(' ').append(k).append('=')
        .append(v));
    return "Sorry, the bot restarted while it was running `" + asked + "` for you (event "
        + invocation.event().id() + "), so I cannot tell whether it happened. I did not run it again: check "
        + "whether it took effect before you ask again.";
  }
}
