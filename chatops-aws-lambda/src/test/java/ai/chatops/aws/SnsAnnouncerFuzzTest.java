package ai.chatops.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.service.Conversation;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes SNS notifications (a CloudWatch alarm's JSON or any message and subject a publisher to the topic
 * chose): announcing one must never throw. Seeds under {@code SnsAnnouncerFuzzTestInputs/snsNotification}.
 */
class SnsAnnouncerFuzzTest {
  private static final SnsAnnouncer ANNOUNCER = SnsAnnouncer.toConversation(new LambdaFuzzing.DroppingService(),
      Conversation.of("test", "W1", "C-ops"));

  @FuzzTest(maxDuration = LambdaFuzzing.DURATION)
  void snsNotification(FuzzedDataProvider data) {
    SNSEvent.SNS sns = new SNSEvent.SNS().withMessageId("n1")
        .withSubject(data.consumeBoolean() ? null : data.consumeString(100))
        .withMessage(data.consumeBoolean() ? null : data.consumeRemainingAsString());
    SNSEvent event = new SNSEvent().withRecords(List.of(new SNSEvent.SNSRecord().withSns(sns)));

    ANNOUNCER.handle(event);

    assertThat(SnsAnnouncer.reply(sns).text()).isNotNull();
  }
}
