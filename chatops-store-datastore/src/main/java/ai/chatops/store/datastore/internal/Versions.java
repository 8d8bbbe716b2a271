package ai.chatops.store.datastore.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues entry versions: microseconds since the epoch on the wall clock, strictly increasing within this
 * process. A version taken from time survives what a counter stored in the entity cannot: the entity
 * vanishing (deleted, or removed by a TTL policy) and the key being written again.
 *
 * <p>Thread-safe.
 */
public final class Versions {
  private final Clock wallClock;
  private final AtomicLong last = new AtomicLong();

  public Versions(Clock wallClock) {
    this.wallClock = wallClock;
  }

  /** A version greater than every one this object issued before and than {@code floor}. */
  public long nextAbove(long floor) {
    Instant now = wallClock.instant();
    long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
    return last.accumulateAndGet(Math.max(micros, floor + 1), (previous, candidate) ->
        Math.max(previous + 1, candidate));
  }
}
