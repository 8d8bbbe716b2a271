package ai.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.test.StoreContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link StoreContract} against {@link InMemoryStore}, plus what only the in-memory store promises:
 * bounded memory, reclamation, full pages and its error messages. It lives in another package than the
 * contract, as users' store tests do.
 */
final class InMemoryStoreTest extends StoreContract {
  @Override
  protected Store createStore(Clock clock) {
    return InMemoryStore.create(clock);
  }

  private InMemoryStore inMemory() {
    return (InMemoryStore) store();
  }

  @Test
  void reclamationKeepsTheSizeBoundedUnderAStreamOfDistinctExpiringKeys() {
    int writes = 100_000;
    int writesPerSecond = 100;
    long ttlSeconds = 60;
    // The bound: the clock shows second t = i / 100 at write i, and the entry written then expires at t + 60.
    // At most 60 seconds of writes are live, 60 * 100 = 6,000 entries. When the clock ticks, the 100 entries
    // of one second expire together; each write reclaims more than one, so that backlog is gone before the
    // next tick, and never exceeds 100. Without reclamation the size would reach 100,000.
    int bound = (int) ttlSeconds * writesPerSecond + writesPerSecond;

    int largest = 0;
    for (int i = 0; i < writes; i++) {
      if (i > 0 && i % writesPerSecond == 0) {
        clock().advance(Duration.ofSeconds(1));
      }
      inMemory().put("dedupe/" + i, utf8("seen"), secondsFromNow(ttlSeconds));
      largest = Math.max(largest, inMemory().size());
      if (largest > bound) {
        break;
      }
    }

    assertThat(largest).as("largest size during %d writes", writes).isLessThanOrEqualTo(bound);
    assertThat(store().get("dedupe/" + (writes - 1))).isPresent();
    assertThat(store().get("dedupe/" + (writes - 1 - (int) ttlSeconds * writesPerSecond))).isEmpty();
  }

  @Test
  void writesReclaimEveryEntryLessThanOneSecondAfterItExpiresWhateverTheOrderOfTheirExpiries() {
    // 2,000 entries expiring over 20 seconds at scattered instants, written in shuffled order: out of
    // order within a second (each lane keeps its marks in order of their second only) and across seconds.
    Instant start = clock().instant();
    List<Instant> expiries = new ArrayList<>();
    Random random = new Random(21);
    for (int i = 0; i < 2_000; i++) {
      expiries.add(start.plusMillis(1 + random.nextInt(20_000)));
    }
    for (int i = 0; i < expiries.size(); i++) {
      inMemory().put("expiring/" + i, utf8("v"), expiries.get(i));
    }

    int permanent = 0;
    for (int step = 1; step <= 100; step++) {
      clock().advance(Duration.ofMillis(250));
      // About 25 entries come due per step; 20 writes reclaim up to 80 due entries.
      for (int i = 0; i < 20; i++) {
        inMemory().put("permanent/" + permanent++, utf8("v"), null);
      }
      Instant secondAgo = clock().instant().minusSeconds(1);
      long mayRemain = expiries.stream().filter(expiry -> expiry.isAfter(secondAgo)).count();
      assertThat(inMemory().size() - permanent)
          .as("entries held at step %d, of which all but %d expired a second ago or more", step, mayRemain)
          .isLessThanOrEqualTo((int) mayRemain);
    }
    assertThat(inMemory().size()).isEqualTo(permanent);
  }

