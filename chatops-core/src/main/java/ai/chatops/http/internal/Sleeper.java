package ai.chatops.http.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits between attempts; replaced in tests so that backoff can be observed without waiting. */
@FunctionalInterface
public interface Sleeper {
  /** The sleeper that blocks the calling thread. */
  Sleeper SYSTEM = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

  /** Blocks for the given duration. */
  void sleep(Duration duration) throws InterruptedException;
}
