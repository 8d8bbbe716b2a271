package ai.chatops.store;

import ai.chatops.test.StoreContract;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs the {@link StoreContract} against a store that implements only the abstract methods of
 * {@link Store}, as a user's store written before {@link Store#putIfAbsentVersioned} would: the interface's
 * default methods must keep the contract on their own.
 */
final class DefaultMethodsStoreTest extends StoreContract {
  @Override
  protected Store createStore(Clock clock) {
    return new AbstractMethodsOnly(InMemoryStore.create(clock));
  }

  /** Delegates the abstract methods only. */
  private static final class AbstractMethodsOnly implements Store {
    private final Store delegate;

    AbstractMethodsOnly(Store delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<StoreEntry> get(String key) {
      return delegate.get(key);
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      return delegate.put(key, value, expiresAt);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, Instant expiresAt) {
      return delegate.putIfAbsent(key, value, expiresAt);
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
