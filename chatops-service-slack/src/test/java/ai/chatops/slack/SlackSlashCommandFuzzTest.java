package ai.chatops.slack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes slash command forms: any bytes as an {@code application/x-www-form-urlencoded} body, correctly
 * signed. Seeds under {@code SlackSlashCommandFuzzTestInputs/slashCommandForm}; the check is
 * {@link SlackFuzzing#check}.
 */
class SlackSlashCommandFuzzTest {
  private static final SlackFuzzing FUZZING = new SlackFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = SlackFuzzing.DURATION)
  void slashCommandForm(byte[] body) {
    FUZZING.check(FUZZING.signed("application/x-www-form-urlencoded", body));
  }
}
