package ai.chatops.access.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.StoreUnavailableException;
import ai.chatops.fixtures.MutableClock;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Rate limits counted in the store: one bucket per key for every router on it, with RateLimiter's arithmetic. */
class SharedRateLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.EPOCH);
  private final InMemoryStore store = InMemoryStore.create(clock);

  private SharedRateLimiter limiter(Store on, int capacity, Duration period) {
    return new SharedRateLimiter(on, "user", new RateLimiter(capacity, period, 100));
  }

  @Test
  void routersOnOneStoreDrawFromOneBucket() {
    SharedRateLimiter first = limiter(store, 3, Duration.ofMinutes(1));
    SharedRateLimiter second = limiter(store, 3, Duration.ofMinutes(1));

    assertThat(first.tryTake("U1", 0)).isZero();
    assertThat(second.tryTake("U1", 0)).isZero();
    assertThat(first.tryTake("U1", 0)).isZero();
    assertThat(second.tryTake("U1", 0)).isEqualTo(20_000); // one token per 20 s, for both
    assertThat(first.tryTake("U1", 19_999)).isEqualTo(1);
    assertThat(second.tryTake("U1", 20_000)).isZero();
    assertThat(first.tryTake("U2", 20_000)).isZero(); // buckets are per key
  }

  @Test
  void givesBackATokenToTheSharedBucket() {
    SharedRateLimiter first = limiter(store, 1, Duration.ofSeconds(10));
    SharedRateLimiter second = limiter(store, 1, Duration.ofSeconds(10));
    assertThat(first.tryTake("U1", 0)).isZero();

    first.giveBack("U1", 0);

    assertThat(second.tryTake("U1", 0)).isZero();
  }

  @Test
  void aBucketLeavesTheStoreOnceItHasRefilled() {
    SharedRateLimiter limiter = limiter(store, 2, Duration.ofSeconds(10));
    limiter.tryTake("U1", 0);
    assertThat(store.list(SharedRateLimiter.PREFIX, null, 10).entries()).hasSize(1);

    clock.advance(Duration.ofMillis(5_001)); // one token is 5 s worth

    assertThat(store.list(SharedRateLimiter.PREFIX, null, 10).entries()).isEmpty();
  }

  @Test
  void neverGrantsMoreThanTheLimitToConcurrentCallersOnSeveralRouters() throws Exception {
    List<SharedRateLimiter> routers = List.of(limiter(store, 100, Duration.ofHours(1)),
        limiter(store, 100, Duration.ofHours(1)), limiter(store, 100, Duration.ofHours(1)));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<Integer>> callers = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        SharedRateLimiter router = routers.get(t % 3);
        callers.add(() -> {
          int granted = 0;
          for (int i = 0; i < 40; i++) {
            if (router.tryTake("U1", 0) == 0) {
              granted++;
            }
          }
          return granted;
        });
      }
      int granted = 0;
      for (Future<Integer> f : pool.invokeAll(callers)) {
        granted += f.get();
      }
      // 240 calls for 100 tokens: every token is used (a caller refused for contention tries again later), and
      // none twice.
      assertThat(granted).isLessThanOrEqualTo(100).isGreaterThanOrEqualTo(90);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void countsInThisRoutersMemoryWhenTheStoreFails() {
    SharedRateLimiter limiter = limiter(new FailingStore(), 1, Duration.ofSeconds(10));

    assertThat(limiter.tryTake("U1", 0)).isZero();
    assertThat(limiter.tryTake("U1", 0)).isEqualTo(10_000);
  }

  /** A store that is down. */
  private static final class FailingStore implements Store {
    @Override
    public Optional<StoreEntry> get(String key) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public boolean delete(String key) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public StorePage list(String prefix, String cursor, int limit) {
      throw new StoreUnavailableException("down");
    }
  }
}
