package ai.chatops.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.test.StoreContract;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link StoreContract} against a store that implements only the abstract methods of
 * {@link Store} and {@link Store#putIfAbsent}, as a user's store written before
 * {@link Store#putIfAbsentVersioned} would: the interface's default methods must keep the contract on their
 * own.
 */
final class DefaultMethodsStoreTest extends StoreContract {
  @Override
  protected Store createStore(Clock clock) {
    return new ForwardingStore(InMemoryStore.create(clock));
  }

  @Test
  void aStoreOverridingNeitherPutIfAbsentMethodIsToldWhichToOverride() {
    Store neither = new NeitherPutIfAbsent();

    assertThatThrownBy(() -> neither.putIfAbsent("k", new byte[0], null))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(NeitherPutIfAbsent.class.getName() + " overrides neither putIfAbsentVersioned nor"
            + " putIfAbsent, whose defaults call each other: override putIfAbsentVersioned");
    assertThatThrownBy(() -> neither.putIfAbsentVersioned("k", new byte[0], null))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  /** Implements only the abstract methods; none of them is expected to be called. */
  private static final class NeitherPutIfAbsent implements Store {
    @Override
    public Optional<StoreEntry> get(String key) {
      throw new AssertionError("get called");
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      throw new AssertionError("put called");
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      throw new AssertionError("compareAndSet called");
    }

    @Override
    public boolean delete(String key) {
      throw new AssertionError("delete called");
    }

    @Override
    public StorePage list(String prefix, String cursor, int limit) {
      throw new AssertionError("list called");
    }
  }
}
