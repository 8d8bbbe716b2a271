package ai.chatops.router.internal;

import ai.chatops.ConfigurationException;
import ai.chatops.PluginFailedException;
import ai.chatops.access.internal.Access;
import ai.chatops.access.internal.AccessInterceptor;
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
import java.util.concurrent.CompletableFuture;
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

  /**
   * @param slotsByRoute the plugin serving each route path
   * @param hostInterceptors the host's own interceptors, outermost first
   */
  public Invoker(Map<String, PluginSlot> slotsByRoute, Auditor auditor, Access access, Duration pluginTimeout,
      ScheduledExecutorService scheduler, List<Interceptor> hostInterceptors) {
    this.slotsByRoute = Map.copyOf(slotsByRoute);
    List<Interceptor> steps = new ArrayList<>();
    steps.add(new FailureReplies());
    steps.add(new AuditInterceptor(auditor));
    steps.add(new AccessInterceptor(access));
    steps.addAll(hostInterceptors);
    steps.add(new Deadline(pluginTimeout, scheduler));
    this.chain = List.copyOf(steps);
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
   * Starts a call on the calling thread. The plugin runs on this thread before the method returns, unless an
   * interceptor hands the call elsewhere; the call's stage may complete earlier (at the deadline) or later.
   *
   * @param admitted whether the dialog chain already applied the access rules to this call
   * @param then what to do with the call's stage, which always completes with an action (failures and
   *     refusals become replies); applied before the plugin runs
   * @return what {@code then} returned
   */
  public <T> CompletableFuture<T> invoke(Invocation invocation, boolean admitted,
      Function<CompletableFuture<Action>, CompletableFuture<T>> then) {
    if (!serves(invocation.route().path())) {
      // A custom dialog step, or a caller outside the dialog, named a route that no registered plugin serves.
      log.error("event {}: no plugin serves {}", LogSafe.ref(invocation.event().service(), invocation.event().id()),
          LogSafe.clean(invocation.route().path()));
      return then.apply(CompletableFuture.completedFuture(
          Action.reply("Sorry, nothing serves " + invocation.route().path() + " here.")));
    }
    return RealInvocationChain.start(chain, invocation, this::call, admitted, then);
  }

  private Action call(Invocation invocation) {
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
    return slot.plugin().trigger(invocation);
  }
}
