package ai.chatops.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Byte values under string keys, with versions for compare-and-set and an optional expiry per entry. The
 * router keeps deduplication records, conversations, follow-ups, configuration and audit entries here.
 *
 * <p>Contract, for every implementation (the {@code StoreContract} suite in {@code chatops-test} checks it):
 * <ul>
 *   <li>Keys are non-empty strings of at most {@link #MAX_KEY_LENGTH} characters; values are non-null byte
 *       arrays (possibly empty), copied in and out.
 *   <li>Every successful write gives the entry a new version, greater than any version the key had before;
 *       the first write of a key gives version 1 or more.
 *   <li>An entry whose expiry is at or before the store's current time is absent for every operation, even
 *       if the backend has not deleted it yet. A {@code null} expiry means the entry never expires.
 *   <li>{@link #putIfAbsent} and {@link #compareAndSet} are atomic: of two callers racing on the same key,
 *       exactly one succeeds.
 *   <li>Failures of the backend surface as {@link ai.chatops.StoreUnavailableException}; invalid arguments
 *       as {@link IllegalArgumentException} or {@link NullPointerException}.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {
  /** The longest key any store accepts. */
  int MAX_KEY_LENGTH = 512;

  /** The live entry under {@code key}, or empty if there is none or it has expired. */
  Optional<StoreEntry> get(String key);

  /**
   * Writes {@code value} under {@code key}, replacing any entry.
   *
   * @param expiresAt when the entry expires, or {@code null} for never
   * @return the new version
   */
  long put(String key, byte[] value, Instant expiresAt);

  /**
   * Writes {@code value} only if no live entry exists under {@code key}.
   *
   * <p>The default is {@link #putIfAbsentVersioned} without the version: a store that knows the version it
   * writes implements that method alone. The two defaults call each other, so every implementation
   * overrides at least one of them; a store written before {@code putIfAbsentVersioned} existed overrides
   * this one.
   *
   * @param expiresAt when the entry expires, or {@code null} for never
   * @return true if this call created the entry
   */
  default boolean putIfAbsent(String key, byte[] value, Instant expiresAt) {
    return putIfAbsentVersioned(key, value, expiresAt).isPresent();
  }

  /**
   * Writes {@code value} only if no live entry exists under {@code key}, as {@link #putIfAbsent} does, and
   * tells the version the new entry got, so that the caller can later replace its own write with a single
   * {@link #compareAndSet} instead of reading it back first.
   *
   * <p>The default, for stores that override only {@code putIfAbsent}, calls it and then {@link #get}: two
   * operations, and should another write replace the new entry between them, it returns 0 (created, version
   * unknown), with which no compare-and-set succeeds. Implementations that know the version they write
   * override this method with one operation and inherit {@code putIfAbsent}.
   *
   * @param expiresAt when the entry expires, or {@code null} for never
   * @return the new entry's version (or 0 when it is unknown) if this call created the entry; empty if a
   *     live entry existed and nothing was written
   * @throws UnsupportedOperationException when the implementation overrides neither this method nor
   *     {@code putIfAbsent}, instead of the endless recursion of the two defaults
   */
  default OptionalLong putIfAbsentVersioned(String key, byte[] value, Instant expiresAt) {
    DefaultPutIfAbsent.requireOverride(getClass());
    if (!putIfAbsent(key, value, expiresAt)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(get(key).filter(e -> Arrays.equals(e.value(), value))
        .map(StoreEntry::version).orElse(0L));
  }

  /**
   * Replaces the entry under {@code key} only if it is live and its version is {@code expectedVersion}.
   *
   * @param expiresAt when the new entry expires, or {@code null} for never
   * @return true if this call replaced the entry
   */
  boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt);

  /**
   * Replaces the entry as {@link #compareAndSet} does, and tells the version the new entry got, so that the
   * caller's next compare-and-set on its own write needs no read first.
   *
   * <p>The default calls {@code compareAndSet} and then {@link #get}: two operations, and should another
   * write replace the entry between them, it returns 0 (replaced, version unknown), with which no
   * compare-and-set succeeds. Implementations that know the version they write override it with one
   * operation.
   *
   * @param expiresAt when the new entry expires, or {@code null} for never
   * @return the new entry's version (or 0 when it is unknown) if this call replaced the entry; empty if it
   *     did not
   */
  default OptionalLong compareAndSetVersioned(String key, long expectedVersion, byte[] value, Instant expiresAt) {
    if (!compareAndSet(key, expectedVersion, value, expiresAt)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(get(key).filter(e -> Arrays.equals(e.value(), value))
        .map(StoreEntry::version).orElse(0L));
  }

  /**
   * Removes the entry under {@code key}.
   *
   * @return true if a live entry was removed
   */
  boolean delete(String key);

  /**
   * Lists live entries whose key starts with {@code prefix}, in ascending key order, one page at a time.
   * An empty prefix lists every entry. Keys made of ASCII characters sort the same in every store; the
   * order of other characters is the backend's (UTF-16 code units in memory, UTF-8 bytes elsewhere).
   *
   * <p>A page may hold fewer than {@code limit} entries, even none, while more follow (a backend may skip
   * expired entries after reading a page); only an empty {@link StorePage#nextCursor()} ends the listing.
   *
   * @param prefix the start every listed key has, possibly empty
   * @param cursor the {@link StorePage#nextCursor()} of the previous page of the same prefix, or
   *     {@code null} for the first; opaque to callers
   * @param limit the largest number of entries to return, at least 1
   */
  StorePage list(String prefix, String cursor, int limit);

  /**
   * Checks a key as the contract requires; for implementations, so that every store refuses the same keys
   * with the same message.
   *
   * @return the key
   * @throws NullPointerException for a null key
   * @throws IllegalArgumentException for an empty key or one longer than {@link #MAX_KEY_LENGTH}
   */
  static String checkKey(String key) {
    java.util.Objects.requireNonNull(key, "key == null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("key must be at most " + MAX_KEY_LENGTH + " characters but was "
          + key.length() + ": \"" + key.substring(0, 40) + "...\"");
    }
    return key;
  }

  /**
   * A copy of a value, refusing null; for implementations, which copy values in and out.
   *
   * @throws NullPointerException for a null value
   */
  static byte[] copyValue(byte[] value) {
    return java.util.Objects.requireNonNull(value, "value == null").clone();
  }

  /** Releases the store's resources. The default does nothing. */
  @Override
  default void close() {}
}
