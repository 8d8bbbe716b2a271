package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {
  @Test
  void returnsAtOnceWhenTheConditionAlreadyHolds() {
    AtomicInteger checks = new AtomicInteger();

    Wait.until(Duration.ofSeconds(10), () -> checks.incrementAndGet() > 0);

    assertThat(checks).hasValue(1);
  }

  @Test
  void returnsOnceWorkOnAnotherThreadShowsItsEffect() {
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<Void> work = CompletableFuture.runAsync(() -> done.set(true));

    Wait.until("the work to finish", Duration.ofSeconds(10), done::get);

    assertThat(work).succeedsWithin(Duration.ofSeconds(10));
  }

  @Test
  void failsNamingWhatItWaitedForAndForHowLong() {
    assertThatThrownBy(() -> Wait.until("the follow-up to be recorded", Duration.ofMillis(50), () -> false))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage("timed out after 50 ms waiting for the follow-up to be recorded");
    assertThatThrownBy(() -> Wait.until(Duration.ofSeconds(1), () -> false))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage("timed out after 1 s waiting for the condition");
  }

  @Test
  void refusesATimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> Wait.until(Duration.ZERO, () -> true))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive but was PT0S");
  }
}
