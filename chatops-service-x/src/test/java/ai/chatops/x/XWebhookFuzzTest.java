package ai.chatops.x;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the Account Activity parser: any bytes as the body of a delivery signed with the consumer secret,
 * so that the fuzzer gets past the signature into the parser. Seeds under {@code
 * XWebhookFuzzTestInputs/webhookBody}; the check is {@link XFuzzing#check}.
 */
class XWebhookFuzzTest {
  private static final XFuzzing FUZZING = new XFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = XFuzzing.DURATION)
  void webhookBody(byte[] body) {
    FUZZING.check(XApi.post(XApi.sign(XApi.CONSUMER_SECRET, body), body));
  }
}
