package ai.chatops.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that the harness moves forward, so that the router's dedupe records expire as they would under a
 * steady stream of events, without waiting. Thread-safe. Unlike {@code ai.chatops.test.MutableClock} it
 * allocates nothing when moved or read, which matters inside a measured loop.
 */
final class MutableClock extends Clock {
  private final AtomicLong millis;
  private final ZoneId zone;

  MutableClock(long startMillis) {
    this(new AtomicLong(startMillis), ZoneOffset.UTC);
  }

  private MutableClock(AtomicLong millis, ZoneId zone) {
    this.millis = millis;
    this.zone = zone;
  }

  void advanceMillis(long delta) {
    millis.addAndGet(delta);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A clock in {@code newZone} that shares this clock's time. */
  @Override
  public Clock withZone(ZoneId newZone) {
    return new MutableClock(millis, newZone);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }
}
