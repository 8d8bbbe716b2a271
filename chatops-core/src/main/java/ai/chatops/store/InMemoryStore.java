package ai.chatops.store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;

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
   * Every key of {@link #entries}, sorted, for {@link #list}, and some removed ones not dropped yet. A
   * listing may miss a key being created at that moment, as with any concurrent write.
   */
  private final KeyIndex keys = new KeyIndex();
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
        keys.removed(entries);
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
    Iterator<String> tail = keys.from(cursor == null ? prefix : cursor, cursor == null);
    List<StoreEntry> page = new ArrayList<>(Math.min(limit, 64));
    while (tail.hasNext()) {
      String key = tail.next();
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
    keys.add(key, entries);
    return true;
  }

  /**
   * Keeps the expiry index in step with a write that replaced {@code previous} (null: none) by
   * {@code fresh} (null: deleted), then reclaims a few due entries. A write that keeps the expiry (a
   * compare-and-set of the same record) keeps its mark: marks name a key and a time, not a version.
   */
  private void afterWrite(String key, Slot previous, Slot fresh, Instant now) {
    ExpiryMark kept = previous == null ? null : previous.mark;
    // taken: a reclaimer may have taken the mark since (then it removes the fresh slot itself when it
    // finds it expired, or the fresh slot needs a mark of its own). The flag, set before a mark leaves the
    // index, answers as a lookup in the index would, without one.
    if (fresh != null && kept != null && kept.isAt(fresh.expiresAt) && !kept.taken) {
      fresh.mark = kept;
    } else {
      if (kept != null) {
        kept.taken = true;
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
      mark.taken = true;
      if (!expiries.remove(mark)) {
        continue;
      }
      Slot slot = entries.get(mark.key);
      // The mark may be stale (the key was written again, racing the index update): remove only a slot
      // that has expired itself, conditionally, so that a newer value is never lost.
      if (slot != null && !slot.isLiveAt(now) && entries.remove(mark.key, slot)) {
        keys.removed(entries);
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

  /**
   * The sorted keys: an array folded from time to time, and a skip list of the keys created since. A write
   * adds its new key to the skip list, which stays short; a removal only counts (a listing skips keys whose
   * entry is gone). When the skip list has grown to an eighth of the array, a fold inserts its keys into a
   * new array (a binary search each, the rest copied in bulk); when the removals reach half of the array,
   * the fold also drops the removed keys, in one pass over the array. Either costs each write a few steps
   * instead of a search down a long skip list for every create and every removal, whose string
   * comparisons miss the cache. A listing merges the array, the skip list and, during a fold, the skip list
   * being folded, so it stays proportional to the page.
   */
  private static final class KeyIndex {
    private static final int MIN_FOLD = 128;
    private static final String[] NONE = {};

    /** Sorted; may hold keys removed since it was built. Replaced whole, never changed. */
    private volatile String[] folded = NONE;
    /** The skip list a fold is merging into {@link #folded}, until the new array is published; else null. */
    private volatile ConcurrentSkipListSet<String> folding;
    /** The keys created since the last fold began. */
    private volatile ConcurrentSkipListSet<String> recent = new ConcurrentSkipListSet<>();
    private final AtomicInteger added = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    /** Shared by writers adding to {@link #recent}, exclusive for a fold replacing it: no add is lost. */
    private final StampedLock swap = new StampedLock();
    private final ReentrantLock foldLock = new ReentrantLock();

    /** Adds a key just created in {@code entries}. */
    void add(String key, ConcurrentMap<String, ?> entries) {
      long stamp = swap.readLock();
      try {
        recent.add(key);
      } finally {
        swap.unlockRead(stamp);
      }
      if (added.incrementAndGet() > Math.max(MIN_FOLD, folded.length / 8)) {
        fold(entries, false);
      }
    }

    /** Counts a key removed from {@code entries}; the next fold drops it. */
    void removed(ConcurrentMap<String, ?> entries) {
      if (removed.incrementAndGet() > Math.max(MIN_FOLD, folded.length / 2)) {
        fold(entries, true);
      }
    }

    /**
     * Merges {@link #recent} into a new {@link #folded}; when {@code clean}, keeps only the keys still in
     * {@code entries}.
     */
    private void fold(ConcurrentMap<String, ?> entries, boolean clean) {
      if (!foldLock.tryLock()) {
        return; // another thread is folding
      }
      try {
        ConcurrentSkipListSet<String> merging;
        long stamp = swap.writeLock();
        try {
          merging = recent;
          folding = merging; // listed meanwhile, until the new array holds its keys
          recent = new ConcurrentSkipListSet<>();
          added.set(0);
          if (clean) {
            removed.set(0);
          }
        } finally {
          swap.unlockWrite(stamp);
        }
        folded = clean ? merged(folded, merging, entries) : inserted(folded, new ArrayList<>(merging));
        folding = null;
      } finally {
        foldLock.unlock();
      }
    }

    /** {@code old} and {@code fresh} merged, without the keys not in {@code entries}: one pass over both. */
    private static String[] merged(String[] old, ConcurrentSkipListSet<String> fresh,
        ConcurrentMap<String, ?> entries) {
      List<String> kept = new ArrayList<>(old.length + fresh.size());
      for (Iterator<String> it = new Merged(old, 0, fresh.iterator(), Collections.emptyIterator());
          it.hasNext(); ) {
        String key = it.next();
        // A key removed and created again since is in recent, and listed from there.
        if (entries.containsKey(key)) {
          kept.add(key);
        }
      }
      return kept.toArray(NONE);
    }

    /** {@code old} with the sorted {@code fresh} inserted: a binary search each, the runs between copied. */
    private static String[] inserted(String[] old, List<String> fresh) {
      String[] merged = new String[old.length + fresh.size()];
      int copied = 0;
      int written = 0;
      for (String key : fresh) {
        int at = Arrays.binarySearch(old, copied, old.length, key);
        if (at >= 0) {
          continue; // created again before its removal was dropped: the copy below keeps it
        }
        at = -at - 1;
        System.arraycopy(old, copied, merged, written, at - copied);
        written += at - copied;
        copied = at;
        merged[written++] = key;
      }
      System.arraycopy(old, copied, merged, written, old.length - copied);
      written += old.length - copied;
      return written == merged.length ? merged : Arrays.copyOf(merged, written);
    }

    /** The keys from {@code from} on (with it when {@code inclusive}), sorted, each once. */
    Iterator<String> from(String from, boolean inclusive) {
      // Read in this order: a fold publishes its array before it stops listing the skip list it merged.
      ConcurrentSkipListSet<String> created = recent;
      ConcurrentSkipListSet<String> merging = folding;
      String[] array = folded;
      int start = Arrays.binarySearch(array, from);
      start = start < 0 ? -start - 1 : inclusive ? start : start + 1;
      return new Merged(array, start, created.tailSet(from, inclusive).iterator(),
          merging == null ? Collections.emptyIterator() : merging.tailSet(from, inclusive).iterator());
    }
  }

  /** Three sorted sources as one sorted sequence, each key once. */
  private static final class Merged implements Iterator<String> {
    private final String[] array;
    private int index;
    private final Iterator<String> first;
    private final Iterator<String> second;
    private String firstHead;
    private String secondHead;
    private String last;
    private String next;

    Merged(String[] array, int index, Iterator<String> first, Iterator<String> second) {
      this.array = array;
      this.index = index;
      this.first = first;
      this.second = second;
      this.firstHead = first.hasNext() ? first.next() : null;
      this.secondHead = second.hasNext() ? second.next() : null;
      advance();
    }

    private void advance() {
      do {
        String arrayHead = index < array.length ? array[index] : null;
        String least = min(min(arrayHead, firstHead), secondHead);
        if (least == null) {
          next = null;
          return;
        }
        // Take the least from every source that holds it: a key may be in two of them.
        if (least.equals(arrayHead)) {
          index++;
        }
        if (least.equals(firstHead)) {
          firstHead = first.hasNext() ? first.next() : null;
        }
        if (least.equals(secondHead)) {
          secondHead = second.hasNext() ? second.next() : null;
        }
        next = least;
      } while (next.equals(last));
      last = next;
    }

    private static String min(String a, String b) {
      return a == null ? b : b == null || a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public String next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      String current = next;
      advance();
      return current;
    }
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
    /** Set just before the mark leaves the index: a write that finds it set gives its slot a new mark. */
    volatile boolean taken;

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
