package ai.chatops.access.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Token buckets driven by explicit clock readings: no sleeping, exact arithmetic. */
class RateLimiterTest {
  @Test
  void allowsABurstOfCapacityThenRefillsContinuously() {
    RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), 100);
    assertThat(limiter.tryTake("U1", 0)).isZero();
    assertThat(limiter.tryTake("U1", 0)).isZero();
    assertThat(limiter.tryTake("U1", 0)).isZero();
    assertThat(limiter.tryTake("U1", 0)).isEqualTo(20_000); // one token per 20 s
    assertThat(limiter.tryTake("U1", 19_999)).isEqualTo(1);
    assertThat(limiter.tryTake("U1", 20_000)).isZero();
    assertThat(limiter.tryTake("U1", 20_000)).isEqualTo(20_000);
    assertThat(limiter.tryTake("U2", 20_000)).isZero(); // buckets are per key
  }

  @Test
  void neverHoldsMoreThanCapacityHoweverLongTheIdleTime() {
    RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(10), 100);
    limiter.tryTake("U1", 0);
    long later = 1_000_000_000L;
    assertThat(limiter.tryTake("U1", later)).isZero();
    assertThat(limiter.tryTake("U1", later)).isZero();
    assertThat(limiter.tryTake("U1", later)).isEqualTo(5_000);
  }

  @Test
  void givesBackATokenTakenForARequestAnotherLimitRefused() {
    RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(10), 100);
    assertThat(limiter.tryTake("U1", 0)).isZero();
    limiter.giveBack("U1");
    assertThat(limiter.tryTake("U1", 0)).isZero();
    assertThat(limiter.tryTake("U1", 0)).isEqualTo(10_000);
  }

  @Test
  void dropsBucketsThatRefilledSoIdleUsersCostNothing() {
    RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(10), 1000);
    for (int i = 0; i < 100; i++) {
      limiter.tryTake("U" + i, i);
    }
    assertThat(limiter.size()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      limiter.tryTake("V" + i, 20_000 + i); // everyone of the first wave has refilled by now
    }
    assertThat(limiter.size()).isEqualTo(100);
  }

  @Test
  void aFloodOfDistinctUserIdsStaysWithinTheBucketBound() {
    RateLimiter limiter = new RateLimiter(5, Duration.ofHours(1), 1000);
    for (int i = 0; i < 100_000; i++) {
      assertThat(limiter.tryTake("stranger-" + i, 0)).isZero();
    }
    assertThat(limiter.size()).isEqualTo(1000);
  }

  @Test
  void refusesNonsenseLimits() {
    assertThatThrownBy(() -> new RateLimiter(0, Duration.ofSeconds(1), 10))
        .hasMessage("a rate limit's capacity must be at least 1 but was 0");
    assertThatThrownBy(() -> new RateLimiter(1, Duration.ofNanos(10), 10))
        .hasMessage("a rate limit's period must be at least 1 ms but was PT0.00000001S");
  }
}
