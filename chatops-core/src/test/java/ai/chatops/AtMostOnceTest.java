package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.chatops.fixtures.MutableClock;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Route;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A router that stops while a plugin call is running: the router that recovers the event does not blindly
 * call again. Idempotent routes are called again; the others go to the plugin's {@code recover}, and when the
 * plugin cannot tell, the user is told plainly what to check.
 */
class AtMostOnceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStore store = InMemoryStore.create(clock);
  private final List<EventRouter> routers = new ArrayList<>();
  private final CountDownLatch stuck = new CountDownLatch(1);

  @AfterEach
  void close() {
    stuck.countDown();
    routers.forEach(EventRouter::close);
  }

  /** A jenkins-shaped plugin that says which routes are idempotent and how it recovers. */
  static class Careful extends RecordingPlugin {
    final Set<String> idempotentRoutes;
    final Function<Invocation, Optional<Action>> recovery;
    final List<Invocation> recovered = new java.util.concurrent.CopyOnWriteArrayList<>();

    Careful(Set<String> idempotentRoutes, Function<Invocation, Optional<Action>> recovery) {
      this.idempotentRoutes = idempotentRoutes;
      this.recovery = recovery;
    }

    @Override
    public boolean idempotent(Route route) {
      return idempotentRoutes.contains(route.path());
    }

    @Override
    public Optional<Action> recover(Invocation invocation) {
      recovered.add(invocation);
      return recovery.apply(invocation);
    }
  }

  private EventRouter router(RecordingService service, RecordingPlugin plugin, Store on) {
    EventRouter router = EventRouter.builder().service(service).plugin(plugin).store(on).clock(clock)
        .lease(Duration.ofMinutes(2)).sweepInterval(Duration.ofMillis(10)).pluginTimeout(Duration.ofMinutes(5))
        .drainTimeout(Duration.ofMillis(100)).build();
    routers.add(router);
    return router;
  }

  /** Starts {@code text} on a router whose plugin hangs inside the call, as a router killed there would. */
  private void stopInsideTheCall(String text, Careful plugin) {
    plugin.answering(inv -> {
      try {
        stuck.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Action.reply("the stopped router's late answer");
    });
    assertThat(router(new RecordingService(), plugin, store).handle(message("E1", text)).status()).isEqualTo(200);
    await("the plugin call to start").atMost(Duration.ofSeconds(10)).until(() -> plugin.invocations.size() == 1);
  }

  @Test
  void tellsTheUserWhatToCheckWhenACallThatMayHaveStartedCannotBeChecked() {
    stopInsideTheCall("jenkins build ID=api", new Careful(Set.of(), inv -> Optional.empty()));
    RecordingService service = new RecordingService();
    Careful survivor = new Careful(Set.of(), inv -> Optional.empty());
    router(service, survivor, store);

    clock.advance(Duration.ofMinutes(3));

    assertThat(service.nextText()).isEqualTo("Sorry, the bot restarted while it was running `jenkins build ID=api`"
        + " for you (event E1), so I cannot tell whether it happened. I did not run it again: check whether it"
        + " took effect before you ask again.");
    assertThat(survivor.invocations).isEmpty();
    assertThat(survivor.recovered).hasSize(1);
  }

  @Test
  void recoversThroughRecoverACallWhoseAsynchronousStageWasPendingWhenItsRouterStopped() {
    Careful first = new Careful(Set.of(), inv -> Optional.empty()) {
      @Override
      public java.util.concurrent.CompletionStage<Action> triggerAsync(Invocation invocation) {
        invocations.add(invocation);
        return new java.util.concurrent.CompletableFuture<>(); // the remote call never answers this router
      }
    };
    assertThat(router(new RecordingService(), first, store).handle(message("E1", "jenkins build ID=api")).status())
        .isEqualTo(200);
    await("the plugin call to start").atMost(Duration.ofSeconds(10)).until(() -> first.invocations.size() == 1);
    RecordingService service = new RecordingService();
    Careful survivor = new Careful(Set.of(),
        inv -> Optional.of(Action.reply("found the build of request " + inv.idempotencyKey())));
    router(service, survivor, store);

    clock.advance(Duration.ofMinutes(3));

    assertThat(service.nextText()).isEqualTo("found the build of request "
        + first.invocations.get(0).idempotencyKey());
    assertThat(survivor.invocations).isEmpty();
    assertThat(survivor.recovered).hasSize(1);
  }

  @Test
  void letsThePluginCheckForTheEarlierCallByItsIdempotencyKey() {
    Careful first = new Careful(Set.of(), inv -> Optional.empty());
    stopInsideTheCall("jenkins build ID=api", first);
    String keyOfTheFirstCall = first.invocations.get(0).idempotencyKey();
    RecordingService service = new RecordingService();
    Careful survivor = new Careful(Set.of(),
        inv -> Optional.of(Action.reply("found the build of request " + inv.idempotencyKey())));
    router(service, survivor, store);

    clock.advance(Duration.ofMinutes(3));

    assertThat(service.nextText()).isEqualTo("found the build of request " + keyOfTheFirstCall);
    assertThat(survivor.invocations).isEmpty();
  }

  @Test
  void callsAnIdempotentRouteAgain() {
    Set<String> idempotent = Set.of("/v1/jenkins/jobs");
    stopInsideTheCall("jenkins jobs", new Careful(idempotent, inv -> Optional.empty()));
    RecordingService service = new RecordingService();
    Careful survivor = new Careful(idempotent, inv -> Optional.empty());
    router(service, survivor, store);

    clock.advance(Duration.ofMinutes(3));

    assertThat(service.nextText()).isEqualTo("did jobs {}");
    assertThat(survivor.recovered).isEmpty();
  }

  @Test
  void writesNoStartRecordForAnIdempotentRoute() {
    CountingStore counting = new CountingStore(store);
    RecordingService service = new RecordingService();
    router(service, new Careful(Set.of("/v1/jenkins/jobs"), inv -> Optional.empty()), counting);

    counting.handleFor(routers.get(0), message("E1", "jenkins jobs"));

    assertThat(service.nextText()).isEqualTo("did jobs {}");
    assertThat(counting.startsRecorded).isZero();
  }

  @Test
  void recordsTheStartOfACallThatIsNotIdempotentBeforeThePluginRuns() {
    CountingStore counting = new CountingStore(store);
    RecordingService service = new RecordingService();
    Careful plugin = new Careful(Set.of(), inv -> Optional.empty());
    plugin.answering(inv -> Action.reply("started records seen by the plugin: " + counting.startsRecorded));
    router(service, plugin, counting);

    counting.handleFor(routers.get(0), message("E1", "jenkins build ID=api"));

    assertThat(service.nextText()).isEqualTo("started records seen by the plugin: 1");
    assertThat(plugin.invocations).hasSize(1);
  }

  @Test
  void doesNotCallWhenItCannotRecordThatTheCallStarts() {
    CountingStore failing = new CountingStore(store);
    failing.failStartRecords = true;
    RecordingService service = new RecordingService();
    Careful plugin = new Careful(Set.of(), inv -> Optional.empty());
    router(service, plugin, failing);

    assertThat(routers.get(0).handle(message("E1", "jenkins build ID=api")).status()).isEqualTo(200);

    assertThat(service.nextText()).isEqualTo("Sorry, I did not run /v1/jenkins/build: the bot's store is"
        + " unavailable, and I run it only once I have noted that it started (event E1). Try again in a minute.");
    assertThat(plugin.invocations).isEmpty();
  }

  /** A store that counts (or refuses) the journal writes that record a call's start. */
  static final class CountingStore implements Store {
    private final Store inner;
    volatile int startsRecorded;
    volatile boolean failStartRecords;

    CountingStore(Store inner) {
      this.inner = inner;
    }

    void handleFor(EventRouter router, WebhookRequest request) {
      assertThat(router.handle(request).status()).isEqualTo(200);
    }

    private boolean isStartRecord(String key, byte[] value) {
      return key.startsWith("event/") && new String(value, StandardCharsets.UTF_8).contains("\"started\"");
    }

    @Override
    public Optional<StoreEntry> get(String key) {
      return inner.get(key);
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      return inner.put(key, value, expiresAt);
    }

    @Override
    public java.util.OptionalLong putIfAbsentVersioned(String key, byte[] value, Instant expiresAt) {
      return inner.putIfAbsentVersioned(key, value, expiresAt);
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      if (isStartRecord(key, value) && new String(value, StandardCharsets.UTF_8).contains("PROCESSING")) {
        if (failStartRecords) {
          throw new StoreUnavailableException("the test store refuses start records");
        }
        startsRecorded++;
      }
      return inner.compareAndSet(key, expectedVersion, value, expiresAt);
    }

    @Override
    public boolean delete(String key) {
      return inner.delete(key);
    }

    @Override
    public StorePage list(String prefix, String cursor, int limit) {
      return inner.list(prefix, cursor, limit);
    }
  }
}
