package ai.chatops.benchmarks;

import ai.chatops.WebhookRequest;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.slack.SlackService;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real {@link SlackService} on the way in (signature, timestamp, parsing), and a counter instead of the
 * network on the way out: {@link #deliver} counts the reply and remembers its text. Thread-safe.
 */
final class CountingSlack implements ServiceHandler {
  private final SlackService slack;
  private final AtomicLong delivered = new AtomicLong();
  private volatile String lastText = "";
  // Opened by the first reply, so that a cold start's launcher waits for it parked, not spinning: on a two-core
  // machine a spinning waiter takes a core from the worker and the JIT compiler threads it is waiting for.
  private final CountDownLatch first = new CountDownLatch(1);
  private volatile long firstAtEpochMs;

  CountingSlack(SlackService slack) {
    this.slack = slack;
  }

  @Override
  public String name() {
    return slack.name();
  }

  @Override
  public String path() {
    return slack.path();
  }

  @Override
  public Set<String> methods() {
    return slack.methods();
  }

  @Override
  public Received receive(WebhookRequest request) {
    return slack.receive(request);
  }

  @Override
  public void deliver(Conversation conversation, Reply reply) {
    lastText = reply.text();
    if (delivered.incrementAndGet() == 1) {
      firstAtEpochMs = System.currentTimeMillis();
      first.countDown();
    }
  }

  /**
   * Waits for the first reply and returns when it was delivered (epoch milliseconds, taken by the delivering
   * thread), or -1 if none came within {@code timeout}.
   */
  long awaitFirst(Duration timeout) throws InterruptedException {
    return first.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? firstAtEpochMs : -1;
  }

  long delivered() {
    return delivered.get();
  }

  String lastText() {
    return lastText;
  }
}
