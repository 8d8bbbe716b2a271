package ai.chatops.toolkit;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues entry versions for backends that keep no counter of their own: microseconds since the epoch on the
 * wall clock, strictly increasing within this process. A version taken from time survives what a counter
 * stored in the entry cannot: the entry vanishing (deleted, or removed by a TTL) and the key being written
 * again.
 *
 * <p>For {@link ai.chatops.store.Store} implementations; thread-safe.
 */
public final class WallClockVersions {
  private final Clock wallClock;
  private final AtomicLong last = new AtomicLong();

  public WallClockVersions(Clock wallClock) {
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
