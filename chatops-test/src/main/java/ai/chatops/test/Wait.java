package ai.chatops.test;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.pollinterval.IterativePollInterval;
import org.awaitility.pollinterval.PollInterval;

/**
 * Waits in a test until asynchronous work shows its effect, instead of sleeping for a guessed time: the
 * condition is checked at once, again after 1 ms, and then at doubling intervals up to every 100 ms, and the
 * wait ends as soon as it holds.
 *
 * <pre>{@code
 * router.handle(request);
 * Wait.until("the follow-up to be recorded", Duration.ofSeconds(10),
 *     () -> !store.list("followup/", null, 1).entries().isEmpty());
 * }</pre>
 *
 * <p>Prefer a direct signal when there is one ({@code EventRouter.awaitIdle}, a {@code RecordingService}
 * reply); this is for state that only polling can see. Built on Awaitility, which tests may also use
 * directly for anything more elaborate. Thread-safe: it keeps no state.
 */
public final class Wait {
  /**
   * Short at first, so quick work is seen at once; longer later, so a condition that queries a server (a
   * store emulator) does not load the machine the work under test runs on.
   */
  private static final PollInterval POLLS = IterativePollInterval.iterative(
      previous -> previous.multipliedBy(2).compareTo(Duration.ofMillis(100)) > 0
          ? Duration.ofMillis(100) : previous.multipliedBy(2),
      Duration.ofMillis(1));

  private Wait() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @throws AssertionError when it still does not hold after {@code timeout}
   */
  public static void until(Duration timeout, BooleanSupplier condition) {
    until("the condition", timeout, condition);
  }

  /**
   * Returns once {@code condition} holds; {@code what} describes it for the failure message, as in
   * {@code "timed out after 10 s waiting for the follow-up to be recorded"}.
   *
   * @throws AssertionError when it still does not hold after {@code timeout}
   * @throws IllegalArgumentException when the timeout is not positive
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(condition, "condition");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(POLLS)
          .pollInSameThread()
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out after " + shown(timeout) + " waiting for " + what, e);
    }
  }

  private static String shown(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
