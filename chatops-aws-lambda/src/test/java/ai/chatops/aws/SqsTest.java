package ai.chatops.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ChatOpsException;
import ai.chatops.EventRouter;
import ai.chatops.toolkit.QueuedEventJson;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.ChatEvent;
import ai.chatops.store.InMemoryStore;
import ai.chatops.test.RecordingService;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue path: API Gateway → ack router → SQS (a fake speaking its JSON protocol) → worker router. */
class SqsTest {
  private final FakeSqs sqs = new FakeSqs();
  private final InMemoryStore store = InMemoryStore.create();
  private final RecordingService ackChat = RecordingService.create();
  private final RecordingService workerChat = RecordingService.create();
  private final List<EventRouter> routers = new ArrayList<>();

  @AfterEach
  void close() {
    routers.forEach(EventRouter::close);
    sqs.close();
  }

  private EventRouter ackRouter() {
    EventRouter r = EventRouter.builder().service(ackChat).plugin(BotPlugin.create()).store(store)
        .dispatcher(SqsDispatcher.create(sqs.client(), FakeSqs.QUEUE_URL)).build();
    routers.add(r);
    return r;
  }

  private EventRouter workerRouter() {
    EventRouter r = EventRouter.builder().service(workerChat).plugin(BotPlugin.create()).store(store).build();
    routers.add(r);
    return r;
  }

  private static APIGatewayV2HTTPEvent message(String id, String text) {
    return ApiGatewayAdapterTest.httpEvent("POST", "/test/events", text,
        Map.of("x-test-event-id", id, "x-test-user", "U1", "x-test-channel", "C1"));
  }

  /** The documented SQS sample with the given bodies, message ids m1, m2, ... */
  private static SQSEvent batch(String... bodies) {
    SQSEvent sample = Events.load("sqs.json", SQSEvent.class);
    SQSEvent.SQSMessage template = sample.getRecords().get(0);
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (int i = 0; i < bodies.length; i++) {
      SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
      m.setMessageId("m" + (i + 1));
      m.setReceiptHandle(template.getReceiptHandle());
      m.setBody(bodies[i]);
      m.setAttributes(template.getAttributes());
      m.setEventSource(template.getEventSource());
      m.setEventSourceArn(template.getEventSourceArn());
      m.setAwsRegion(template.getAwsRegion());
      records.add(m);
    }
    sample.setRecords(records);
    return sample;
  }

  private static List<String> failedIds(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }

  @Test
  void theDispatcherSendsTheEventAsVersionedJsonWithTheSqsJsonProtocol() {
    ChatEvent event = ChatEvent.builder("test", "E1").workspace("W1").channel("C1").user("U1")
        .text("bot ping").thread("1700.1").time(Instant.parse("2026-01-02T03:04:05Z")).raw("{\"x\":1}").build();

    SqsDispatcher.create(sqs.client(), FakeSqs.QUEUE_URL).accept(event);

    assertThat(sqs.targets).containsExactly("AmazonSQS.SendMessage");
    assertThat(sqs.sent.get(0).path("QueueUrl").asText()).isEqualTo(FakeSqs.QUEUE_URL);
    assertThat(sqs.sent.get(0).has("MessageGroupId")).isFalse();
    ChatEvent back = QueuedEventJson.read(sqs.bodies().get(0));
    assertThat(back.id()).isEqualTo("E1");
    assertThat(back.thread()).contains("1700.1");
    assertThat(back.time()).isEqualTo(event.time());
    assertThat(back.raw()).isEqualTo("{\"x\":1}");
    assertThat(sqs.bodies().get(0)).startsWith("{\"v\":1,");
  }

  @Test
  void onAFifoQueueMessagesOfAChannelShareAGroupAndCarryADeduplicationId() {
    ChatEvent event = ChatEvent.builder("test", "E1").workspace("W1").channel("C1").user("U1").text("x")
        .time(Instant.EPOCH).build();

    SqsDispatcher.create(sqs.client(), FakeSqs.QUEUE_URL + ".fifo").accept(event);

    assertThat(sqs.sent.get(0).path("MessageGroupId").asText()).isEqualTo("test/W1/C1");
    assertThat(sqs.sent.get(0).path("MessageDeduplicationId").asText()).hasSize(64);
  }

  @Test
  void aFailedSendIsAChatOpsExceptionNamingTheEventAndQueue() {
    sqs.failing = true;
    ChatEvent event = ChatEvent.builder("test", "E1").channel("C1").user("U1").text("x").time(Instant.EPOCH).build();

    assertThatThrownBy(() -> SqsDispatcher.create(sqs.client(), FakeSqs.QUEUE_URL).accept(event))
        .isInstanceOf(ChatOpsException.class)
        .hasMessageStartingWith("could not send event test/E1 to the SQS queue " + FakeSqs.QUEUE_URL + ": ");
  }

  @Test
  void whenSqsFailsTheAckRouterAnswers503AndTheRedeliveryIsQueued() {
    ApiGatewayAdapter api = ApiGatewayAdapter.create(this::ackRouterOnce);
    sqs.failing = true;

    assertThat(api.handle(message("E1", "bot ping")).getStatusCode()).isEqualTo(503);
    sqs.failing = false;
    assertThat(api.handle(message("E1", "bot ping")).getStatusCode()).isEqualTo(200);

    assertThat(sqs.bodies()).hasSize(1);
  }

  private EventRouter ackOnce;

  private EventRouter ackRouterOnce() {
    if (ackOnce == null) {
      ackOnce = ackRouter();
    }
    return ackOnce;
  }

  @Test
  void endToEndEachEventIsProcessedOnceAndAPoisonMessageIsReportedAlone() {
    ApiGatewayAdapter api = ApiGatewayAdapter.create(this::ackRouterOnce);
    SqsWorker worker = SqsWorker.create(this::worker);

    assertThat(api.handle(message("E1", "bot ping")).getStatusCode()).isEqualTo(200);
    assertThat(api.handle(message("E1", "bot ping")).getStatusCode()).as("a platform retry").isEqualTo(200);
    assertThat(sqs.bodies()).hasSize(1);
    String queued = sqs.bodies().get(0);

    SQSBatchResponse first = worker.handle(batch(queued, "not json", queued));

    assertThat(failedIds(first)).containsExactly("m2");
    assertThat(workerChat.nextReply().text()).isEqualTo("pong");
    SQSBatchResponse redelivered = worker.handle(batch(queued));
    assertThat(failedIds(redelivered)).isEmpty();
    workerChat.assertNoReply(worker());
    ackChat.assertNoReply(ackRouterOnce());
  }

  @Test
  void eventsOfUnknownServicesAndOtherVersionsAreReportedAsFailures() {
    SqsWorker worker = SqsWorker.create(this::worker);
    String unknown = QueuedEventJson.write(ChatEvent.builder("nope", "E9").channel("C1").user("U1").text("x")
        .time(Instant.EPOCH).build());
    String future = "{\"v\":2,\"service\":\"test\"}";

    SQSBatchResponse response = worker.handle(batch(unknown, future));

    assertThat(failedIds(response)).containsExactly("m1", "m2");
  }

  @Test
  void anEmptyBatchNeedsNoRouter() {
    SqsWorker worker = SqsWorker.create(() -> {
      throw new AssertionError("the router should not be built");
    });

    assertThat(worker.handle(new SQSEvent()).getBatchItemFailures()).isEmpty();
  }

  private EventRouter workerOnce;

  private EventRouter worker() {
    if (workerOnce == null) {
      workerOnce = workerRouter();
    }
    return workerOnce;
  }
}
