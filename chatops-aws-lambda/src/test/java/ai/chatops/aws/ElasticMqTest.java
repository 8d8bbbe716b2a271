package ai.chatops.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.toolkit.QueuedEventJson;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.store.InMemoryStore;
import ai.chatops.test.RecordingService;
import ai.chatops.test.Wait;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The Lambda ack/worker path against ElasticMQ, a real SQS implementation running in this JVM on a loopback
 * port: API Gateway → ack router → {@link SqsDispatcher} → SQS → {@link SqsWorker}, with a redrive policy
 * to a dead-letter queue and a visibility timeout of one second. {@link #poll} does what Lambda's SQS event
 * source mapping does with {@code ReportBatchItemFailures}: receive a batch, invoke the function, delete the
 * messages it did not report.
 */
class ElasticMqTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MAX_RECEIVES = 2;

  private static final java.util.concurrent.atomic.AtomicInteger QUEUES = new java.util.concurrent.atomic.AtomicInteger();
  private static SQSRestServer server;
  private static SqsClient sqs;

  private final InMemoryStore store = InMemoryStore.create();
  private final RecordingService ackChat = RecordingService.create();
  private final RecordingService workerChat = RecordingService.create();
  private final List<EventRouter> routers = new ArrayList<>();
  private String queueUrl;
  private String dlqUrl;
  private EventRouter ack;
  private EventRouter worker;

  @BeforeAll
  static void startElasticMq() {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    int port = server.waitUntilStarted().localAddress().getPort();
    sqs = SqsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterAll
  static void stopElasticMq() {
    sqs.close();
    server.stopAndWait();
  }

  /** A fresh queue pair per test, as the SAM template declares them: a redrive policy to the DLQ. */
  @BeforeEach
  void createQueues() {
    String name = "chatops-events-" + QUEUES.incrementAndGet();
    dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
    String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    queueUrl = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "1",
        QueueAttributeName.REDRIVE_POLICY,
        "{\"maxReceiveCount\":\"" + MAX_RECEIVES + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}"))).queueUrl();
    ack = EventRouter.builder().service(ackChat).plugin(BotPlugin.create()).store(store)
        .dispatcher(SqsDispatcher.create(sqs, queueUrl)).build();
    worker = EventRouter.builder().service(workerChat).plugin(BotPlugin.create()).store(store).build();
    routers.add(ack);
    routers.add(worker);
  }

  @AfterEach
  void closeRouters() {
    routers.forEach(EventRouter::close);
  }

  @Test
  void anAcknowledgedEventIsProcessedOnceByTheWorkerAndLeavesTheQueue() {
    ApiGatewayAdapter api = ApiGatewayAdapter.create(() -> ack);
    SqsWorker function = SqsWorker.create(() -> worker);

    assertThat(api.handle(message("E1", "bot ping")).getStatusCode()).isEqualTo(200);
    assertThat(api.handle(message("E1", "bot ping")).getStatusCode()).as("the platform's retry").isEqualTo(200);

    Wait.until("the worker to receive the event", WAIT, () -> poll(queueUrl, function).received() > 0);
    assertThat(workerChat.nextReply().text()).isEqualTo("pong");
    assertThat(messagesIn(queueUrl)).isZero();
    workerChat.assertNoReply(worker);
    ackChat.assertNoReply(ack);
  }

  @Test
  void aPoisonMessageIsRedeliveredAfterTheVisibilityTimeoutThenMovedToTheDeadLetterQueue() {
    SqsWorker function = SqsWorker.create(() -> worker);
    ApiGatewayAdapter api = ApiGatewayAdapter.create(() -> ack);
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("not json"));
    assertThat(api.handle(message("E2", "bot ping")).getStatusCode()).isEqualTo(200);

    // The first batch holds both; the good one is done and deleted, the poison one reported.
    List<String> seen = new ArrayList<>();
    Wait.until("both messages to be received", WAIT, () -> {
      seen.addAll(poll(queueUrl, function).bodies());
      return seen.size() >= 2;
    });
    assertThat(workerChat.nextReply().text()).isEqualTo("pong");
    // Hidden for the visibility timeout, then delivered again; after MAX_RECEIVES receives, SQS moves it.
    Wait.until("the poison message in the dead-letter queue", WAIT, () -> {
      poll(queueUrl, function);
      return messagesIn(dlqUrl) == 1;
    });
    Message dead = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).messageSystemAttributeNames(
        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
    assertThat(dead.body()).isEqualTo("not json");
    assertThat(messagesIn(queueUrl)).isZero();
    workerChat.assertNoReply(worker);
  }

  @Test
  void aWorkerThatDiesWithTheMessageLeavesItToTheRedeliveryWhichIsProcessedOnce() {
    ApiGatewayAdapter api = ApiGatewayAdapter.create(() -> ack);
    SqsWorker function = SqsWorker.create(() -> worker);
    assertThat(api.handle(message("E3", "bot ping")).getStatusCode()).isEqualTo(200);

    // A function instance receives the message and is killed before answering: nothing deletes it.
    Wait.until("the first delivery", WAIT,
        () -> !sqs.receiveMessage(b -> b.queueUrl(queueUrl)).messages().isEmpty());

    Wait.until("the redelivery after the visibility timeout", WAIT,
        () -> poll(queueUrl, function).received() > 0);
    assertThat(workerChat.nextReply().text()).isEqualTo("pong");
    assertThat(messagesIn(queueUrl)).isZero();
    assertThat(messagesIn(dlqUrl)).isZero();
  }

  @Test
  void aDuplicateOfADoneEventIsDeletedWithoutASecondReply() {
    ApiGatewayAdapter api = ApiGatewayAdapter.create(() -> ack);
    SqsWorker function = SqsWorker.create(() -> worker);
    assertThat(api.handle(message("E4", "bot ping")).getStatusCode()).isEqualTo(200);
    List<String> queued = new ArrayList<>();
    Wait.until("the worker to receive the event", WAIT, () -> queued.addAll(poll(queueUrl, function).bodies()));
    assertThat(workerChat.nextReply().text()).isEqualTo("pong");
    assertThat(QueuedEventJson.read(queued.get(0)).id()).isEqualTo("E4");

    // SQS delivers at least once: the same event again, as a second message.
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(queued.get(0)));
    Wait.until("the duplicate to be received", WAIT, () -> poll(queueUrl, function).received() > 0);

    workerChat.assertNoReply(worker);
    assertThat(messagesIn(queueUrl)).isZero();
    assertThat(messagesIn(dlqUrl)).isZero();
  }

  // ---- helpers

  /** What one poll of Lambda's event source mapping received. */
  private record Polled(int received, List<String> bodies) {}

  /** Receives up to 10 messages, hands them to the function as Lambda would, deletes those not reported. */
  private static Polled poll(String queue, SqsWorker function) {
    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    if (messages.isEmpty()) {
      return new Polled(0, List.of());
    }
    SQSEvent batch = new SQSEvent();
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(m.messageId());
      record.setReceiptHandle(m.receiptHandle());
      record.setBody(m.body());
      record.setAttributes(m.attributesAsStrings());
      record.setEventSource("aws:sqs");
      records.add(record);
    }
    batch.setRecords(records);
    SQSBatchResponse response = function.handle(batch);
    Set<String> failed = response.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
    for (Message m : messages) {
      if (!failed.contains(m.messageId())) {
        sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
      }
    }
    return new Polled(messages.size(), messages.stream().map(Message::body).toList());
  }

  /** Visible and in-flight messages together. */
  private static int messagesIn(String queue) {
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private static APIGatewayV2HTTPEvent message(String id, String text) {
    return ApiGatewayAdapterTest.httpEvent("POST", "/test/events", text,
        Map.of("x-test-event-id", id, "x-test-user", "U1", "x-test-channel", "C1"));
  }
}
