package ai.chatops.slack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes Events API bodies: any bytes as an {@code application/json} body, correctly signed. Seeds under
 * {@code SlackEventsFuzzTestInputs/eventsBody}; the check is {@link SlackFuzzing#check}.
 */
class SlackEventsFuzzTest {
  private static final SlackFuzzing FUZZING = new SlackFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = SlackFuzzing.DURATION)
  void eventsBody(byte[] body) {
    FUZZING.check(FUZZING.signed("application/json", body));
  }
}
