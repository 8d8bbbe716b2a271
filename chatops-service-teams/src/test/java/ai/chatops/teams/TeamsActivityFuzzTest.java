package ai.chatops.teams;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the activity parser: any bytes as the body of a request whose token is valid, so that the fuzzer
 * gets past the token into the parser (the seeds carry the stand-in's serviceUrl, {@code http://127.0.0.1}).
 * Seeds under {@code TeamsActivityFuzzTestInputs/activityBody}; the check is {@link TeamsFuzzing#check}.
 */
class TeamsActivityFuzzTest {
  private static final TeamsFuzzing FUZZING = new TeamsFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = TeamsFuzzing.DURATION)
  void activityBody(byte[] body) {
    String serviceUrl = FUZZING.bf.serviceUrl();
    // The seeds name the serviceUrl as SERVICE_URL: the stand-in's port changes from run to run.
    String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] bytes = text.contains("SERVICE_URL")
        ? text.replace("SERVICE_URL", serviceUrl).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1) : body;
    FUZZING.check(FUZZING.request("Bearer " + FUZZING.token, bytes));
  }
}
