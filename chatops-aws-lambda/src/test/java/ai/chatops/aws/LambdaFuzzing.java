package ai.chatops.aws;

import ai.chatops.WebhookRequest;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/** What the Lambda adapters' fuzz targets share. */
final class LambdaFuzzing {
  /**
   * How long each target is fuzzed in fuzzing mode ({@code JAZZER_FUZZ=1}, as {@code .ci/run} does);
   * regression mode, in every {@code ./mvnw verify}, runs the seeds only and ignores it.
   */
  static final String DURATION = "15s";

  private LambdaFuzzing() {}

  /**
   * A service named {@code test} that drops what it is asked to deliver, so that a fuzzing run of hundreds of
   * thousands of events keeps nothing; it receives nothing over HTTP.
   */
  static final class DroppingService implements ServiceHandler {
    @Override
    public String name() {
      return "test";
    }

    @Override
    public String path() {
      return "/test/events";
    }

    @Override
    public Received receive(WebhookRequest request) {
      return Received.ack();
    }

    @Override
    public void deliver(Conversation conversation, Reply reply) {}
  }

  /** An executor that accepts every task and runs none: the ack path's targets stop at the acknowledgement. */
  static final class DiscardingExecutor extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {}

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
