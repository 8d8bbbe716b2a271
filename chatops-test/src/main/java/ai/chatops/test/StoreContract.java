package ai.chatops.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Store} keeps, as a JUnit 5 suite. Extend it and create your store:
 *
 * <pre>{@code
 * class MyStoreTest extends StoreContract {
 *   protected Store createStore(Clock clock) {
 *     return MyStore.builder().clock(clock).table(freshTableName()).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Before each test the suite creates a {@link MutableClock} and calls {@link #createStore(Clock)} with it;
 * after each test it closes the store. The store must read the current time from that clock for every
 * expiry decision: a store that cannot take a {@code Clock} cannot pass this suite. Each call must return an
 * empty store that no other test shares (a fresh table, or a fresh key namespace), because some tests list
 * every entry. Expiries in these tests fall on whole seconds, so stores that keep expiries to the second
 * pass.
 *
 * <p>Subclasses may add their own tests, using {@link #store()} and {@link #clock()}.
 */
public abstract class StoreContract {
  /** How many times each race runs; each round uses a fresh key. */
  private static final int RACE_ROUNDS = 200;
  /** The longest any single step of a concurrent test may take before it counts as hung. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private MutableClock clock;
  private Store store;

  /**
   * Creates an empty store, used by one test only, that reads the time from {@code clock}.
   *
   * @param clock the test's clock; it only moves when the test calls {@link #advanceClock}
   */
  protected abstract Store createStore(Clock clock);

  /**
   * The time the clock shows when each test starts. The default is a fixed instant in the future, so that
   * backends which also delete expired items by wall-clock time (DynamoDB's TTL) leave the tests' entries
   * alone.
   */
  protected Instant startTime() {
    return Instant.parse("2030-01-01T00:00:00Z");
  }

  /**
   * Moves the store's time forward by {@code duration}. The default advances {@link #clock()}; override it
   * if your backend also needs telling, and call {@code super}.
   */
  protected void advanceClock(Duration duration) {
    clock.advance(duration);
  }

  /** The store under test, created for the current test. */
  protected final Store store() {
    return store;
  }

  /** The clock given to {@link #createStore(Clock)} for the current test. */
  protected final MutableClock clock() {
    return clock;
  }

  @BeforeEach
  final void createStoreForTest() {
    clock = MutableClock.at(startTime());
    store = createStore(clock);
    assertThat(store).as("createStore(clock)").isNotNull();
  }

  @AfterEach
  final void closeStoreAfterTest() {
    if (store != null) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- get, put, versions

  @Test
  void getOfAMissingKeyIsEmpty() {
    assertThat(store.get("missing")).isEmpty();
  }

  @Test
  void putThenGetReturnsTheValueAVersionAndTheExpiry() {
    Instant expiresAt = secondsFromNow(3600);

    long version = store.put("k", utf8("hello"), expiresAt);

    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.key()).isEqualTo("k");
    assertThat(entry.value()).isEqualTo(utf8("hello"));
    assertThat(entry.version()).isEqualTo(version).isGreaterThanOrEqualTo(1);
    assertThat(entry.expiresAt()).contains(expiresAt);
  }

  @Test
  void putReplacesTheValueAndTheVersionGrows() {
    long first = store.put("k", utf8("one"), null);

    long second = store.put("k", utf8("two"), secondsFromNow(60));

    assertThat(second).isGreaterThan(first);
    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("two"));
    assertThat(entry.version()).isEqualTo(second);
    assertThat(entry.expiresAt()).contains(secondsFromNow(60));
  }

  @Test
  void versionsKeepGrowingAfterADeleteAndARecreate() {
    long first = store.put("k", utf8("one"), null);
    store.delete("k");

    assertThat(store.putIfAbsent("k", utf8("two"), null)).isTrue();

    assertThat(store.get("k").orElseThrow().version()).isGreaterThan(first);
  }

  // ---------------------------------------------------------------- putIfAbsent

  @Test
  void putIfAbsentCreatesAnAbsentEntry() {
    assertThat(store.putIfAbsent("k", utf8("v"), secondsFromNow(60))).isTrue();

    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("v"));
    assertThat(entry.version()).isGreaterThanOrEqualTo(1);
    assertThat(entry.expiresAt()).contains(secondsFromNow(60));
  }

  @Test
  void putIfAbsentRefusesAPresentEntryAndLeavesItAlone() {
    long version = store.put("k", utf8("first"), null);

    assertThat(store.putIfAbsent("k", utf8("second"), secondsFromNow(60))).isFalse();

    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("first"));
    assertThat(entry.version()).isEqualTo(version);
    assertThat(entry.expiresAt()).isEmpty();
  }

  @Test
  void putIfAbsentVersionedReturnsTheVersionOfTheEntryItCreated() {
    OptionalLong version = store.putIfAbsentVersioned("k", utf8("v"), secondsFromNow(60));

    assertThat(version).isPresent();
    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("v"));
    assertThat(entry.expiresAt()).contains(secondsFromNow(60));
    assertThat(version.getAsLong()).isEqualTo(entry.version());
    assertThat(store.compareAndSet("k", version.getAsLong(), utf8("done"), secondsFromNow(60))).isTrue();
    assertThat(store.get("k").orElseThrow().value()).isEqualTo(utf8("done"));
  }

  @Test
  void putIfAbsentVersionedRefusesAPresentEntryAndLeavesItAlone() {
    long version = store.put("k", utf8("first"), null);

    assertThat(store.putIfAbsentVersioned("k", utf8("second"), secondsFromNow(60))).isEmpty();

    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("first"));
    assertThat(entry.version()).isEqualTo(version);
  }

  @Test
  void putIfAbsentVersionedSucceedsOverAnExpiredEntryWithAGreaterVersion() {
    long expiredVersion = store.put("k", utf8("old"), secondsFromNow(60));
    advanceClock(Duration.ofSeconds(60));

    OptionalLong version = store.putIfAbsentVersioned("k", utf8("new"), secondsFromNow(60));

    assertThat(version).isPresent();
    assertThat(version.getAsLong()).isGreaterThan(expiredVersion).isEqualTo(store.get("k").orElseThrow().version());
  }

  @Test
  void putIfAbsentVersionedChecksItsArguments() {
    assertThatThrownBy(() -> store.putIfAbsentVersioned("", utf8("v"), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.putIfAbsentVersioned("k", null, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(store.get("k")).isEmpty();
  }

  // ---------------------------------------------------------------- compareAndSet

  @Test
  void compareAndSetWithTheCurrentVersionReplacesTheEntry() {
    long version = store.put("k", utf8("one"), null);

    assertThat(store.compareAndSet("k", version, utf8("two"), secondsFromNow(60))).isTrue();

    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("two"));
    assertThat(entry.version()).isGreaterThan(version);
    assertThat(entry.expiresAt()).contains(secondsFromNow(60));
  }

  @Test
  void compareAndSetVersionedTellsTheVersionTheNextCompareAndSetNeeds() {
    long version = store.put("k", utf8("one"), null);

    OptionalLong replaced = store.compareAndSetVersioned("k", version, utf8("two"), secondsFromNow(60));

    assertThat(replaced).isPresent();
    assertThat(replaced.getAsLong()).isEqualTo(store.get("k").orElseThrow().version());
    assertThat(store.compareAndSetVersioned("k", version, utf8("three"), null)).isEmpty();
    assertThat(store.compareAndSet("k", replaced.getAsLong(), utf8("four"), null)).isTrue();
    assertThat(store.get("k").orElseThrow().value()).isEqualTo(utf8("four"));
  }

  @Test
  void compareAndSetWithAWrongVersionRefuses() {
    long first = store.put("k", utf8("one"), null);
    long second = store.put("k", utf8("two"), null);

    assertThat(store.compareAndSet("k", first, utf8("three"), null)).isFalse();
    assertThat(store.compareAndSet("k", second + 1, utf8("three"), null)).isFalse();

    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("two"));
    assertThat(entry.version()).isEqualTo(second);
  }

  @Test
  void compareAndSetOnAMissingKeyRefuses() {
    long version = store.put("other", utf8("v"), null);

    assertThat(store.compareAndSet("k", version, utf8("v"), null)).isFalse();
    assertThat(store.compareAndSet("k", 0, utf8("v"), null)).isFalse();

    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void compareAndSetOnADeletedKeyRefuses() {
    long version = store.put("k", utf8("v"), null);
    store.delete("k");

    assertThat(store.compareAndSet("k", version, utf8("again"), null)).isFalse();

    assertThat(store.get("k")).isEmpty();
  }

  // ---------------------------------------------------------------- delete

  @Test
  void deleteReturnsTrueThenFalse() {
    store.put("k", utf8("v"), null);

    assertThat(store.delete("k")).isTrue();
    assertThat(store.delete("k")).isFalse();

    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void deleteOfAMissingKeyReturnsFalse() {
    assertThat(store.delete("never-written")).isFalse();
  }

  // ---------------------------------------------------------------- expiry

  @Test
  void anEntryIsVisibleBeforeItsExpiryAndAbsentAtAndAfterIt() {
    Instant expiresAt = secondsFromNow(60);
    store.put("k", utf8("v"), expiresAt);

    advanceClock(Duration.ofSeconds(59));
    assertThat(store.get("k")).as("one second before the expiry").isPresent();
    assertThat(keys(listAll("", 10))).as("listed one second before the expiry").containsExactly("k");

    advanceClock(Duration.ofSeconds(1));
    assertThat(clock.instant()).isEqualTo(expiresAt);
    assertThat(store.get("k")).as("at the expiry").isEmpty();
    assertThat(keys(listAll("", 10))).as("listed at the expiry").isEmpty();

    advanceClock(Duration.ofDays(1));
    assertThat(store.get("k")).as("a day after the expiry").isEmpty();
    assertThat(keys(listAll("", 10))).as("listed a day after the expiry").isEmpty();
  }

  @Test
  void anEntryWrittenWithAPastExpiryIsAbsent() {
    store.put("k", utf8("v"), secondsFromNow(-1));

    assertThat(store.get("k")).isEmpty();
    assertThat(store.putIfAbsent("k", utf8("fresh"), null)).isTrue();
    assertThat(store.get("k").orElseThrow().value()).isEqualTo(utf8("fresh"));
  }

  @Test
  void putIfAbsentSucceedsOverAnExpiredEntry() {
    long expiredVersion = store.put("k", utf8("old"), secondsFromNow(60));
    advanceClock(Duration.ofSeconds(60));

    assertThat(store.putIfAbsent("k", utf8("new"), secondsFromNow(60))).isTrue();

    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("new"));
    assertThat(entry.version()).isGreaterThan(expiredVersion);
    assertThat(entry.expiresAt()).contains(secondsFromNow(60));
  }

  @Test
  void compareAndSetOnAnExpiredEntryRefuses() {
    long version = store.put("k", utf8("old"), secondsFromNow(60));
    advanceClock(Duration.ofSeconds(60));

    assertThat(store.compareAndSet("k", version, utf8("new"), null)).isFalse();

    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void deleteOfAnExpiredEntryReturnsFalse() {
    store.put("k", utf8("old"), secondsFromNow(60));
    advanceClock(Duration.ofSeconds(60));

    assertThat(store.delete("k")).isFalse();

    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void aNullExpiryNeverExpires() {
    store.put("k", utf8("v"), null);

    advanceClock(Duration.ofDays(365L * 100));

    StoreEntry entry = store.get("k").orElseThrow();
    assertThat(entry.value()).isEqualTo(utf8("v"));
    assertThat(entry.expiresAt()).isEmpty();
  }

  @Test
  void listingSkipsExpiredEntries() {
    store.put("list/a", utf8("a"), secondsFromNow(60));
    store.put("list/b", utf8("b"), null);
    store.put("list/c", utf8("c"), secondsFromNow(60));
    store.put("list/d", utf8("d"), secondsFromNow(120));
    store.put("list/e", utf8("e"), secondsFromNow(60));
    store.put("list/f", utf8("f"), secondsFromNow(60));

    advanceClock(Duration.ofSeconds(60));

    for (int limit : new int[] {1, 2, 3, 10}) {
      assertThat(keys(listAll("list/", limit))).as("limit %d", limit).containsExactly("list/b", "list/d");
    }
  }

  // ---------------------------------------------------------------- values

  @Test
  void binaryValuesRoundTripExactly() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }

    store.put("every-byte", everyByte, null);
    store.put("empty", new byte[0], null);

    assertThat(store.get("every-byte").orElseThrow().value()).isEqualTo(everyByte);
    assertThat(store.get("empty").orElseThrow().value()).isEmpty();
    assertThat(listAll("e", 10)).extracting(StoreEntry::value).containsExactly(new byte[0], everyByte);
  }

  @Test
  void theStoreKeepsItsOwnCopyOfTheValuesPassedIn() {
    byte[] put = utf8("put");
    byte[] putIfAbsent = utf8("putIfAbsent");
    byte[] compareAndSet = utf8("compareAndSet");

    store.put("put", put, null);
    store.putIfAbsent("put-if-absent", putIfAbsent, null);
    long version = store.put("cas", utf8("before"), null);
    store.compareAndSet("cas", version, compareAndSet, null);
    put[0] = 'X';
    putIfAbsent[0] = 'X';
    compareAndSet[0] = 'X';

    assertThat(store.get("put").orElseThrow().value()).isEqualTo(utf8("put"));
    assertThat(store.get("put-if-absent").orElseThrow().value()).isEqualTo(utf8("putIfAbsent"));
    assertThat(store.get("cas").orElseThrow().value()).isEqualTo(utf8("compareAndSet"));
  }

  @Test
  void mutatingAReturnedValueDoesNotChangeTheStore() {
    store.put("k", utf8("value"), null);

    store.get("k").orElseThrow().value()[0] = 'X';
    store.list("", null, 10).entries().get(0).value()[0] = 'X';

    assertThat(store.get("k").orElseThrow().value()).isEqualTo(utf8("value"));
  }

  // ---------------------------------------------------------------- listing

  @Test
  void listsAPrefixInKeyOrderWithoutKeysThatOnlyShareAShorterPrefix() {
    for (String key : List.of("user:2", "user", "users:1", "use", "user;1", "user9", "user:10", "a", "user:",
        "user:1", "zzz", "user:1:profile")) {
      store.put(key, utf8(key), null);
    }

    StorePage page = store.list("user:", null, 100);

    assertThat(keys(page.entries())).containsExactly("user:", "user:1", "user:10", "user:1:profile", "user:2");
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void listedEntriesMatchWhatGetReturns() {
    store.put("m/a", utf8("a"), secondsFromNow(60));
    store.put("m/b", utf8("b"), null);
    long version = store.put("m/c", utf8("c"), null);
    store.compareAndSet("m/c", version, utf8("c2"), secondsFromNow(120));

    List<StoreEntry> listed = listAll("m/", 2);

    assertThat(listed).containsExactly(
        store.get("m/a").orElseThrow(), store.get("m/b").orElseThrow(), store.get("m/c").orElseThrow());
  }

  @Test
  void listsAcrossPagesWithoutDuplicatesOrGaps() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      expected.add(String.format("page/k%03d", i));
    }
    // Neighbours on either side of the prefix in key order: "." sorts before "/", "0" after it.
    for (String key : List.of("page", "page.x", "page0", "pagf/k000", "pag/k000")) {
      store.put(key, utf8(key), null);
    }
    for (String key : expected) {
      store.put(key, utf8(key), null);
    }

    for (int limit : new int[] {1, 2, 5, 7, 22, 23, 24, 100}) {
      assertThat(keys(listAll("page/", limit))).as("limit %d", limit).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void anEmptyPrefixListsEveryEntry() {
    store.put("z", utf8("z"), null);
    store.put("a", utf8("a"), null);
    store.put("b/c", utf8("b/c"), null);

    assertThat(keys(listAll("", 100))).containsExactly("a", "b/c", "z");
    assertThat(keys(listAll("", 2))).containsExactly("a", "b/c", "z");
  }

  @Test
  void listingAnUnknownPrefixGivesOneEmptyLastPage() {
    store.put("a", utf8("a"), null);

    StorePage page = store.list("nothing/", null, 10);

    assertThat(page.entries()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
  }

  // ---------------------------------------------------------------- keys and arguments

  @Test
  void keysWithUnicodeSlashesColonsAndSpacesRoundTrip() {
    List<String> keys = List.of("k/Ünïcödé/😀", "k/日本語", "k/a/b/c/", "k/slack:T123:C456:1700000000.000100",
        "k/with spaces", "k/%2F?#&=", "k/\\back\\slash");
    for (String key : keys) {
      store.put(key, utf8(key), null);
    }

    for (String key : keys) {
      StoreEntry entry = store.get(key).orElseThrow(() -> new AssertionError("missing " + key));
      assertThat(entry.key()).isEqualTo(key);
      assertThat(entry.value()).isEqualTo(utf8(key));
    }
    // The order of non-ASCII keys is the backend's; only membership is part of the contract.
    assertThat(keys(listAll("k/", 3))).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(keys(listAll("k/日", 3))).containsExactly("k/日本語");
  }

  @Test
  void acceptsKeysOfTheLongestAllowedLength() {
    String ascii = "k".repeat(Store.MAX_KEY_LENGTH);
    String wide = "日".repeat(Store.MAX_KEY_LENGTH);

    store.put(ascii, utf8("ascii"), null);
    store.put(wide, utf8("wide"), null);

    assertThat(store.get(ascii).orElseThrow().value()).isEqualTo(utf8("ascii"));
    assertThat(store.get(wide).orElseThrow().value()).isEqualTo(utf8("wide"));
  }

  @Test
  void rejectsNullEmptyAndOverlongKeys() {
    String tooLong = "k".repeat(Store.MAX_KEY_LENGTH + 1);
    for (String key : new String[] {null, "", tooLong}) {
      String what = key == null ? "null key" : key.isEmpty() ? "empty key" : "key of " + key.length() + " chars";
      assertRejected(what + " in get", () -> store.get(key));
      assertRejected(what + " in put", () -> store.put(key, utf8("v"), null));
      assertRejected(what + " in putIfAbsent", () -> store.putIfAbsent(key, utf8("v"), null));
      assertRejected(what + " in compareAndSet", () -> store.compareAndSet(key, 1, utf8("v"), null));
      assertRejected(what + " in delete", () -> store.delete(key));
    }
    assertThat(listAll("", 10)).isEmpty();
  }

  @Test
  void rejectsNullValues() {
    long version = store.put("k", utf8("v"), null);

    assertRejected("null value in put", () -> store.put("k", null, null));
    assertRejected("null value in putIfAbsent", () -> store.putIfAbsent("other", null, null));
    assertRejected("null value in compareAndSet", () -> store.compareAndSet("k", version, null, null));

    assertThat(store.get("k").orElseThrow().value()).isEqualTo(utf8("v"));
    assertThat(store.get("other")).isEmpty();
  }

  @Test
  void rejectsANullPrefixAndALimitBelowOne() {
    assertRejected("null prefix", () -> store.list(null, null, 10));
    assertRejected("limit 0", () -> store.list("", null, 0));
    assertRejected("limit -1", () -> store.list("", null, -1));
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void racingPutIfAbsentOnOneKeyHasExactlyOneWinner() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < RACE_ROUNDS; round++) {
        String key = "race/" + round;
        List<Boolean> won = runTogether(executor, List.of(
            () -> store.putIfAbsent(key, utf8("a"), null),
            () -> store.putIfAbsent(key, utf8("b"), null)));

        assertThat(won).as("round %d: who won", round).containsExactlyInAnyOrder(true, false);
        assertThat(store.get(key).orElseThrow().value()).as("round %d: the value", round)
            .isEqualTo(utf8(won.get(0) ? "a" : "b"));
      }
    } finally {
      shutDown(executor);
    }
  }

  @Test
  void racingPutIfAbsentOverAnExpiredEntryHasExactlyOneWinner() throws Exception {
    for (int round = 0; round < RACE_ROUNDS; round++) {
      store.put("race/" + round, utf8("expired"), secondsFromNow(1));
    }
    advanceClock(Duration.ofSeconds(1));
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < RACE_ROUNDS; round++) {
        String key = "race/" + round;
        List<Boolean> won = runTogether(executor, List.of(
            () -> store.putIfAbsent(key, utf8("a"), null),
            () -> store.putIfAbsent(key, utf8("b"), null)));

        assertThat(won).as("round %d: who won", round).containsExactlyInAnyOrder(true, false);
        assertThat(store.get(key).orElseThrow().value()).as("round %d: the value", round)
            .isEqualTo(utf8(won.get(0) ? "a" : "b"));
      }
    } finally {
      shutDown(executor);
    }
  }

  @Test
  void racingPutIfAbsentVersionedHasExactlyOneWinnerWhoKnowsTheVersion() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < RACE_ROUNDS; round++) {
        String key = "race/" + round;
        List<OptionalLong> won = runTogether(executor, List.of(
            () -> store.putIfAbsentVersioned(key, utf8("a"), null),
            () -> store.putIfAbsentVersioned(key, utf8("b"), null)));

        assertThat(won.stream().filter(OptionalLong::isPresent)).as("round %d: winners", round).hasSize(1);
        int winner = won.get(0).isPresent() ? 0 : 1;
        StoreEntry entry = store.get(key).orElseThrow();
        assertThat(entry.value()).as("round %d: the value", round).isEqualTo(utf8(winner == 0 ? "a" : "b"));
        assertThat(won.get(winner).getAsLong()).as("round %d: the version", round).isEqualTo(entry.version());
      }
    } finally {
      shutDown(executor);
    }
  }

  @Test
  void racingCompareAndSetFromOneVersionHasExactlyOneWinner() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < RACE_ROUNDS; round++) {
        String key = "race/" + round;
        long version = store.put(key, utf8("start"), null);
        List<Boolean> won = runTogether(executor, List.of(
            () -> store.compareAndSet(key, version, utf8("a"), null),
            () -> store.compareAndSet(key, version, utf8("b"), null)));

        assertThat(won).as("round %d: who won", round).containsExactlyInAnyOrder(true, false);
        StoreEntry entry = store.get(key).orElseThrow();
        assertThat(entry.value()).as("round %d: the value", round).isEqualTo(utf8(won.get(0) ? "a" : "b"));
        assertThat(entry.version()).as("round %d: the version", round).isGreaterThan(version);
      }
    } finally {
      shutDown(executor);
    }
  }

  @Test
  void concurrentPutsToDistinctKeysAreAllVisible() throws Exception {
    int threads = 4;
    int keysPerThread = 250;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Boolean>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        writers.add(() -> {
          for (int i = 0; i < keysPerThread; i++) {
            String key = String.format("concurrent/%d/%04d", thread, i);
            store.put(key, utf8(key), null);
          }
          return true;
        });
      }
      runTogether(executor, writers);
    } finally {
      shutDown(executor);
    }

    List<StoreEntry> listed = listAll("concurrent/", 100);
    assertThat(listed).hasSize(threads * keysPerThread);
    for (StoreEntry entry : listed) {
      assertThat(entry.value()).isEqualTo(utf8(entry.key()));
    }
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < keysPerThread; i++) {
        String key = String.format("concurrent/%d/%04d", t, i);
        assertThat(store.get(key)).as(key).isPresent();
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The instant {@code seconds} after the clock's current time. */
  protected final Instant secondsFromNow(long seconds) {
    return clock.instant().plusSeconds(seconds);
  }

  /** {@code s} encoded as UTF-8. */
  protected static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  /**
   * Every entry under {@code prefix}, read page by page with {@code limit}, checking that each page holds
   * at most {@code limit} entries, that no entry or cursor comes twice, and that the listing ends.
   */
  protected final List<StoreEntry> listAll(String prefix, int limit) {
    List<StoreEntry> all = new ArrayList<>();
    Set<String> cursors = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      assertThat(++pages).as("pages listed for prefix %s with limit %d", prefix, limit).isLessThanOrEqualTo(10_000);
      StorePage page = store.list(prefix, cursor, limit);
      assertThat(page.entries().size()).as("entries in a page of limit %d", limit).isLessThanOrEqualTo(limit);
      for (StoreEntry entry : page.entries()) {
        assertThat(entry.key()).as("listed key").startsWith(prefix);
        all.add(entry);
      }
      Optional<String> next = page.nextCursor();
      cursor = next.orElse(null);
      assertThat(cursor == null || cursors.add(cursor)).as("cursor %s returned twice", cursor).isTrue();
    } while (cursor != null);
    assertThat(keys(all)).as("keys of prefix %s", prefix).doesNotHaveDuplicates();
    return all;
  }

  /** The keys of {@code entries}, in order. */
  protected static List<String> keys(List<StoreEntry> entries) {
    List<String> keys = new ArrayList<>(entries.size());
    for (StoreEntry entry : entries) {
      keys.add(entry.key());
    }
    return keys;
  }

  private static void assertRejected(String what, ThrowingCallable call) {
    assertThatThrownBy(call).as(what).isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class);
  }

  /**
   * Runs {@code tasks} on {@code executor}, released together by a barrier so they truly race, and returns
   * their results in task order.
   */
  private static <T> List<T> runTogether(ExecutorService executor, List<Callable<T>> tasks) throws Exception {
    CyclicBarrier gate = new CyclicBarrier(tasks.size());
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(executor.submit(() -> {
        gate.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return task.call();
      }));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    }
    return results;
  }

  private static void shutDown(ExecutorService executor) throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .as("executor terminated").isTrue();
  }
}
