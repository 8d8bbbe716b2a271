package ai.chatops.access.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets by key: each holds up to {@code capacity} tokens and refills {@code capacity} tokens per
 * {@code period}, continuously. Arithmetic is exact (a token is {@code period} millis worth of units), driven
 * by the caller's clock readings. Memory is bounded: a bucket that has refilled completely is the same as no
 * bucket and is dropped, and beyond {@code maxBuckets} the least recently used bucket is dropped (its owner
 * starts afresh). Thread-safe.
 */
public final class RateLimiter implements Buckets {
  private final int capacity;
  private final long periodMillis;
  private final int maxBuckets;
  private final LinkedHashMap<String, long[]> buckets = new LinkedHashMap<>(16, 0.75f, true);

  public RateLimiter(int capacity, Duration period, int maxBuckets) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a rate limit's capacity must be at least 1 but was " + capacity);
    }
    if (period.toMillis() < 1) {
      throw new IllegalArgumentException("a rate limit's period must be at least 1 ms but was " + period);
    }
    this.capacity = capacity;
    this.periodMillis = period.toMillis();
    this.maxBuckets = maxBuckets;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public Duration period() {
    return Duration.ofMillis(periodMillis);
  }

  /**
   * Takes a token from the bucket of {@code key} at {@code nowMillis}.
   *
   * @return 0 if a token was taken, else how many millis until one is available
   */
  @Override
  public synchronized long tryTake(String key, long nowMillis) {
    evictIdle(nowMillis);
    long full = capacity * periodMillis;
    long[] bucket = buckets.get(key); // {units, last refill millis}
    long units = bucket == null ? full : Math.min(full, bucket[0] + refill(bucket[1], nowMillis));
    if (units < periodMillis) {
      if (bucket != null) {
        bucket[0] = units;
        bucket[1] = Math.max(bucket[1], nowMillis);
      }
      return (periodMillis - units + capacity - 1) / capacity;
    }
    if (bucket == null) {
      bucket = new long[2];
      buckets.put(key, bucket);
      if (buckets.size() > maxBuckets) {
        Iterator<String> eldest = buckets.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    }
    bucket[0] = units - periodMillis;
    bucket[1] = Math.max(bucket[1], nowMillis);
    return 0;
  }

  @Override
  public void giveBack(String key, long nowMillis) {
    giveBack(key);
  }

  /** Gives back a token taken by {@link #tryTake} when the request was refused by another limit. */
  public synchronized void giveBack(String key) {
    long[] bucket = buckets.get(key);
    if (bucket != null) {
      bucket[0] = Math.min(capacity * periodMillis, bucket[0] + periodMillis);
    }
  }

  /** How many buckets are held; for tests of the memory bound. */
  public synchronized int size() {
    return buckets.size();
  }

  private long refill(long lastMillis, long nowMillis) {
    long elapsed = Math.max(0, nowMillis - lastMillis);
    // capped so that the product cannot overflow; a full bucket needs at most periodMillis of elapsed time
    return Math.min(elapsed, periodMillis) * capacity;
  }

  /** Drops up to two least recently used buckets that have refilled completely: amortised, no sweep. */
  private void evictIdle(long nowMillis) {
    long full = capacity * periodMillis;
    Iterator<Map.Entry<String, long[]>> it = buckets.entrySet().iterator();
    for (int i = 0; i < 2 && it.hasNext(); i++) {
      long[] bucket = it.next().getValue();
      if (bucket[0] + refill(bucket[1], nowMillis) >= full) {
        it.remove();
      } else {
        return;
      }
    }
  }
}
