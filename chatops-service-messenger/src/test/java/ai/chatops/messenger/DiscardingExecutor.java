package ai.chatops.messenger;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/** Takes every task and runs none: for tests about the acknowledgement, which must not wait for the work. */
final class DiscardingExecutor extends AbstractExecutorService {
  @Override
  public void execute(Runnable command) {}

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return true;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
