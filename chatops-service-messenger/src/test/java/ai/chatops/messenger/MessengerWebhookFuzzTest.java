package ai.chatops.messenger;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the batch parser: any bytes as the body of a delivery signed with the app secret, so that the
 * fuzzer gets past the signature into the parser. Seeds under {@code
 * MessengerWebhookFuzzTestInputs/webhookBody}; the check is {@link MessengerFuzzing#check}.
 */
class MessengerWebhookFuzzTest {
  private static final MessengerFuzzing FUZZING = new MessengerFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = MessengerFuzzing.DURATION)
  void webhookBody(byte[] body) {
    FUZZING.check(Meta.post(Meta.sign(Meta.APP_SECRET, body), body));
  }
}