  @Test
  void renewalsRacingReclamationNeverLoseTheNewerValueAndEveryEntryIsReclaimedAfterwards() throws Exception {
    // In rounds of one second (the clock moves between rounds only): each thread renews its keys for two
    // seconds and creates keys that expire in one. A renewal takes over its key's mark, which comes due
    // while the key is still live, just as reclaimers (the other threads' creates) take that mark.
    int threads = 4;
    int keysPerThread = 20;
    int rounds = 200;
    java.util.concurrent.CyclicBarrier nextRound =
        new java.util.concurrent.CyclicBarrier(threads, () -> clock().advance(Duration.ofSeconds(1)));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String prefix = "race/" + t + "/";
        done.add(pool.submit(() -> {
          for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keysPerThread; k++) {
              byte[] value = utf8(round + "/" + k);
              store().put(prefix + k, value, secondsFromNow(2));
              assertThat(store().get(prefix + k).orElseThrow().value()).isEqualTo(value);
              store().put(prefix + "created/" + round + "/" + k, utf8("v"), secondsFromNow(1));
            }
            nextRound.await(60, java.util.concurrent.TimeUnit.SECONDS);
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(120, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // One more second: the renewed keys are live, their taken-over marks due; writes handle every due mark.
    assertThat(store().get("race/0/0")).isPresent();
    drainDueMarks(10_000);
    // Past every expiry: writes reclaim every entry, which they can only if each kept a mark.
    clock().advance(Duration.ofSeconds(2));
    drainDueMarks(100_000);
    assertThat(inMemory().size()).isZero();
  }

  /** Creates and deletes a key {@code times} times (or until the store is empty): each write reclaims. */
  private void drainDueMarks(int times) {
    for (int i = 0; i < times && inMemory().size() > 0; i++) {
      store().put("drain", utf8("v"), null);
      store().delete("drain");
    }
  }

  @Test
  void theOldExpiryOfAnOverwrittenEntryDoesNotRemoveTheNewValue() {
    store().put("k", utf8("short-lived"), secondsFromNow(10));
    store().put("k", utf8("forever"), null);
    store().put("cas", utf8("short-lived"), secondsFromNow(10));
    long version = store().get("cas").orElseThrow().version();
    store().compareAndSet("cas", version, utf8("longer"), secondsFromNow(3600));

    clock().advance(Duration.ofSeconds(10));
    for (int i = 0; i < 10; i++) {
      store().put("other/" + i, utf8("v"), null);
    }
    inMemory().purgeExpired();

    assertThat(store().get("k").orElseThrow().value()).isEqualTo(utf8("forever"));
    assertThat(store().get("cas").orElseThrow().value()).isEqualTo(utf8("longer"));
  }

  @Test
  void anEntryCreatedOverAnExpiredOneOutlivesTheOldExpiry() {
    store().put("k", utf8("old"), secondsFromNow(10));
    clock().advance(Duration.ofSeconds(10));

    assertThat(store().putIfAbsent("k", utf8("new"), secondsFromNow(3600))).isTrue();
    inMemory().purgeExpired();

    assertThat(store().get("k").orElseThrow().value()).isEqualTo(utf8("new"));
    assertThat(inMemory().size()).isEqualTo(1);
  }

  @Test
  void purgeExpiredRemovesEveryExpiredEntryAndCountsThem() {
    for (int i = 0; i < 10; i++) {
      store().put("soon/" + i, utf8("v"), secondsFromNow(60));
    }
    for (int i = 0; i < 5; i++) {
      store().put("later/" + i, utf8("v"), secondsFromNow(3600));
    }
    for (int i = 0; i < 3; i++) {
      store().put("never/" + i, utf8("v"), null);
    }
    clock().advance(Duration.ofSeconds(60));

    assertThat(inMemory().size()).as("expired entries are held until reclaimed").isEqualTo(18);
    assertThat(inMemory().purgeExpired()).isEqualTo(10);
    assertThat(inMemory().size()).isEqualTo(8);
    assertThat(inMemory().purgeExpired()).isZero();
    assertThat(keys(listAll("", 100))).hasSize(8);
  }

  @Test
  void deletingAnExpiredEntryReclaimsIt() {
    store().put("k", utf8("v"), secondsFromNow(60));
    clock().advance(Duration.ofSeconds(60));

    assertThat(store().delete("k")).isFalse();

    assertThat(inMemory().size()).isZero();
    assertThat(inMemory().purgeExpired()).isZero();
  }

  @Test
  void pagesAreFullUntilTheLast() {
    for (int i = 0; i < 10; i++) {
      store().put("p/" + i, utf8("v"), null);
    }

    StorePage first = store().list("p/", null, 5);
    StorePage second = store().list("p/", first.nextCursor().orElseThrow(), 5);

    assertThat(keys(first.entries())).containsExactly("p/0", "p/1", "p/2", "p/3", "p/4");
    assertThat(keys(second.entries())).containsExactly("p/5", "p/6", "p/7", "p/8", "p/9");
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  void pagesOfManyKeysWrittenInRandomOrderComeInKeyOrderWithoutExpiredOnes() {
    // Keys of different lengths and a shared prefix that differs only late, written shuffled, some expiring
    // before the listing.
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      written.add("event/T0123456789/" + Integer.toString(i * 7919 % 100_003, 36));
    }
    Collections.shuffle(written, new Random(21));
    List<String> live = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      boolean expires = i % 5 == 0;
      store().put(written.get(i), utf8("v"), expires ? secondsFromNow(1) : null);
      if (!expires) {
        live.add(written.get(i));
      }
    }
    store().put("eventz", utf8("outside the prefix"), null);
    clock().advance(Duration.ofSeconds(2));
    Collections.sort(live);

    List<String> listed = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      StorePage page = store().list("event/", cursor, 37);
      pages++;
      if (page.nextCursor().isPresent()) {
        assertThat(page.entries()).hasSize(37);
      }
      listed.addAll(keys(page.entries()));
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);

    assertThat(listed).containsExactlyElementsOf(live);
    assertThat(pages).isEqualTo((live.size() + 36) / 37);
  }

  @Test
  void keysAreListedInStringOrderWhateverTheirCharactersAndLengths() {
    // Short keys, keys that end where another has U+0000, characters above U+7FFF and surrogates, and
    // prefixes shared past the sixteenth character: the index must order them all as String.compareTo.
    char[] alphabet = {'\u0000', '\u0001', '/', 'a', 'z', '\u00FF', '\u7FFF', '\u8000', '\uD83D', '\uDE00', '\uFFFF'};
    Random random = new Random(21);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      StringBuilder key = new StringBuilder(i % 3 == 0 ? "p/event/slack/T1/" : "p/");
      int length = random.nextInt(i % 2 == 0 ? 3 : 20);
      for (int c = 0; c < length; c++) {
        key.append(alphabet[random.nextInt(alphabet.length)]);
      }
      if (!written.contains(key.toString())) {
        written.add(key.toString());
      }
    }
    Collections.shuffle(written, new Random(7));
    for (String key : written) {
      store().put(key, utf8("v"), null);
    }
    Collections.sort(written);

    List<String> listed = new ArrayList<>();
    String cursor = null;
    do {
      StorePage page = store().list("p/", cursor, 50);
      listed.addAll(keys(page.entries()));
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);

    assertThat(listed).containsExactlyElementsOf(written);
  }

