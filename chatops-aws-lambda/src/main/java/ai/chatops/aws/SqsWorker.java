package ai.chatops.aws;

import ai.chatops.toolkit.LogSafe;
import ai.chatops.EventRouter;
import ai.chatops.toolkit.QueuedEventJson;
import ai.chatops.service.ChatEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes the events an {@link SqsDispatcher} queued: the worker function of a Lambda deployment, whose
 * SQS trigger has {@code ReportBatchItemFailures} enabled.
 *
 * <pre>{@code
 * public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
 *   private static final SqsWorker WORKER = SqsWorker.create(Bot.ROUTER::get);
 *
 *   public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
 *     return WORKER.handle(event);
 *   }
 * }
 * }</pre>
 *
 * <p>Each record is decoded and processed with {@link EventRouter#process} on the calling thread, one after
 * the other, so the work is over when the function returns. A record that cannot be decoded, names a
 * service the router does not have, or whose processing throws is reported in {@code batchItemFailures}: SQS
 * delivers only those again, and after the queue's {@code maxReceiveCount} moves them to the dead-letter
 * queue. A redelivered record whose event is already done is processed no further (the store deduplicates).
 *
 * <p>Thread-safe; the router is looked up through the supplier on each batch.
 */
public final class SqsWorker {
  private static final Logger log = LoggerFactory.getLogger(SqsWorker.class);

  private final Supplier<EventRouter> router;

  private SqsWorker(Supplier<EventRouter> router) {
    this.router = router;
  }

  /** A worker that processes every record with the router the supplier returns. */
  public static SqsWorker create(Supplier<EventRouter> router) {
    return new SqsWorker(Objects.requireNonNull(router, "router"));
  }

  /** Processes a batch; the response lists the message ids of the records to deliver again. */
  public SQSBatchResponse handle(SQSEvent batch) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<SQSEvent.SQSMessage> records = batch.getRecords() == null ? List.of() : batch.getRecords();
    EventRouter r = records.isEmpty() ? null : router.get();
    for (SQSEvent.SQSMessage record : records) {
      String messageId = record.getMessageId();
      ChatEvent event;
      try {
        event = QueuedEventJson.read(record.getBody() == null ? "" : record.getBody());
      } catch (RuntimeException e) {
        log.error("SQS message {}: not a queued event ({}); leaving it to the dead-letter queue",
            LogSafe.clean(messageId), LogSafe.clean(e.getMessage()));
        failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
        continue;
      }
      try {
        switch (r.process(event)) {
          case ALREADY_DONE:
            log.info("SQS message {}: event {} was done already", LogSafe.clean(messageId),
                LogSafe.ref(event.service(), event.id()));
            break;
          case IN_PROGRESS_ELSEWHERE:
            // If that worker dies, this message's redelivery is what finishes the event.
            log.info("SQS message {}: event {} is being processed by another worker; SQS will deliver it"
                + " again", LogSafe.clean(messageId), LogSafe.ref(event.service(), event.id()));
            failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
            break;
          default:
            break;
        }
      } catch (RuntimeException e) {
        log.error("SQS message {}: event {} failed; SQS will deliver it again", LogSafe.clean(messageId),
            LogSafe.ref(event.service(), event.id()), e);
        failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
      }
    }
    return new SQSBatchResponse(failures);
  }
}
