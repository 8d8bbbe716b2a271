package ai.chatops.access.internal;

import ai.chatops.internal.Keys;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets counted in the {@link Store}, so that every router sharing the store draws from one bucket per
 * key: N instances allow the limit once, not N times. The arithmetic is {@link RateLimiter}'s (exact units, a
 * token is {@code period} millis worth), each bucket one record updated with compare-and-set and retried on a
 * conflict; a bucket expires once it would have refilled completely, so idle users cost nothing. When the store
 * fails, the call is counted in this router's memory instead (the limit then holds per router, as before) and a
 * warning logged; a bucket that stays contended past many retries refuses the call for a second, so the shared
 * limit is never exceeded. Thread-safe.
 *
 * <p>Layout: key {@code ratelimit/<scope>/<sha256(scope, key)>}, value {@code <units> <last refill millis>} in
 * ASCII.
 */
final class SharedRateLimiter implements Buckets {
  private static final Logger log = LoggerFactory.getLogger(SharedRateLimiter.class);
  static final String PREFIX = "ratelimit/";
  private static final int ATTEMPTS = 16;
  /** The wait told when a bucket stays contended: other calls are drawing on it right now. */
  private static final long CONTENDED_WAIT_MILLIS = 1000;

  private final Store store;
  private final String scope;
  private final RateLimiter fallback;
  private final int capacity;
  private final long periodMillis;

  /** @param scope names the limit in the keys, such as {@code user} or {@code route} */
  SharedRateLimiter(Store store, String scope, RateLimiter fallback) {
    this.store = store;
    this.scope = scope;
    this.fallback = fallback;
    this.capacity = fallback.capacity();
    this.periodMillis = fallback.period().toMillis();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public Duration period() {
    return fallback.period();
  }

  @Override
  public long tryTake(String key, long nowMillis) {
    String storeKey = storeKey(key);
    long full = capacity * periodMillis;
    try {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        Optional<StoreEntry> stored = store.get(storeKey);
        long units = stored.map(e -> refilled(e.value(), nowMillis, full)).orElse(full);
        if (units < periodMillis) {
          return (periodMillis - units + capacity - 1) / capacity;
        }
        byte[] next = encode(units - periodMillis, nowMillis);
        Instant expiresAt = expiry(units - periodMillis, nowMillis);
        boolean written = stored.isEmpty()
            ? store.putIfAbsent(storeKey, next, expiresAt)
            : store.compareAndSet(storeKey, stored.get().version(), next, expiresAt);
        if (written) {
          return 0;
        }
      }
      log.warn("rate limit {}: its bucket stayed contended for {} attempts; refusing this call", scope, ATTEMPTS);
      return CONTENDED_WAIT_MILLIS;
    } catch (RuntimeException e) {
      log.warn("rate limit {}: the store failed ({}); counting this call in memory", scope, e.toString());
    }
    return fallback.tryTake(key, nowMillis);
  }

  /** Best effort: a store that fails gives the token back in memory. */
  @Override
  public void giveBack(String key, long nowMillis) {
    String storeKey = storeKey(key);
    long full = capacity * periodMillis;
    try {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        Optional<StoreEntry> stored = store.get(storeKey);
        if (stored.isEmpty()) {
          return; // refilled completely already
        }
        long units = Math.min(full, refilled(stored.get().value(), nowMillis, full) + periodMillis);
        if (store.compareAndSet(storeKey, stored.get().version(), encode(units, nowMillis),
            expiry(units, nowMillis))) {
          return;
        }
      }
    } catch (RuntimeException e) {
      log.warn("rate limit {}: could not give a token back: {}", scope, e.toString());
    }
    fallback.giveBack(key);
  }

  /** When the bucket, holding {@code units} at {@code nowMillis}, has refilled completely: it is then no bucket. */
  private Instant expiry(long units, long nowMillis) {
    long missing = capacity * periodMillis - units;
    return Instant.ofEpochMilli(nowMillis + (missing + capacity - 1) / capacity + 1);
  }

  private long refilled(byte[] value, long nowMillis, long full) {
    String[] parts = new String(value, StandardCharsets.US_ASCII).split(" ", 2);
    try {
      long units = Long.parseLong(parts[0]);
      long last = Long.parseLong(parts[1]);
      long elapsed = Math.min(Math.max(0, nowMillis - last), periodMillis);
      return Math.max(0, Math.min(full, units + elapsed * capacity));
    } catch (RuntimeException e) {
      return full; // unreadable: as if there were no bucket
    }
  }

  private static byte[] encode(long units, long nowMillis) {
    return (units + " " + nowMillis).getBytes(StandardCharsets.US_ASCII);
  }

  private String storeKey(String key) {
    return Keys.hashed("ratelimit", scope, scope, key);
  }
}
