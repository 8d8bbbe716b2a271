package ai.chatops.router.internal;

import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.internal.Durations;
import ai.chatops.plugin.Announcement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/hooks/<plugin>} from end to end: the request is verified ({@link HookEndpoint}), answered
 * 202, and handed to the plugin's {@code hook} on a worker under the plugin timeout; what the plugin announces
 * is delivered. Thread-safe.
 */
public final class Hooks {
  private static final Logger log = LoggerFactory.getLogger(Hooks.class);

  private final HookEndpoint endpoint;
  private final Map<String, PluginSlot> slotsByName;
  private final Workers workers;
  private final ScheduledExecutorService scheduler;
  private final Duration pluginTimeout;
  private final Delivery delivery;

  public Hooks(HookEndpoint endpoint, Map<String, PluginSlot> slotsByName, Workers workers,
      ScheduledExecutorService scheduler, Duration pluginTimeout, Delivery delivery) {
    this.endpoint = endpoint;
    this.slotsByName = Map.copyOf(slotsByName);
    this.workers = workers;
    this.scheduler = scheduler;
    this.pluginTimeout = pluginTimeout;
    this.delivery = delivery;
  }

  /** Verifies a hook request and hands it to its plugin; the response for the sender. */
  public WebhookResponse handle(WebhookRequest request) {
    HookEndpoint.Verdict verdict = endpoint.verify(request);
    if (verdict.plugin().isEmpty()) {
      return verdict.refusal();
    }
    PluginSlot slot = slotsByName.get(verdict.plugin().get());
    try {
      workers.execute(() -> run(slot, request));
      return WebhookResponse.text(202, "accepted");
    } catch (RejectedExecutionException e) {
      log.warn("hook for {}: no worker can take it now", slot.name());
      return WebhookResponse.text(503, "the bot is busy; try again");
    }
  }

  private void run(PluginSlot slot, WebhookRequest request) {
    String ref = "hook/" + slot.name();
    TimedCall.Result<List<Announcement>> result = TimedCall.run(() -> {
      slot.ensureConnected();
      return slot.plugin().hook(request);
    }, pluginTimeout, scheduler, () -> log.error("{}: the plugin did not finish within {}", ref,
        Durations.describe(pluginTimeout)));
    if (result.timedOut()) {
      return;
    }
    if (result.error() != null) {
      log.error("{}: the plugin failed to handle the hook", ref, result.error());
      return;
    }
    for (Announcement announcement : result.value() == null ? List.<Announcement>of() : result.value()) {
      delivery.deliver(announcement.conversation(), announcement.reply(), ref);
    }
  }
}
