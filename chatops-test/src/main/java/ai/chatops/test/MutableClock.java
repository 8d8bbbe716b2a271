package ai.chatops.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it. Pass it to the code under test instead of the
 * system clock, then {@link #advance} it to make timestamps go stale and entries expire, without waiting.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
 * Store store = InMemoryStore.create(clock);
 * store.put("k", value, clock.instant().plusSeconds(60));
 * clock.advance(Duration.ofMinutes(1)); // "k" has now expired
 * }</pre>
 *
 * <p>Thread-safe: one test thread may move the clock while other threads read it. Clocks from
 * {@link #withZone} share this clock's time, so moving one moves them all.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Creates a clock in UTC that shows {@code instant} until moved. */
  public static MutableClock at(Instant instant) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(instant, "instant == null")),
        ZoneOffset.UTC);
  }

  /** Moves the clock forward by {@code duration}, which must not be negative. */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration == null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "duration must not be negative but was " + duration + ": use set(Instant) to go back in time");
    }
    now.updateAndGet(current -> current.plus(duration));
  }

  /** Sets the clock to {@code instant}, forward or back. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant == null"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A clock in {@code zone} that shares this clock's time. */
  @Override
  public MutableClock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone, "zone == null"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "," + zone + "]";
  }
}
