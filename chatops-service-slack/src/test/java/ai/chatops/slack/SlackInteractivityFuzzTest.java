package ai.chatops.slack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the interactivity {@code payload} form field: any text as the field, URL-encoded and correctly
 * signed. Seeds under {@code SlackInteractivityFuzzTestInputs/interactivityPayload}; the check is
 * {@link SlackFuzzing#check}.
 */
class SlackInteractivityFuzzTest {
  private static final SlackFuzzing FUZZING = new SlackFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = SlackFuzzing.DURATION)
  void interactivityPayload(byte[] payload) {
    String form = "payload=" + URLEncoder.encode(new String(payload, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    FUZZING.check(FUZZING.signed("application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8)));
  }
}
