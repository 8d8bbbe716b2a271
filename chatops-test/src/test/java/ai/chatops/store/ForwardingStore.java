package ai.chatops.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A store that forwards the abstract methods of {@link Store} to another and inherits the default ones, as a
 * user's store written before a default method was added would. Tests extend it to make one call fail.
 */
public class ForwardingStore implements Store {
  private final Store delegate;

  public ForwardingStore(Store delegate) {
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
