package ai.chatops.examples.lambda;

import ai.chatops.aws.SqsWorker;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/** The worker function on the SQS queue; reports the records to redeliver (ReportBatchItemFailures). */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final SqsWorker WORKER = SqsWorker.create(Bot.WORKER);

  static {
    if (Bot.primeRequested()) {
      Bot.WORKER.prime();
    }
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return WORKER.handle(event);
  }
}
