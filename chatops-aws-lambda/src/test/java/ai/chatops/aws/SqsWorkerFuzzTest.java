package ai.chatops.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the SQS worker with any message body: a queued event is decoded from JSON a stranger can influence
 * (the event's text, ids and raw payload came from the chat platform). The worker must never throw; a body
 * that is not a queued event must be reported as the batch's failure (so SQS moves it to the dead-letter
 * queue) and nothing else. Seeds under {@code SqsWorkerFuzzTestInputs/sqsMessageBody}.
 */
class SqsWorkerFuzzTest {
  private static final EventRouter ROUTER = EventRouter.builder()
      .service(new LambdaFuzzing.DroppingService())
      .plugin(BotPlugin.create())
      .drainTimeout(Duration.ZERO)
      .build();
  private static final SqsWorker WORKER = SqsWorker.create(() -> ROUTER);

  @AfterAll
  static void closeRouter() {
    ROUTER.close();
  }

  @FuzzTest(maxDuration = LambdaFuzzing.DURATION)
  void sqsMessageBody(byte[] body) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId("m1");
    message.setBody(new String(body, StandardCharsets.UTF_8));
    SQSEvent batch = new SQSEvent();
    batch.setRecords(List.of(message));

    SQSBatchResponse response = WORKER.handle(batch);

    assertThat(response.getBatchItemFailures()).allSatisfy(f -> assertThat(f.getItemIdentifier()).isEqualTo("m1"));
  }
}
