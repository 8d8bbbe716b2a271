package ai.chatops.gcf;

import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.store.InMemoryStore;
import ai.chatops.test.RecordingService;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker function the invoker runs in the Pub/Sub tests, as a user writes one: an {@link HttpFunction}
 * handing pushes to a {@link PubSubPushWorker}. Its router shares {@link #STORE} with the tests' ack router.
 */
public final class TestWorker implements HttpFunction {
  static final String TOKEN = "push-verification-token-0123456789";
  static final InMemoryStore STORE = InMemoryStore.create();
  static final RecordingService CHAT = RecordingService.create();
  static final EventRouter ROUTER = EventRouter.builder().service(CHAT).plugin(BotPlugin.create()).store(STORE)
      .build();
  /** Pushes received, by request path (each test's subscription pushes to its own). */
  static final Map<String, AtomicInteger> PUSHES = new ConcurrentHashMap<>();
  private static final PubSubPushWorker WORKER = PubSubPushWorker.create(() -> ROUTER, TOKEN);

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    PUSHES.computeIfAbsent(request.getPath(), p -> new AtomicInteger()).incrementAndGet();
    WORKER.service(request, response);
  }
}
