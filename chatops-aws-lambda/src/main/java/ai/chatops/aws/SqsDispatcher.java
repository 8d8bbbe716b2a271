package ai.chatops.aws;

import ai.chatops.ChatOpsException;
import ai.chatops.toolkit.QueuedEventJson;
import ai.chatops.service.ChatEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends each accepted event to an Amazon SQS queue, for the acknowledging function of a Lambda deployment:
 * pass it to {@code EventRouter.Builder.dispatcher}, and let an {@link SqsWorker} read the queue.
 *
 * <pre>{@code
 * SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
 * EventRouter ack = EventRouter.builder()
 *     .service(slack)
 *     .store(dynamoDbStore)
 *     .dispatcher(SqsDispatcher.create(sqs, queueUrl))
 *     .build();
 * }</pre>
 *
 * <p>The message body is the event as versioned JSON. On a FIFO queue (its URL ends in {@code .fifo}) the
 * messages of one channel share a message group, so they are processed in order, and the deduplication id
 * is derived from the event. A send that fails throws {@link ChatOpsException}: the router then forgets the
 * event and answers 503, so the platform delivers it again.
 *
 * <p>Thread-safe when the {@link SqsClient} is (the SDK's clients are). The client belongs to the host, which
 * closes it.
 */
public final class SqsDispatcher implements Consumer<ChatEvent> {
  private final SqsClient sqs;
  private final String queueUrl;
  private final boolean fifo;

  private SqsDispatcher(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.fifo = queueUrl.endsWith(".fifo");
  }

  /** A dispatcher sending to the queue at {@code queueUrl} through {@code sqs}. */
  public static SqsDispatcher create(SqsClient sqs, String queueUrl) {
    Objects.requireNonNull(sqs, "sqs");
    Objects.requireNonNull(queueUrl, "queueUrl");
    if (queueUrl.isBlank()) {
      throw new IllegalArgumentException("queueUrl is empty; pass the queue's URL (QueueUrl output of the stack)");
    }
    return new SqsDispatcher(sqs, queueUrl);
  }

  /**
   * Sends the event.
   *
   * @throws ChatOpsException when SQS refuses the message or cannot be reached
   */
  @Override
  public void accept(ChatEvent event) {
    SendMessageRequest.Builder request = SendMessageRequest.builder()
        .queueUrl(queueUrl)
        .messageBody(QueuedEventJson.write(event));
    if (fifo) {
      request.messageGroupId(event.service() + "/" + event.workspace() + "/" + event.channel())
          .messageDeduplicationId(sha256(event.service() + "\n" + event.workspace() + "\n" + event.id()));
    }
    try {
      sqs.sendMessage(request.build());
    } catch (SdkException e) {
      throw new ChatOpsException("could not send event " + event.service() + "/" + event.id()
          + " to the SQS queue " + queueUrl + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SqsDispatcher{" + queueUrl + "}";
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
