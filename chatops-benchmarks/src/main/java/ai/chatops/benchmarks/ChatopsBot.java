package ai.chatops.benchmarks;

import ai.chatops.EventRouter;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.plugin.Plugin;
import ai.chatops.slack.SlackService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Ours: an {@link EventRouter} with the real {@link SlackService} behind a {@link CountingSlack}, the
 * in-memory store, the local NLU trained from {@link BotPlugin}'s material, and {@code BotPlugin}
 * answering {@code pong}. The router's clock is a {@link MutableClock} that the harness moves forward, so
 * dedupe records expire; the Slack signature check uses the real clock. Thread-safe.
 */
final class ChatopsBot implements AutoCloseable {
  final CountingSlack slack;
  final MutableClock clock;
  final EventRouter router;

  private ChatopsBot(CountingSlack slack, MutableClock clock, EventRouter router) {
    this.slack = slack;
    this.clock = clock;
    this.router = router;
  }

  /** Events processed on the caller's thread: {@code handle} returns after the reply was delivered. */
  static ChatopsBot synchronous() {
    return build(new CallerRunsExecutor(), BotPlugin.create());
  }

  /** No adjustment; a class, not a lambda that a cold start would generate. */
  private static final Consumer<EventRouter.Builder> AS_IS = new Consumer<>() {
    @Override
    public void accept(EventRouter.Builder builder) {}
  };

  /**
   * The router's own bounded pool (16 workers, a queue of 1024) when {@code executor} is null.
   */
  static ChatopsBot build(ExecutorService executor, Plugin plugin) {
    return build(executor, plugin, AS_IS);
  }

  /** As {@link #build(ExecutorService, Plugin)}, with the router's builder adjusted by {@code settings}. */
  static ChatopsBot build(ExecutorService executor, Plugin plugin, Consumer<EventRouter.Builder> settings) {
    CountingSlack slack = new CountingSlack(SlackService.builder()
        .signingSecret(SignedEvents.SIGNING_SECRET)
        .botToken(SignedEvents.BOT_TOKEN)
        .apiUrl("http://127.0.0.1:9/api/") // never called: CountingSlack delivers
        .botUserId(SignedEvents.BOT_USER)
        .clock(Clock.systemUTC())
        .build());
    MutableClock clock = new MutableClock(System.currentTimeMillis());
    EventRouter.Builder router = EventRouter.builder()
        .service(slack)
        .plugin(plugin)
        .clock(clock)
        .dedupeWindow(Duration.ofHours(1))
        // Every event writes an audit entry (about 440 bytes in the in-memory store). Kept as long as the
        // dedupe records, not the default 30 days, so that a run of millions of events measures the path
        // and the reclaiming of expired entries rather than a month of audit held in the heap.
        .auditRetention(Duration.ofHours(1));
    if (executor != null) {
      router.executor(executor);
    }
    settings.accept(router);
    return new ChatopsBot(slack, clock, router.build());
  }

  WebhookResponse handle(ai.chatops.WebhookRequest request) {
    return router.handle(request);
  }

  @Override
  public void close() {
    router.close();
  }
}
