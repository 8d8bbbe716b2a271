package ai.chatops.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded default {@link Store}: entries live in this process's memory and are lost when it exits.
 * Use it for development, tests and single-instance bots; use a shared store (DynamoDB, Datastore) when
 * several instances must see the same deduplication records and conversations.
 *
 * <p>Thread-safe; share one instance per application. Every operation reads the time from the {@link Clock}
 * given to {@link #create(Clock)}, so tests can move time forward instead of waiting.
 *
 * <p>Memory stays bounded under an endless stream of distinct keys written with an expiry (such as the
 * router's deduplication records): expired entries are absent at once, and each write that creates an
 * entry or changes an expiry also reclaims up to a few entries whose expiry has passed, oldest first (an
 * entry may wait less than a second behind one due later in the same second). Because such a write
 * reclaims more entries than it adds, the entries held are the live ones plus at most the backlog that
 * expired since the last few writes. {@link #purgeExpired()} reclaims all of them at once. Entries without
 * expiry stay until deleted.
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
  /** At least one mark per entry with an expiry, due no later than it, so reclamation finds the due ones. */
  private final ExpiryIndex expiries = new ExpiryIndex();
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
      Slot fresh = slot(current, copy, expiresAt, now);
      if (install(key, current, fresh)) {
        afterWrite(key, fresh, current == null, now);
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
      Slot fresh = slot(current, copy, expiresAt, now);
      if (install(key, current, fresh)) {
        afterWrite(key, fresh, current == null, now);
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
      Slot fresh = slot(current, copy, expiresAt, now);
      if (entries.replace(key, current, fresh)) {
        afterWrite(key, fresh, false, now);
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
        reclaim(now, RECLAIM_PER_WRITE);
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
    Instant now = clock.instant();
    int removed = reclaim(now, Integer.MAX_VALUE);
    // A due mark may wait behind one due later in the same second (see ExpiryIndex): look at every entry.
    for (Map.Entry<String, Slot> entry : entries.entrySet()) {
      if (!entry.getValue().isLiveAt(now) && entries.remove(entry.getKey(), entry.getValue())) {
        keys.removed(entries);
        removed++;
      }
    }
    return removed;
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
   * A new slot replacing {@code current} (null: none). It takes over the live current slot's mark when that
   * mark is due no later than its own expiry (a compare-and-set of the same record, or a renewal): a mark
   * due early only costs a reclaimer a second look, while a new mark per write would cost an insert.
   */
  private Slot slot(Slot current, byte[] value, Instant expiresAt, Instant now) {
    Slot fresh = new Slot(value, versions.incrementAndGet(), expiresAt);
    ExpiryMark kept = current == null || !current.isLiveAt(now) ? null : current.mark;
    if (kept != null && kept.isNotAfter(expiresAt) && !kept.taken) {
      fresh.mark = kept;
    }
    return fresh;
  }

  /**
   * Gives {@code fresh}, just installed, a mark of its own unless it kept one that is still pending, then
   * reclaims a few due entries when this write added an entry or a mark. A write that kept both (the
   * journal's compare-and-sets) adds nothing to outpace. The old slot's mark, if not kept, stays in the
   * index until due: a reclaimer then finds another slot or none, and leaves it.
   */
  private void afterWrite(String key, Slot fresh, boolean created, Instant now) {
    boolean marked = false;
    if (fresh.expiresAt != null) {
      ExpiryMark kept = fresh.mark;
      // taken, read after the install: either this write sees it, or the reclaimer that set it sees the
      // fresh slot (both are volatile accesses); when both happen, the spare mark is harmless.
      if (kept == null || kept.taken) {
        ExpiryMark mark = new ExpiryMark(fresh.expiresAt, key, fresh.version);
        fresh.mark = mark;
        expiries.add(mark);
        marked = true;
      }
    }
    if (created || marked) {
      reclaim(now, RECLAIM_PER_WRITE);
    }
  }

  /** Handles up to {@code budget} marks due at or before {@code now}, oldest first; returns the removals. */
  private int reclaim(Instant now, int budget) {
    int removed = 0;
    for (int examined = 0; examined < budget; examined++) {
      ExpiryMark mark = expiries.takeDue(now.getEpochSecond(), now.getNano());
      if (mark == null) {
        break;
      }
      removed += settle(mark, now);
    }
    return removed;
  }

  /**
   * Removes the entry of a due {@code mark} if it has expired, or, when the mark was taken over by a slot
   * that expires later, marks that slot again at its own expiry. Returns 1 if it removed the entry.
   */
  private int settle(ExpiryMark mark, Instant now) {
    // Set before the lookup, read by writers after their install: see afterWrite.
    mark.taken = true;
    Slot slot = entries.get(mark.key);
    if (slot == null) {
      return 0;
    }
    if (!slot.isLiveAt(now)) {
      // Conditionally, so that a newer value is never lost to a write racing this reclaim.
      if (entries.remove(mark.key, slot)) {
        keys.removed(entries);
        return 1;
      }
      return 0;
    }
    if (slot.mark == mark) {
      // A fresh version: the writer may be adding a mark of its own for this slot at the same moment.
      ExpiryMark again = new ExpiryMark(slot.expiresAt, mark.key, versions.incrementAndGet());
      slot.mark = again;
      expiries.add(again);
    }
    return 0;
  }

  private static String quote(String s) {
    return s.length() <= QUOTED_KEY_LENGTH ? s : s.substring(0, QUOTED_KEY_LENGTH) + "...";
  }

  /**
   * The sorted keys: an array folded from time to time, an unsorted log of the keys created since, and a
   * skip list of logged keys a listing needed sorted before the next fold. A write appends its new key to
   * the log (no comparisons); a removal only counts (a listing skips keys whose entry is gone). When the log
   * has grown as large as the array, a fold sorts it and merges it with the array into a new one (one pass
   * over both); when the removals reach half of the array, the fold also drops
   * the removed keys, in one pass over the array. A listing first moves the log into the skip list, which
   * its writers' appends pay for (one insert each, once), then merges the array and the skip list, so it
   * stays proportional to the page. Folds and listings take turns on a lock; writers never wait for it.
   */
  private static final class KeyIndex {
    private static final int MIN_FOLD = 128;
    private static final String[] NONE = {};

    /** Sorted; may hold keys removed since it was built. Replaced whole, never changed. */
    private volatile String[] folded = NONE;
    /** Keys moved from the log by listings since the last fold; replaced by each fold that empties it. */
    private volatile ConcurrentSkipListSet<String> sorted = new ConcurrentSkipListSet<>();
    /**
     * The keys created since they were last drained, newest first: a stack, so that a writer pushes with one
     * compare-and-set and a drain takes all of it with one swap (their order does not matter, folds sort).
     */
    private final AtomicReference<Logged> log = new AtomicReference<>();
    private final AtomicInteger added = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    /** How many keys listings moved to {@link #sorted}, still counted in {@link #added}; under the lock. */
    private int listedSinceFold;
    /** Held by a fold or by a listing draining the log: a drained key is never out of a listing's sight. */
    private final ReentrantLock foldLock = new ReentrantLock();

    /** Adds a key just created in {@code entries}. */
    void add(String key, ConcurrentMap<String, ?> entries) {
      Logged logged = new Logged(key);
      do {
        logged.next = log.get();
      } while (!log.compareAndSet(logged.next, logged));
      // As many new keys as the array holds: a fold then merges them in one pass over both, about two
      // comparisons per new key, where an eighth of that (the first design) needed a binary search through
      // the array for each, every probe a cache miss on a long key (a quarter of the event path's samples).
      if (added.incrementAndGet() > Math.max(MIN_FOLD, folded.length)) {
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
     * Merges the log and {@link #sorted} into a new {@link #folded}; when {@code clean}, keeps only the keys
     * still in {@code entries}. Skipped while another thread folds or lists.
     */
    private void fold(ConcurrentMap<String, ?> entries, boolean clean) {
      if (!foldLock.tryLock()) {
        return;
      }
      try {
        if (clean) {
          removed.set(0);
        }
        ConcurrentSkipListSet<String> listed = sorted;
        String[] keys = distinctSorted(drain(listed));
        folded = clean
            ? inserted(present(folded, entries), present(keys, entries))
            : inserted(folded, keys);
        if (!listed.isEmpty()) {
          sorted = new ConcurrentSkipListSet<>(); // a listing holding the old one still sees its keys
          added.addAndGet(-listedSinceFold);
          listedSinceFold = 0;
        }
      } finally {
        foldLock.unlock();
      }
    }

    /**
     * Takes every logged key, followed by the keys of {@code listed}: counted first, then copied into an
     * array of that size (no list grown and copied as it fills).
     */
    private String[] drain(ConcurrentSkipListSet<String> listed) {
      Logged first = log.getAndSet(null);
      int count = 0;
      for (Logged logged = first; logged != null; logged = logged.next) {
        count++;
      }
      added.addAndGet(-count);
      String[] taken = new String[count + (listed.isEmpty() ? 0 : listed.size())];
      int i = 0;
      for (Logged logged = first; logged != null; logged = logged.next) {
        taken[i++] = logged.key;
      }
      if (taken.length > count) {
        for (String key : listed) {
          taken[i++] = key; // listings add to it only under the fold lock, which the caller holds
        }
      }
      return taken;
    }

    /** {@code array} sorted, each key once (sorted in place). */
    private static String[] distinctSorted(String[] array) {
      Arrays.sort(array);
      int distinct = 0;
      for (String key : array) {
        if (distinct == 0 || !key.equals(array[distinct - 1])) {
          array[distinct++] = key;
        }
      }
      return distinct == array.length ? array : Arrays.copyOf(array, distinct);
    }

    /** The keys of {@code keys} still in {@code entries}, in the same order: one pass, no comparisons. */
    private static String[] present(String[] keys, ConcurrentMap<String, ?> entries) {
      String[] kept = new String[keys.length];
      int count = 0;
      for (String key : keys) {
        // A key removed and created again since is logged again, and kept when that log is folded.
        if (entries.containsKey(key)) {
          kept[count++] = key;
        }
      }
      return count == kept.length ? kept : Arrays.copyOf(kept, count);
    }

    /**
     * {@code old} with the sorted {@code fresh} inserted, each key once: merged in one pass when there are
     * enough of them, else a binary search each with the runs between copied.
     */
    private static String[] inserted(String[] old, String[] fresh) {
      if (fresh.length >= old.length / 16) {
        return merged(old, fresh);
      }
      String[] merged = new String[old.length + fresh.length];
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

    /** Two sorted arrays merged, each key once: one pass, a comparison per key taken. */
    private static String[] merged(String[] old, String[] fresh) {
      String[] merged = new String[old.length + fresh.length];
      int i = 0;
      int j = 0;
      int written = 0;
      while (i < old.length && j < fresh.length) {
        int order = old[i].compareTo(fresh[j]);
        if (order <= 0) {
          merged[written++] = old[i++];
          if (order == 0) {
            j++; // created again before its removal was dropped: kept once
          }
        } else {
          merged[written++] = fresh[j++];
        }
      }
      System.arraycopy(old, i, merged, written, old.length - i);
      written += old.length - i;
      System.arraycopy(fresh, j, merged, written, fresh.length - j);
      written += fresh.length - j;
      return written == merged.length ? merged : Arrays.copyOf(merged, written);
    }

    /**
     * The keys from {@code from} on (with it when {@code inclusive}), sorted, each once: every key whose
     * {@link #add} returned before this call, and maybe later ones.
     */
    Iterator<String> from(String from, boolean inclusive) {
      ConcurrentSkipListSet<String> listed;
      String[] array;
      foldLock.lock();
      try {
        listed = sorted;
        for (Logged logged = log.getAndSet(null); logged != null; logged = logged.next) {
          listed.add(logged.key);
          listedSinceFold++;
        }
        array = folded;
      } finally {
        foldLock.unlock();
      }
      int start = Arrays.binarySearch(array, from);
      start = start < 0 ? -start - 1 : inclusive ? start : start + 1;
      Iterator<String> logged = listed.tailSet(from, inclusive).iterator();
      return new Merged(array, start, logged, Collections.emptyIterator());
    }
  }

  /** One key in the log of created keys. */
  private static final class Logged {
    final String key;
    /** The key logged before; written before this one is published, never after. */
    Logged next;

    Logged(String key) {
      this.key = key;
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
     * The mark that answers for this slot in the expiry index, due no later than the slot, or null without
     * expiry; taken over from the slot replaced, or set by the writer right after the install, or by the
     * reclaimer that found the mark due early. A spare mark is harmless: reclaim removes only expired
     * slots, and marks again only the slot whose mark it holds.
     */
    volatile ExpiryMark mark;

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
   * The marks by due time: a few FIFO lanes, each taking marks in non-decreasing order of their second, and
   * a skip list for the marks no lane takes. Writes arrive in time order, and an application's entries
   * share a few time-to-lives, so nearly every mark is appended to the lane of its stream (the one whose
   * last mark is the latest not after it): a compare-and-set instead of a skip-list insert and remove.
   * Within a lane's second the order is the writers', so a due mark may wait behind one due later in the
   * same second: it is reclaimed less than one second late (the entry is absent at once all the same).
   */
  private static final class ExpiryIndex {
    private static final int LANES = 4;

    private final Lane[] lanes = new Lane[LANES];
    private final ConcurrentSkipListSet<ExpiryMark> unordered = new ConcurrentSkipListSet<>();

    ExpiryIndex() {
      for (int i = 0; i < LANES; i++) {
        lanes[i] = new Lane();
      }
    }

    /** Adds a mark, to the lane that fits it best, else to the skip list. */
    void add(ExpiryMark mark) {
      while (true) {
        Lane best = null;
        ExpiryMark bestLast = null;
        for (Lane lane : lanes) {
          ExpiryMark last = lane.last();
          if (last.seconds <= mark.seconds && (bestLast == null || last.seconds > bestLast.seconds)) {
            best = lane;
            bestLast = last;
          }
        }
        if (best == null) {
          unordered.add(mark);
          return;
        }
        if (best.append(bestLast, mark)) {
          return;
        }
        // Another writer appended to that lane meanwhile: choose again.
      }
    }

    /** Removes and returns the earliest due mark at the head of a lane or of the skip list; null if none. */
    ExpiryMark takeDue(long nowSeconds, int nowNanos) {
      while (true) {
        Lane from = null;
        ExpiryMark head = null;
        ExpiryMark least = null;
        for (Lane lane : lanes) {
          ExpiryMark h = lane.head;
          ExpiryMark first = h.next;
          if (first != null && !first.isAfter(nowSeconds, nowNanos)
              && (least == null || first.compareTo(least) < 0)) {
            from = lane;
            head = h;
            least = first;
          }
        }
        ExpiryMark other = unordered.isEmpty() ? null : firstOrNull();
        if (other != null && !other.isAfter(nowSeconds, nowNanos)
            && (least == null || other.compareTo(least) < 0)) {
          if (unordered.remove(other)) {
            return other;
          }
        } else if (least == null) {
          return null;
        } else if (from.advance(head, least)) {
          return least;
        }
        // Another reclaimer took it: look again.
      }
    }

    private ExpiryMark firstOrNull() {
      try {
        return unordered.first();
      } catch (NoSuchElementException e) {
        return null; // emptied by another thread since isEmpty()
      }
    }
  }

  /**
   * A lock-free FIFO of marks linked through {@link ExpiryMark#next} (Michael and Scott's queue): the head
   * is the mark taken last (at first a placeholder), the marks after it are pending. A mark taken before
   * that is linked to itself; a lagging tail that meets one goes on from the head.
   */
  private static final class Lane {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        HEAD = lookup.findVarHandle(Lane.class, "head", ExpiryMark.class);
        TAIL = lookup.findVarHandle(Lane.class, "tail", ExpiryMark.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    volatile ExpiryMark head;
    volatile ExpiryMark tail;

    Lane() {
      ExpiryMark placeholder = new ExpiryMark(Long.MIN_VALUE, 0, null, 0);
      head = placeholder;
      tail = placeholder;
    }

    /** The last mark appended (or the placeholder); never null. Moves a lagging tail up to it. */
    ExpiryMark last() {
      ExpiryMark hint = tail;
      ExpiryMark t = hint;
      for (ExpiryMark next = t.next; next != null; next = t.next) {
        // A self-link: the tail lagged behind a mark already taken and unlinked; go on from the head.
        t = next == t ? head : next;
      }
      if (t != hint) {
        TAIL.compareAndSet(this, hint, t); // only forward: it fails if another thread moved the tail
      }
      return t;
    }

    /** Appends {@code mark} right after {@code last}; false if another mark was appended there first. */
    boolean append(ExpiryMark last, ExpiryMark mark) {
      if (!ExpiryMark.NEXT.compareAndSet(last, null, mark)) {
        return false;
      }
      TAIL.compareAndSet(this, last, mark); // a hint only: last() follows the links from an older tail
      return true;
    }

    /**
     * Takes {@code first}, the mark after {@code head}; false if another reclaimer took it first. The old
     * head is then linked to itself (as {@code ConcurrentLinkedQueue} unlinks its nodes): left pointing at its
     * successor, a taken mark that reached the old generation would keep every mark appended after it alive
     * through young collections, which then copy that whole chain one mark at a time (pauses of 100 ms and
     * more, measured in the event benchmark).
     */
    boolean advance(ExpiryMark head, ExpiryMark first) {
      if (!HEAD.compareAndSet(this, head, first)) {
        return false;
      }
      ExpiryMark.NEXT.setRelease(head, head);
      return true;
    }
  }

  /**
   * When a key expires, in primitive fields so that comparisons read longs, not objects. The version makes
   * every mark in the skip list distinct (versions are unique per store).
   */
  private static final class ExpiryMark implements Comparable<ExpiryMark> {
    static final VarHandle NEXT;

    static {
      try {
        NEXT = MethodHandles.lookup().findVarHandle(ExpiryMark.class, "next", ExpiryMark.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long seconds;
    final int nanos;
    final long version;
    final String key;
    /** Set when a reclaimer takes the mark: a write that finds it set gives its slot a new mark. */
    volatile boolean taken;
    /** The next mark in its lane: null, then its successor once one is appended, then itself once taken. */
    volatile ExpiryMark next;

    ExpiryMark(Instant expiresAt, String key, long version) {
      this(expiresAt.getEpochSecond(), expiresAt.getNano(), key, version);
    }

    ExpiryMark(long seconds, int nanos, String key, long version) {
      this.seconds = seconds;
      this.nanos = nanos;
      this.key = key;
      this.version = version;
    }

    /** Whether this mark is due no later than {@code expiresAt} (null: never). */
    boolean isNotAfter(Instant expiresAt) {
      if (expiresAt == null) {
        return false;
      }
      long at = expiresAt.getEpochSecond();
      return seconds < at || seconds == at && nanos <= expiresAt.getNano();
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
