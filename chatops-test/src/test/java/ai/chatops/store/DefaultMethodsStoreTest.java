package ai.chatops.store;

import ai.chatops.test.StoreContract;
import java.time.Clock;

/**
 * Runs the {@link StoreContract} against a store that implements only the abstract methods of
 * {@link Store}, as a user's store written before {@link Store#putIfAbsentVersioned} would: the interface's
 * default methods must keep the contract on their own.
 */
final class DefaultMethodsStoreTest extends StoreContract {
  @Override
  protected Store createStore(Clock clock) {
    return new ForwardingStore(InMemoryStore.create(clock));
  }
}
