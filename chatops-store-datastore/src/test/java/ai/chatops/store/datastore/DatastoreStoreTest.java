package ai.chatops.store.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.StoreUnavailableException;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.test.StoreContract;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link StoreContract} against {@link DatastoreStore}, with the real client over gRPC to an
 * in-process Datastore service, plus Datastore's own failures. Each test gets its own namespace.
 */
final class DatastoreStoreTest extends StoreContract {
  private static final AtomicInteger namespaces = new AtomicInteger();
  private static InProcessDatastore server;

  private Datastore client;

  @BeforeAll
  static void startServer() {
    server = InProcessDatastore.start(null);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Store createStore(Clock clock) {
    client = server.client();
    return DatastoreStore.builder()
        .datastore(client)
        .namespace("test-" + namespaces.incrementAndGet())
        .clock(clock)
        .build();
  }

  @AfterEach
  void closeClient() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  private DatastoreStore datastore() {
    return (DatastoreStore) store();
  }

  @Test
  void entitiesHoldTheDocumentedProperties() {
    long version = store().put("dedupe/slack/abc", utf8("v"), secondsFromNow(90));

    Entity entity = client.get(client.newKeyFactory().setNamespace(datastore().namespace())
        .setKind("ChatOpsEntry").newKey("dedupe/slack/abc"));

    assertThat(entity.getNames()).containsExactlyInAnyOrder("v", "ver", "exp");
    assertThat(entity.getLong("ver")).isEqualTo(version);
    assertThat(entity.getTimestamp("exp").getSeconds()).isEqualTo(secondsFromNow(90).getEpochSecond());
    assertThat(entity.getValue("v").excludeFromIndexes()).isTrue();
    assertThat(entity.getValue("exp").excludeFromIndexes()).isTrue();
  }

  @Test
  void expiriesAreRoundedUpToTheMicrosecond() {
    Instant expiresAt = secondsFromNow(10).plusNanos(1);
    store().put("k", utf8("v"), expiresAt);

    assertThat(store().get("k").orElseThrow().expiresAt()).contains(secondsFromNow(10).plusNanos(1000));
  }

  @Test
  void keysDatastoreWouldRefuseAsNamesAreStoredListedAndKeptApart() {
    // 512 three-byte characters: 1536 bytes of UTF-8, over the 1500 bytes of a key name.
    String a = "日".repeat(511) + "a";
    String b = "日".repeat(511) + "b";
    store().put(a, utf8("a"), null);
    store().put(b, utf8("b"), null);
    store().put("__reserved__", utf8("r"), null);

    assertThat(store().get(a).orElseThrow().value()).isEqualTo(utf8("a"));
    assertThat(store().get(b).orElseThrow().value()).isEqualTo(utf8("b"));
    assertThat(store().get("__reserved__").orElseThrow().value()).isEqualTo(utf8("r"));
    assertThat(keys(listAll("日".repeat(500), 1))).containsExactlyInAnyOrder(a, b);
    assertThat(keys(listAll(b, 1))).containsExactly(b);
    store().put("__reserved__/child", utf8("c"), null);
    store().put("__x_^", utf8("x"), null);
    store().put("__x__", utf8("y"), null);
    assertThat(keys(listAll("__reserved__", 1))).containsExactlyInAnyOrder("__reserved__", "__reserved__/child");
    assertThat(keys(listAll("__x_^", 1))).containsExactly("__x_^");
    assertThat(keys(listAll("__x_", 1))).containsExactlyInAnyOrder("__x_^", "__x__");
    assertThat(store().delete(a)).isTrue();
    assertThat(keys(listAll("日", 10))).containsExactly(b);
  }

  @Test
  void keysAfterTheBasicPlaneAreListedUnderTheirPrefix() {
    store().put("k/\uFFFF", utf8("bmp"), null);
    store().put("k/😀", utf8("emoji"), null);
    store().put("k0", utf8("next"), null);

    assertThat(keys(listAll("k/", 1))).containsExactly("k/\uFFFF", "k/😀");
  }

  @Test
  void storesWithDifferentKindsOrNamespacesShareADatabaseWithoutSeeingEachOther() {
    Store otherKind = DatastoreStore.builder().datastore(client).namespace(datastore().namespace())
        .kind("OtherBot").clock(clock()).build();
    Store otherNamespace = DatastoreStore.builder().datastore(client).namespace(datastore().namespace() + "x")
        .clock(clock()).build();
    store().put("k", utf8("mine"), null);
    otherKind.put("k", utf8("kind"), null);
    otherNamespace.put("k", utf8("namespace"), null);

    assertThat(store().get("k").orElseThrow().value()).isEqualTo(utf8("mine"));
    assertThat(keys(listAll("", 10))).containsExactly("k");
    assertThat(otherKind.list("", null, 10).entries()).extracting(StoreEntry::value)
        .containsExactly(utf8("kind"));
    assertThat(otherNamespace.get("k").orElseThrow().value()).isEqualTo(utf8("namespace"));
  }

  @Test
  void racingTransactionsConflictAsInProductionAndExactlyOneWins() throws Exception {
    int abortsBefore = server.service().aborts();
    // Both transactions read the absent key before either commits: the second commit is ABORTED, the client
    // retries it, and the retry finds the winner's entry.
    server.service().holdCommitsUntilLookups(2);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Boolean>> racers = List.of(
          () -> store().putIfAbsent("lock", utf8("a"), null),
          () -> store().putIfAbsent("lock", utf8("b"), null));
      List<Future<Boolean>> futures = new ArrayList<>();
      for (Callable<Boolean> racer : racers) {
        futures.add(executor.submit(racer));
      }
      List<Boolean> won = new ArrayList<>();
      for (Future<Boolean> future : futures) {
        won.add(future.get(30, TimeUnit.SECONDS));
      }

      assertThat(won).containsExactlyInAnyOrder(true, false);
      assertThat(store().get("lock").orElseThrow().value()).isEqualTo(utf8(won.get(0) ? "a" : "b"));
      assertThat(server.service().aborts() - abortsBefore).isEqualTo(1);
    } finally {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aConflictPastTheClientsRetriesIsUnavailable() throws Exception {
    Datastore once = server.client(InProcessDatastore.PROJECT, NoCredentials.getInstance(), true);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      Store store = DatastoreStore.builder().datastore(once).namespace(datastore().namespace()).clock(clock())
          .build();
      server.service().holdCommitsUntilLookups(2);
      List<Future<Boolean>> racers = List.of(
          executor.submit(() -> store.putIfAbsent("lock", utf8("a"), null)),
          executor.submit(() -> store.putIfAbsent("lock", utf8("b"), null)));
      List<Object> outcomes = new ArrayList<>();
      for (Future<Boolean> racer : racers) {
        try {
          outcomes.add(racer.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          outcomes.add(e.getCause());
        }
      }

      assertThat(outcomes).contains(true);
      assertThat(outcomes).filteredOn(o -> o instanceof StoreUnavailableException).singleElement()
          .extracting(o -> ((Exception) o).getMessage())
          .isEqualTo("Datastore kind \"ChatOpsEntry\" in namespace \"" + datastore().namespace() + "\" of"
              + " project \"chatops-test\" kept aborting the transaction of a putIfAbsent because other writers"
              + " changed the same key (putIfAbsent: ABORTED, " + FakeDatastore.ABORTED_MESSAGE + "): retry"
              + " later");
    } finally {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      once.close();
    }
  }

  @Test
  void aValueOverTheEntityLimitIsRefusedBeforeAnyCall() throws Exception {
    // A client of no server: the refusal must come before any request.
    Datastore nowhere = InProcessDatastore.client(InProcessServerBuilder.generateName(),
        InProcessDatastore.PROJECT, NoCredentials.getInstance(), true);
    try {
      Store store = DatastoreStore.builder().datastore(nowhere).namespace("n").clock(clock()).build();

      assertThatThrownBy(() -> store.put("big", new byte[1024 * 1024], null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("value of key \"big\" is 1048576 bytes, which makes an entity of up to 1048723 bytes,"
              + " over Datastore's entity limit of 1048572 bytes (1 MiB): store large values elsewhere (Cloud"
              + " Storage) and keep a reference here");
    } finally {
      nowhere.close();
    }
  }

  @Test
  void theLargestValueThatFitsIsStored() {
    byte[] value = new byte[DatastoreStore.MAX_ENTITY_BYTES - 200];
    value[value.length - 1] = 7;

    store().put("big", value, null);

    assertThat(store().get("big").orElseThrow().value()).isEqualTo(value);
  }

  @Test
  void aKindAndNamespaceNeverWrittenAreEmptyNotAnError() {
    Store fresh = DatastoreStore.builder().datastore(client).kind("NeverWritten").namespace("nowhere")
        .clock(clock()).build();

    assertThat(fresh.get("k")).isEmpty();
    assertThat(fresh.list("", null, 10).entries()).isEmpty();
    assertThat(fresh.delete("k")).isFalse();
  }

  @Test
  void aProjectWithoutDatabaseIsUnavailableWithTheFix() throws Exception {
    Datastore other = server.client("no-such-project", NoCredentials.getInstance(), true);
    try {
      Store store = DatastoreStore.builder().datastore(other).namespace("n").clock(clock()).build();

      assertThatThrownBy(() -> store.get("k"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("Datastore kind \"ChatOpsEntry\" in namespace \"n\" of project"
              + " \"no-such-project\" is not reachable: the project has no Datastore database (get: NOT_FOUND,"
              + " The project no-such-project does not exist or it does not contain an active Cloud Datastore")
          .hasMessageEndingWith("): create a database in Datastore mode, or fix the project and database ids"
              + " given to the client");
      assertThatThrownBy(() -> store.put("k", utf8("v"), null))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("is not reachable: the project has no Datastore database (put: NOT_FOUND");
    } finally {
      other.close();
    }
  }

  @Test
  void refusedCredentialsAreUnavailableWithTheFix() throws Exception {
    try (InProcessDatastore guarded = InProcessDatastore.start("good-token")) {
      Datastore refused = guarded.client(InProcessDatastore.PROJECT,
          GoogleCredentials.create(new AccessToken("bad-token", null)), true);
      try {
        Store store = DatastoreStore.builder().datastore(refused).namespace("n").clock(clock()).build();

        assertThatThrownBy(() -> store.get("k"))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessage("Datastore kind \"ChatOpsEntry\" in namespace \"n\" of project \"chatops-test\" refused"
                + " the client's credentials (get: UNAUTHENTICATED, Request had invalid authentication"
                + " credentials. Expected OAuth 2 access token, login cookie or other valid authentication"
                + " credential.): check the credentials given to the Datastore client and that they may read and"
                + " write entities (roles/datastore.user)");
        // Writes run in transactions, whose failure to begin the client reports less clearly.
        assertThatThrownBy(() -> store.put("k", utf8("v"), null))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("refused the client's credentials (put: UNAUTHENTICATED, Request had invalid");
      } finally {
        refused.close();
      }
    }
  }

  @Test
  void anUnreachableServiceIsUnavailable() throws Exception {
    Datastore nowhere = InProcessDatastore.client(InProcessServerBuilder.generateName(),
        InProcessDatastore.PROJECT, NoCredentials.getInstance(), true);
    try {
      Store store = DatastoreStore.builder().datastore(nowhere).namespace("n").clock(clock()).build();

      assertThatThrownBy(() -> store.get("k"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("Datastore kind \"ChatOpsEntry\" in namespace \"n\" of project"
              + " \"chatops-test\" could not be reached or failed (get: UNAVAILABLE, ")
          .hasMessageEndingWith("): check the client's endpoint and network, then retry");
    } finally {
      nowhere.close();
    }
  }

  @Test
  void theBuilderSaysWhatIsMissing() {
    assertThatThrownBy(() -> DatastoreStore.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("datastore is required: pass the Datastore client your application built");
    assertThatThrownBy(() -> DatastoreStore.builder().kind("__kind__"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind must be 1 to 1500 characters without spaces, and not start and end with \"__\", but"
            + " was \"__kind__\"");
  }
}