  @Test
  void aListingPagedWhileOtherKeysComeAndGoReturnsEveryKeyOnceInOrder() {
    List<String> listedKeys = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      listedKeys.add("listed/" + Integer.toString(i * 7919 % 100_003, 36));
    }
    List<String> shuffled = new ArrayList<>(listedKeys);
    Collections.shuffle(shuffled, new Random(3));
    for (String key : shuffled) {
      store().put(key, utf8("v"), null);
    }
    Collections.sort(listedKeys);

    List<String> listed = new ArrayList<>();
    String cursor = null;
    int round = 0;
    do {
      StorePage page = store().list("listed/", cursor, 30);
      listed.addAll(keys(page.entries()));
      cursor = page.nextCursor().orElse(null);
      // Between pages, enough other keys are created and deleted to rebuild the index several times.
      for (int i = 0; i < 400; i++) {
        String other = (i % 2 == 0 ? "listed-not/" : "a/") + round + "/" + i;
        store().put(other, utf8("v"), null);
        if (i % 3 != 0) {
          store().delete(other);
        }
      }
      round++;
    } while (cursor != null);

    assertThat(listed).containsExactlyElementsOf(listedKeys);
  }

  @Test
  void errorMessagesSayWhatWasExpected() {
    assertThatThrownBy(() -> store().get(null))
        .isInstanceOf(NullPointerException.class).hasMessage("key == null");
    assertThatThrownBy(() -> store().put("", utf8("v"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("key must not be empty");
    assertThatThrownBy(() -> store().delete("k".repeat(513)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be at most 512 characters but was 513: \"" + "k".repeat(40) + "...\"");
    assertThatThrownBy(() -> store().putIfAbsent("k", null, null))
        .isInstanceOf(NullPointerException.class).hasMessage("value == null");
    assertThatThrownBy(() -> store().list(null, null, 1))
        .isInstanceOf(NullPointerException.class).hasMessage("prefix == null");
    assertThatThrownBy(() -> store().list("p/", null, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be at least 1 but was 0");
    assertThatThrownBy(() -> store().list("p/", "q/1", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cursor \"q/1\" was not returned for prefix \"p/\": pass the nextCursor of the previous"
            + " page of the same prefix, or null");
  }

  @Test
  void createRejectsANullClock() {
    assertThatThrownBy(() -> InMemoryStore.create(null))
        .isInstanceOf(NullPointerException.class).hasMessage("clock == null");
  }

  @Test
  void anEntryRewrittenWithTheSameExpiryIsStillReclaimedWhenItExpires() {
    long version = store().putIfAbsentVersioned("k", utf8("processing"), secondsFromNow(60)).orElseThrow();
    assertThat(store().compareAndSet("k", version, utf8("done"), secondsFromNow(60))).isTrue();

    clock().advance(Duration.ofSeconds(59));
    assertThat(inMemory().purgeExpired()).isZero();
    assertThat(store().get("k")).isPresent();
    clock().advance(Duration.ofSeconds(1));

    assertThat(inMemory().purgeExpired()).isEqualTo(1);
    assertThat(inMemory().size()).isZero();
  }

  @Test
  void anEntryRewrittenWithALaterExpiryIsKeptUntilTheLaterOne() {
    long version = store().put("k", utf8("one"), secondsFromNow(10));
    assertThat(store().compareAndSet("k", version, utf8("two"), secondsFromNow(60))).isTrue();

    clock().advance(Duration.ofSeconds(30));
    assertThat(inMemory().purgeExpired()).isZero();
    assertThat(store().get("k").orElseThrow().value()).isEqualTo(utf8("two"));
    clock().advance(Duration.ofSeconds(30));

    assertThat(inMemory().purgeExpired()).isEqualTo(1);
    assertThat(inMemory().size()).isZero();
  }

  @Test
  void theListingAgreesWithTheEntriesAfterRacingCreatesAndDeletesOfTheSameKeys() throws Exception {
    int threads = 4;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
          for (int i = 0; i < 20_000; i++) {
            String key = "k" + random.nextInt(8);
            if (random.nextBoolean()) {
              store().putIfAbsent(key, utf8("v"), null);
            } else {
              store().delete(key);
            }
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    java.util.List<String> present = new java.util.ArrayList<>();
    for (int k = 0; k < 8; k++) {
      if (store().get("k" + k).isPresent()) {
        present.add("k" + k);
      }
    }
    assertThat(keys(store().list("k", null, 100).entries())).isEqualTo(present);
  }
}
