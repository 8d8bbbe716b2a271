package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.chatops.fixtures.MutableClock;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.store.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A router that dies after acknowledging an event: another router sharing the store completes it, once. */
class RecoveryTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStore store = InMemoryStore.create(clock);
  private final List<EventRouter> routers = new ArrayList<>();

  @AfterEach
  void close() {
    routers.forEach(EventRouter::close);
  }

  private EventRouter router(RecordingService service, RecordingPlugin plugin, ai.chatops.fixtures.ScriptedExecutor dead, int maxAttempts) {
    EventRouter.Builder builder = EventRouter.builder().service(service).plugin(plugin).store(store).clock(clock)
        .lease(Duration.ofMinutes(2)).sweepInterval(Duration.ofMillis(10)).maxAttempts(maxAttempts)
        .drainTimeout(Duration.ofMillis(100));
    if (dead != null) {
      builder.executor(dead);
    }
    EventRouter router = builder.build();
    routers.add(router);
    return router;
  }

  @Test
  void anotherRouterCompletesAnEventWhoseRouterDiedAfterAcknowledgingIt() {
    RecordingPlugin deadPlugin = new RecordingPlugin();
    EventRouter dying = router(new RecordingService(), deadPlugin, ai.chatops.fixtures.ScriptedExecutor.dead(), 3);
    assertThat(dying.handle(message("E1", "jenkins jobs")).status()).isEqualTo(200);

    RecordingService service = new RecordingService(); // both survivors answer through it
    RecordingPlugin survivor = new RecordingPlugin();
    EventRouter first = router(service, survivor, null, 3);
    RecordingPlugin otherSurvivor = new RecordingPlugin();
    EventRouter second = router(service, otherSurvivor, null, 3);
    clock.advance(Duration.ofMinutes(3));

    assertThat(service.nextText()).isEqualTo("did jobs {}");
    assertThat(first.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(second.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(service.remaining()).isEmpty();
    assertThat(survivor.invocations.size() + otherSurvivor.invocations.size()).isEqualTo(1);
    assertThat(deadPlugin.invocations).isEmpty();
    assertThat(second.handle(message("E1", "jenkins jobs")).status()).isEqualTo(200);
    assertThat(second.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(survivor.invocations.size() + otherSurvivor.invocations.size()).isEqualTo(1);
  }

  @Test
  void leavesAnEventAloneWhileItsRouterStillHoldsTheLease() {
    EventRouter dying = router(new RecordingService(), new RecordingPlugin(), ai.chatops.fixtures.ScriptedExecutor.dead(), 3);
    dying.handle(message("E1", "jenkins jobs"));
    RecordingPlugin survivor = new RecordingPlugin();
    EventRouter other = router(new RecordingService(), survivor, null, 3);

    clock.advance(Duration.ofSeconds(90));

    assertThat(other.awaitIdle(Duration.ofSeconds(1))).isTrue();
    assertThat(survivor.invocations).isEmpty();
  }

  @Test
  void givesUpAndTellsTheUserAfterTooManyInterruptedAttempts() {
    router(new RecordingService(), new RecordingPlugin(), ai.chatops.fixtures.ScriptedExecutor.dead(), 1).handle(message("E1", "jenkins jobs"));
    RecordingService service = new RecordingService();
    RecordingPlugin survivor = new RecordingPlugin();
    router(service, survivor, null, 1);

    clock.advance(Duration.ofMinutes(3));

    assertThat(service.nextText()).isEqualTo("Sorry, I gave up on your request (event E1): it was interrupted "
        + "before it finished too many times.");
    assertThat(survivor.invocations).isEmpty();
  }

  /** Queues build x, then reports it finished the second time it is asked. */
  static final class Watching extends RecordingPlugin {
    final java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
    final boolean finishes;

    Watching(boolean finishes) {
      this.finishes = finishes;
    }

    @Override
    public ai.chatops.plugin.Action trigger(ai.chatops.plugin.Invocation invocation) {
      return ai.chatops.plugin.Action.builder("Queued x").followUp(new ai.chatops.plugin.FollowUp("queue:7",
          "build x", Duration.ofMillis(20), Duration.ofHours(1))).build();
    }

    @Override
    public java.util.Optional<ai.chatops.plugin.Action> poll(ai.chatops.plugin.FollowUp followUp) {
      polls.incrementAndGet();
      return finishes && followUp.key().equals("queue:7")
          ? java.util.Optional.of(ai.chatops.plugin.Action.reply("x #12: SUCCESS"))
          : java.util.Optional.empty();
    }
  }

  @Test
  void aRouterThatStartsResumesTheFollowUpsAStoppedRouterWasWatching() {
    RecordingService first = new RecordingService();
    Watching stillRunning = new Watching(false);
    EventRouter stopped = router(first, stillRunning, null, 3);
    stopped.handle(message("E1", "jenkins build ID=x"));
    assertThat(first.nextText()).isEqualTo("Queued x");
    // The follow-up is recorded after the reply goes out: wait for it, or a short drain on a loaded machine
    // could stop the worker before it is written, and there would be nothing to resume.
    await("the follow-up recorded").atMost(Duration.ofSeconds(10))
        .until(() -> !store.list("followup/", null, 10).entries().isEmpty());
    stopped.close(); // its follow-up stays in the store, with a lease that will run out

    RecordingService second = new RecordingService();
    Watching finishing = new Watching(true);
    EventRouter resuming = router(second, finishing, null, 3);
    clock.advance(Duration.ofMinutes(3));

    RecordingService.Delivered done = second.next();
    assertThat(done.reply().text()).isEqualTo("x #12: SUCCESS");
    assertThat(done.reply().key()).contains("event:E1");
    assertThat(done.conversation()).isEqualTo(ai.chatops.service.Conversation.of("test", "W1", "C1"));
    assertThat(resuming.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(finishing.polls).hasValue(1);
    assertThat(store.list("followup/", null, 10).entries()).isEmpty();
  }

  @Test
  void aFollowUpWhosePollNoWorkerCouldTakeIsResumedByThisRoutersOwnSweep() {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
    // The event runs; the first poll finds the workers saturated; everything after runs.
    ai.chatops.fixtures.ScriptedExecutor saturatedOnce = new ai.chatops.fixtures.ScriptedExecutor(work -> {
      if (handed.incrementAndGet() == 2) {
        throw new java.util.concurrent.RejectedExecutionException("saturated");
      }
      pool.execute(work);
    });
    try {
      RecordingService service = new RecordingService();
      Watching finishing = new Watching(true);
      EventRouter alone = router(service, finishing, saturatedOnce, 3);

      alone.handle(message("E1", "jenkins build ID=x"));

      assertThat(service.nextText()).isEqualTo("Queued x");
      assertThat(service.nextText()).isEqualTo("x #12: SUCCESS");
      assertThat(handed.get()).isGreaterThanOrEqualTo(3);
      await("the follow-up forgotten").atMost(Duration.ofSeconds(10))
          .until(() -> store.list("followup/", null, 10).entries().isEmpty());
      assertThat(finishing.polls).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
