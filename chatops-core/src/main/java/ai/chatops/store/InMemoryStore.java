package ai.chatops.store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default {@link Store}: entries live in this process's memory and are lost when it exits.
 * Use it for development, tests and single-instance bots; use a shared store (DynamoDB, Datastore) when
 * several instances must see the same deduplication records and conversations.
 *
 * <p>Thread-safe; share one instance per application. Every operation reads the time from the {@link Clock}
 * given to {@link #create(Clock)}, so tests can move time forward instead of waiting.
 *
 * <p>Memory stays bounded under an endless stream of distinct keys written with an expiry (such as the
 * router's deduplication records): expired entries are absent at once, and each write also reclaims up to
 * a few entries whose expiry has passed, oldest first. Because a write reclaims more entries than it adds,
 * the entries held are the live ones plus at most the backlog that expired since the last few writes.
 * {@link #purgeExpired()} reclaims all of them at once. Entries without expiry stay until deleted.
 *
 * <p>Keys are listed in {@link String#compareTo} order (UTF-16 code units). {@link #close()} does nothing:
 * the store holds no resources besides memory, and stays usable.
 */
public final class InMemoryStore implements Store {
  /**
   * How many expired entries each write reclaims at most. More than one, so reclamation outpaces any
   * stream of writes whose entries expire; small, so no write pays for a large backlog.
   */
  private static final int RECLAIM_PER_WRITE = 4;

  /** The longest part of an invalid key quoted in an error message. */
  private static final int QUOTED_KEY_LENGTH = 40;

  private final Clock clock;
  /**
   * The entries by key: a hash map, so that the reads and writes of every event cost no string comparisons
   * down a skip list.
   */
  private final ConcurrentHashMap<String, Slot> entries = new ConcurrentHashMap<>();
  /**
   * Every key of {@link #entries}, sorted, for {@link #list}: added after a key's first write, removed
   * after its removal (and put back if the key was written again meanwhile). A listing may miss a key
   * being created at that moment, as with any concurrent write.
   */
  private final ConcurrentSkipListSet<String> keys = new ConcurrentSkipListSet<>();
  /** One mark per entry with an expiry, ordered by expiry so reclamation finds the due ones first. */
  private final ConcurrentSkipListSet<ExpiryMark> expiries = new ConcurrentSkipListSet<>();
  private final AtomicLong versions = new AtomicLong();

  private InMemoryStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** Creates an empty store that reads the time from the system UTC clock. */
  public static InMemoryStore create() {
    return new InMemoryStore(Clock.systemUTC());
  }

  /** Creates an empty store that reads the time from {@code clock}. */
  public static InMemoryStore create(Clock clock) {
    return new InMemoryStore(clock);
  }

  @Override
  public Optional<StoreEntry> get(String key) {
    Store.checkKey(key);
    Slot slot = entries.get(key);
    if (slot == null || !slot.isLiveAt(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(slot.toEntry(key));
  }

  @Override
  public long put(String key, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    Instant now = clock.instant();
    // A compare-and-set loop rather than a plain put: the version is taken after reading the entry it
    // replaces, so a key's versions only grow even when writers race.
    while (true) {
      Slot current = entries.get(key);
      Slot fresh = new Slot(copy, versions.incrementAndGet(), expiresAt);
      if (install(key, current, fresh)) {
        afterWrite(key, current, fresh, now);
        return fresh.version;
      }
    }
  }

  @Override
  public OptionalLong putIfAbsentVersioned(String key, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    Instant now = clock.instant();
    while (true) {
      Slot current = entries.get(key);
      if (current != null && current.isLiveAt(now)) {
        return OptionalLong.empty();
      }
      // Absent, or expired but not yet reclaimed: either way the key is free.
      Slot fresh = new Slot(copy, versions.incrementAndGet(), expiresAt);
      if (install(key, current, fresh)) {
        afterWrite(key, current, fresh, now);
        return OptionalLong.of(fresh.version);
      }
    }
  }

  @Override
  public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
    return compareAndSetVersioned(key, expectedVersion, value, expiresAt).isPresent();
  }

  @Override
  public OptionalLong compareAndSetVersioned(String key, long expectedVersion, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    Instant now = clock.instant();
    while (true) {
      Slot current = entries.get(key);
      if (current == null || !current.isLiveAt(now) || current.version != expectedVersion) {
        return OptionalLong.empty();
      }
      Slot fresh = new Slot(copy, versions.incrementAndGet(), expiresAt);
      if (entries.replace(key, current, fresh)) {
        afterWrite(key, current, fresh, now);
        return OptionalLong.of(fresh.version);
      }
      // Another write got in between; the next round sees it and refuses.
    }
  }

  @Override
  public boolean delete(String key) {
    Store.checkKey(key);
    Instant now = clock.instant();
    while (true) {
      Slot current = entries.get(key);
      if (current == null) {
        reclaim(now, RECLAIM_PER_WRITE);
        return false;
      }
      if (entries.remove(key, current)) {
        unindex(key);
        afterWrite(key, current, null, now);
        // An expired entry is removed all the same, but it was not there for the caller.
        return current.isLiveAt(now);
      }
    }
  }

  @Override
  public StorePage list(String prefix, String cursor, int limit) {
    Objects.requireNonNull(prefix, "prefix == null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    if (cursor != null && !cursor.startsWith(prefix)) {
      throw new IllegalArgumentException("cursor \"" + quote(cursor) + "\" was not returned for prefix \""
          + quote(prefix) + "\": pass the nextCursor of the previous page of the same prefix, or null");
    }
    Instant now = clock.instant();
    // The cursor is the last key returned: the next page starts right after it.
    NavigableSet<String> tail = cursor == null ? keys.tailSet(prefix, true) : keys.tailSet(cursor, false);
    List<StoreEntry> page = new ArrayList<>(Math.min(limit, 64));
    for (String key : tail) {
      if (!key.startsWith(prefix)) {
        break;
      }
      Slot slot = entries.get(key);
      if (slot == null || !slot.isLiveAt(now)) {
        continue;
      }
      if (page.size() == limit) {
        // One more live entry exists, so this page is not the last.
        return new StorePage(page, Optional.of(page.get(limit - 1).key()));
      }
      page.add(slot.toEntry(key));
    }
    return new StorePage(page, Optional.empty());
  }

  /**
   * The number of entries held: the live ones plus expired ones not reclaimed yet. Expired entries are
   * absent to every other operation; this count is for observing memory use, not for application logic.
   */
  public int size() {
    return entries.size();
  }

  /**
   * Reclaims every entry whose expiry has passed.
   *
   * @return the number of entries removed
   */
  public int purgeExpired() {
    return reclaim(clock.instant(), Integer.MAX_VALUE);
  }

  @Override
  public String toString() {
    return "InMemoryStore{" + entries.size() + " entries}";
  }

  /** Replaces {@code current} (null: no entry) with {@code fresh} atomically; false if it changed. */
  private boolean install(String key, Slot current, Slot fresh) {
    if (current != null) {
      return entries.replace(key, current, fresh);
    }
    if (entries.putIfAbsent(key, fresh) != null) {
      return false;
    }
    keys.add(key);
    return true;
  }

  /** Takes a removed key out of the listing index, unless it was written again meanwhile. */
  private void unindex(String key) {
    keys.remove(key);
    // A writer that re-created the key after the removal may have added it before the line above took it
    // out; the writer's add happens after its map write, so this check sees the map write or the add wins.
    if (entries.containsKey(key)) {
      keys.add(key);
    }
  }

  /**
   * Keeps the expiry index in step with a write that replaced {@code previous} (null: none) by
   * {@code fresh} (null: deleted), then reclaims a few due entries. A write that keeps the expiry (a
   * compare-and-set of the same record) keeps its mark: marks name a key and a time, not a version.
   */
  private void afterWrite(String key, Slot previous, Slot fresh, Instant now) {
    ExpiryMark kept = previous == null ? null : previous.mark;
    // contains: a reclaimer may have taken the mark since (then it removes the fresh slot itself when it
    // finds it expired, or the fresh slot needs a mark of its own).
    if (fresh != null && kept != null && kept.isAt(fresh.expiresAt) && expiries.contains(kept)) {
      fresh.mark = kept;
    } else {
      if (kept != null) {
        expiries.remove(kept);
      }
      if (fresh != null && fresh.expiresAt != null) {
        fresh.mark = new ExpiryMark(fresh.expiresAt, key, fresh.version);
        expiries.add(fresh.mark);
      }
    }
    reclaim(now, RECLAIM_PER_WRITE);
  }

  /** Removes up to {@code budget} entries whose expiry is at or before {@code now}, oldest first. */
  private int reclaim(Instant now, int budget) {
    int removed = 0;
    long nowSeconds = now.getEpochSecond();
    int nowNanos = now.getNano();
    for (int examined = 0; examined < budget; examined++) {
      ExpiryMark mark = expiries.isEmpty() ? null : firstOrNull();
      if (mark == null || mark.isAfter(nowSeconds, nowNanos)) {
        break;
      }
      // Of concurrent reclaimers, only the one that removes the mark handles it.
      if (!expiries.remove(mark)) {
        continue;
      }
      Slot slot = entries.get(mark.key);
      // The mark may be stale (the key was written again, racing the index update): remove only a slot
      // that has expired itself, conditionally, so that a newer value is never lost.
      if (slot != null && !slot.isLiveAt(now) && entries.remove(mark.key, slot)) {
        unindex(mark.key);
        removed++;
      }
    }
    return removed;
  }

  private ExpiryMark firstOrNull() {
    try {
      return expiries.first();
    } catch (java.util.NoSuchElementException e) {
      return null; // emptied by another thread since isEmpty()
    }
  }

  private static String quote(String s) {
    return s.length() <= QUOTED_KEY_LENGTH ? s : s.substring(0, QUOTED_KEY_LENGTH) + "...";
  }

  /** One stored value. Compared by identity, so conditional map operations detect any intervening write. */
  private static final class Slot {
    final byte[] value;
    final long version;
    final Instant expiresAt;
    /**
     * This slot's mark in the expiry index, or null without expiry; set by the writer right after the slot
     * is installed. Another writer that reads it still null adds a mark of its own: a spare mark is
     * harmless, as reclaim removes only expired slots.
     */
    ExpiryMark mark;

    Slot(byte[] value, long version, Instant expiresAt) {
      this.value = value;
      this.version = version;
      this.expiresAt = expiresAt;
    }

    boolean isLiveAt(Instant now) {
      return expiresAt == null || now.isBefore(expiresAt);
    }

    StoreEntry toEntry(String key) {
      return StoreEntry.of(key, value, version, expiresAt);
    }
  }

  /**
   * When a key expires, in primitive fields so that the skip list compares longs, not objects. The version
   * of the write that created the mark makes every mark distinct (versions are unique per store).
   */
  private static final class ExpiryMark implements Comparable<ExpiryMark> {
    final long seconds;
    final int nanos;
    final long version;
    final String key;

    ExpiryMark(Instant expiresAt, String key, long version) {
      this.seconds = expiresAt.getEpochSecond();
      this.nanos = expiresAt.getNano();
      this.key = key;
      this.version = version;
    }

    boolean isAt(Instant expiresAt) {
      return expiresAt != null && seconds == expiresAt.getEpochSecond() && nanos == expiresAt.getNano();
    }

    boolean isAfter(long nowSeconds, int nowNanos) {
      return seconds > nowSeconds || seconds == nowSeconds && nanos > nowNanos;
    }

    @Override
    public int compareTo(ExpiryMark o) {
      if (seconds != o.seconds) {
        return seconds < o.seconds ? -1 : 1;
      }
      if (nanos != o.nanos) {
        return nanos < o.nanos ? -1 : 1;
      }
      return Long.compare(version, o.version);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ExpiryMark && compareTo((ExpiryMark) o) == 0;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(version);
    }
  }
}
