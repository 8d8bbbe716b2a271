package ai.chatops.benchmarks;

import ai.chatops.WebhookRequest;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.slack.SlackService;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real {@link SlackService} on the way in (signature, timestamp, parsing), and a counter instead of the
 * network on the way out: {@link #deliver} counts the reply and remembers its text. Thread-safe.
 */
final class CountingSlack implements ServiceHandler {
  private final SlackService slack;
  private final AtomicLong delivered = new AtomicLong();
  private volatile String lastText = "";

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
    delivered.incrementAndGet();
  }

  long delivered() {
    return delivered.get();
  }

  String lastText() {
    return lastText;
  }
}
