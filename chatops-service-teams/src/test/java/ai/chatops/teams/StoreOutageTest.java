package ai.chatops.teams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import ai.chatops.test.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that cannot keep a new conversation's reference: the activity is answered 503, so that the Bot
 * Connector delivers it again, and nothing is processed; the redelivery, once the store is back, is.
 */
class StoreOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final BotFramework bf = new BotFramework();
  private final FlakyStore store = new FlakyStore();
  private final TeamsService teams = bf.service().store(store).build();
  private final EventRouter router = EventRouter.builder().service(teams).store(store).plugin(BotPlugin.create())
      .build();

  @AfterEach
  void stop() {
    router.close();
    teams.close();
    bf.close();
  }

  @Test
  void answers503WhenTheReferenceCannotBeKeptAndProcessesTheRedelivery() throws InterruptedException {
    Wait.until("the Bot Connector's keys", WAIT, teams::keysLoaded);
    WebhookRequest request = WebhookRequest.builder("POST", "/api/messages")
        .header("Authorization", "Bearer " + bf.token()).header("Content-Type", "application/json")
        .body(bf.message("act-1", "bot ping").toString()).build();
    store.down.set(true);

    WebhookResponse refused = router.handle(request);

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.bodyAsString()).isEqualTo("the bot's store is unavailable; try again");
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isZero();

    store.down.set(false);
    assertThat(router.handle(request).status()).isEqualTo(200);
    assertThat(bf.connector.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void neverPrintsThePasswordOrTokens() {
    assertThat(teams.toString()).isEqualTo("TeamsService{teams at /api/messages, app " + BotFramework.APP_ID + "}");
  }

  /** An in-memory store whose plain writes fail while {@code down} is set. */
  private static final class FlakyStore implements Store {
    final AtomicBoolean down = new AtomicBoolean();
    private final InMemoryStore delegate = InMemoryStore.create();

    @Override
    public Optional<StoreEntry> get(String key) {
      return delegate.get(key);
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      if (down.get()) {
        throw new ai.chatops.StoreUnavailableException("the store is down (test)");
      }
      return delegate.put(key, value, expiresAt);
    }

    @Override
    public OptionalLong putIfAbsentVersioned(String key, byte[] value, Instant expiresAt) {
      return delegate.putIfAbsentVersioned(key, value, expiresAt);
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      return delegate.compareAndSet(key, expectedVersion, value, expiresAt);
    }

    @Override
    public boolean delete(String key) {
      return delegate.delete(key);
    }

    @Override
    public StorePage list(String prefix, String cursor, int limit) {
      return delegate.list(prefix, cursor, limit);
    }
  }
}
