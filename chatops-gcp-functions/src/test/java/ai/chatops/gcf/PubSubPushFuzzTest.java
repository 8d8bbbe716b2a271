package ai.chatops.gcf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.plugin.BotPlugin;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the Pub/Sub push worker: with a first byte of 0 the rest is the whole push body (the envelope); with
 * any other first byte the rest is the message's data inside a well-formed envelope, so that the fuzzer
 * reaches the queued-event decoder. A push must be answered 204, 400 or 409, never with an exception; 204
 * only for a decodable event. Seeds under {@code PubSubPushFuzzTestInputs/push}.
 */
class PubSubPushFuzzTest {
  private static final String TOKEN = "fuzz-verification-token-0123456789";
  private static final Set<Integer> STATUSES = Set.of(204, 400, 409);
  private static final EventRouter ROUTER = EventRouter.builder()
      .service(new GcfFuzzing.DroppingService())
      .plugin(BotPlugin.create())
      .drainTimeout(Duration.ZERO)
      .build();
  private static final PubSubPushWorker WORKER = PubSubPushWorker.create(() -> ROUTER, TOKEN);

  @AfterAll
  static void closeRouter() {
    ROUTER.close();
  }

  @FuzzTest(maxDuration = GcfFuzzing.DURATION)
  void push(byte[] input) {
    byte[] body;
    if (input.length > 0 && input[0] == 0) {
      body = Arrays.copyOfRange(input, 1, input.length);
    } else {
      byte[] data = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
      body = ("{\"message\":{\"messageId\":\"m1\",\"data\":\"" + Base64.getEncoder().encodeToString(data)
          + "\"},\"subscription\":\"projects/p/subscriptions/s\"}").getBytes(StandardCharsets.UTF_8);
    }
    WebhookRequest request = WebhookRequest.builder("POST", "/").query("token=" + TOKEN).body(body).build();

    int status = WORKER.handle(request).status();

    assertThat(status).isIn(STATUSES);
  }
}
