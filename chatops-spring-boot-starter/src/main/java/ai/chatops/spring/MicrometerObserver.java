package ai.chatops.spring;

import ai.chatops.EventRouter;
import ai.chatops.RouterObserver;
import ai.chatops.audit.AuditEntry;
import ai.chatops.service.ChatEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The router's metrics in Micrometer, under names dashboards can rely on:
 *
 * <ul>
 *   <li>{@code chatops.events} (counter; {@code service}, {@code outcome}: accepted, duplicate, rejected,
 *       overloaded);
 *   <li>{@code chatops.invocations} (timer; {@code plugin}, {@code route}, {@code outcome}: done, failed,
 *       timed_out, denied, rate_limited);
 *   <li>{@code chatops.queue.depth} and {@code chatops.workers.busy} (gauges, see {@link #bindGauges});
 *   <li>{@code chatops.nlu} (timer; {@code engine}, {@code outcome}: understood, not_understood, failed).
 * </ul>
 *
 * <p>Tags carry service, plugin, route and engine names only, which are bounded by the configuration; never
 * users, channels or text. Thread-safe.
 */
public final class MicrometerObserver implements RouterObserver {
  private final MeterRegistry registry;

  public MicrometerObserver(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the two gauges, read from {@code router} whenever the registry samples them. */
  public static void bindGauges(EventRouter router, MeterRegistry registry) {
    Gauge.builder("chatops.queue.depth", router, EventRouter::queuedEvents)
        .description("Events accepted and waiting for a worker").register(registry);
    Gauge.builder("chatops.workers.busy", router, EventRouter::busyWorkers)
        .description("Workers processing an event").register(registry);
  }

  @Override
  public void eventReceived(String service, ChatEvent event, EventOutcome outcome) {
    Counter.builder("chatops.events")
        .description("Chat platform requests and events, by what the router made of them")
        .tag("service", service)
        .tag("outcome", outcome.tag())
        .register(registry)
        .increment();
  }

  @Override
  public void nluCompleted(String engine, NluOutcome outcome, Duration took) {
    Timer.builder("chatops.nlu")
        .description("Free-text understanding")
        .tag("engine", engine)
        .tag("outcome", outcome.tag())
        .register(registry)
        .record(took);
  }

  @Override
  public void invocationCompleted(String plugin, AuditEntry entry) {
    Timer.builder("chatops.invocations")
        .description("Plugin calls, by their audited outcome")
        .tag("plugin", plugin)
        .tag("route", entry.route())
        .tag("outcome", entry.outcome().wireName())
        .register(registry)
        .record(entry.durationMillis(), TimeUnit.MILLISECONDS);
  }
}
