package ai.chatops.store.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.test.StoreContract;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link StoreContract} against {@link DatastoreStore} on Google's own Datastore emulator, reached
 * the way the example host reaches it from {@code DATASTORE_EMULATOR_HOST}: the real client, its default
 * HTTP transport, no credentials. The in-process {@code FakeDatastore} ({@link DatastoreStoreTest}) stays for
 * what the emulator cannot produce: conflicts past the client's retries, unavailability, refused tokens.
 */
final class DatastoreEmulatorTest extends StoreContract {
  private static final AtomicInteger namespaces = new AtomicInteger();
  private static DatastoreEmulator emulator;

  private Datastore client;

  @BeforeAll
  static void startEmulator() {
    emulator = DatastoreEmulator.start();
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Override
  protected Store createStore(Clock clock) {
    client = emulator.client();
    return DatastoreStore.builder()
        .datastore(client)
        .namespace("emulated-" + namespaces.incrementAndGet())
        .clock(clock)
        .build();
  }

  @AfterEach
  void closeClient() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void entitiesOnTheEmulatorHoldTheDocumentedProperties() {
    long version = store().put("dedupe/slack/abc", "v".getBytes(StandardCharsets.UTF_8), null);

    DatastoreStore store = (DatastoreStore) store();
    Entity entity = client.get(client.newKeyFactory().setNamespace(store.namespace())
        .setKind("ChatOpsEntry").newKey("dedupe/slack/abc"));

    assertThat(entity).isNotNull();
    assertThat(entity.getLong(DatastoreStore.VERSION)).isEqualTo(version);
  }

  @Test
  void concurrentPutIfAbsentOnTheEmulatorHasExactlyOneWinner() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> writers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] value = ("writer-" + i).getBytes(StandardCharsets.UTF_8);
        writers.add(() -> store().putIfAbsent("lock/deploy", value, null));
      }
      int winners = 0;
      for (Future<Boolean> result : pool.invokeAll(writers)) {
        winners += result.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      StoreEntry entry = store().get("lock/deploy").orElseThrow();
      assertThat(new String(entry.value(), StandardCharsets.UTF_8)).startsWith("writer-");
    } finally {
      pool.shutdownNow();
    }
  }
}
