package ai.chatops.dialogflow;

import com.google.cloud.dialogflow.v2.DetectIntentRequest;
import com.google.cloud.dialogflow.v2.DetectIntentResponse;
import com.google.cloud.dialogflow.v2.QueryResult;
import com.google.cloud.dialogflow.v2.SessionsGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A DialogFlow Sessions service that records requests and answers from a script, in order. */
final class FakeSessions extends SessionsGrpc.SessionsImplBase {
  private final List<DetectIntentRequest> requests = new ArrayList<>();
  private final Deque<Object> answers = new ArrayDeque<>();

  /** Answers the next call with {@code result}. */
  synchronized FakeSessions answer(QueryResult result) {
    answers.add(result);
    return this;
  }

  /** Fails the next call with {@code status}. */
  synchronized FakeSessions fail(Status status) {
    answers.add(status);
    return this;
  }

  synchronized List<DetectIntentRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void detectIntent(DetectIntentRequest request, StreamObserver<DetectIntentResponse> response) {
    Object answer;
    synchronized (this) {
      requests.add(request);
      answer = answers.isEmpty() ? Status.INTERNAL.withDescription("no answer scripted") : answers.poll();
    }
    if (answer instanceof Status) {
      response.onError(((Status) answer).asRuntimeException());
      return;
    }
    response.onNext(
        DetectIntentResponse.newBuilder().setResponseId("r-" + requests().size())
            .setQueryResult((QueryResult) answer).build());
    response.onCompleted();
  }
}
