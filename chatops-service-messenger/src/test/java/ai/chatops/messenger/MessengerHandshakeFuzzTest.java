package ai.chatops.messenger;

import ai.chatops.WebhookRequest;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the verification handshake: any query string on {@code GET /messenger/webhook}. Seeds under
 * {@code MessengerHandshakeFuzzTestInputs/handshakeQuery}; the check is {@link MessengerFuzzing#check}.
 */
class MessengerHandshakeFuzzTest {
  private static final MessengerFuzzing FUZZING = new MessengerFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = MessengerFuzzing.DURATION)
  void handshakeQuery(String query) {
    if (query == null) {
      return; // Jazzer's null: a request always has a query string, perhaps empty
    }
    FUZZING.check(WebhookRequest.builder("GET", "/messenger/webhook").query(query).build());
  }
}
