package ai.chatops.x;

import ai.chatops.WebhookRequest;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the challenge-response check: any query string on {@code GET /x/webhook}. Seeds under {@code
 * XCrcFuzzTestInputs/crcQuery}; the check is {@link XFuzzing#check}.
 */
class XCrcFuzzTest {
  private static final XFuzzing FUZZING = new XFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = XFuzzing.DURATION)
  void crcQuery(String query) {
    if (query == null) {
      return; // Jazzer's null: a request always has a query string, perhaps empty
    }
    FUZZING.check(WebhookRequest.builder("GET", "/x/webhook").query(query).build());
  }
}
