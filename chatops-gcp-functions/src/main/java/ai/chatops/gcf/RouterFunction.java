package ai.chatops.gcf;

import ai.chatops.EventRouter;
import ai.chatops.LazyRouter;
import ai.chatops.toolkit.LogSafe;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Google Cloud Functions HTTP function that hands every request to an {@link EventRouter}. Subclass it,
 * build the router in {@link #createRouter()}, and deploy the subclass as the entry point:
 *
 * <pre>{@code
 * public final class Bot extends RouterFunction {
 *   @Override
 *   protected EventRouter createRouter() {
 *     return EventRouter.builder()
 *         .service(SlackService.builder().signingSecret(System.getenv("SLACK_SIGNING_SECRET")).build())
 *         .plugin(new JenkinsPlugin(), Map.of("JENKINS_API_TOKEN", System.getenv("JENKINS_API_TOKEN")))
 *         .store(DatastoreStore.builder().datastore(datastore).build())
 *         .build();
 *   }
 * }
 * }</pre>
 *
 * <p>The runtime makes one instance of the class and calls it from many threads. The router is built once
 * per instance, by the first request (not while the class loads, so a misconfiguration is reported in that
 * request's log and retried by the next one; the holding is {@link LazyRouter}'s). Services and plugins are registered explicitly in the factory;
 * nothing scans the classpath. The mapping is {@link HttpFunctionAdapter}'s.
 *
 * <p>Cloud Functions may take the CPU away from an instance once its response is sent, so work the router
 * does after the acknowledgement can stall until the next request. Either give the router a
 * {@linkplain EventRouter.Builder#dispatcher dispatcher} that hands events to a queue (Pub/Sub), or return a
 * positive {@link #awaitIdle()} so each request waits for the router's workers before it returns.
 *
 * <p>Thread-safe.
 */
public abstract class RouterFunction implements HttpFunction {
  private static final Logger log = LoggerFactory.getLogger(RouterFunction.class);

  private final LazyRouter router = LazyRouter.of(this::build);
  // Written by build(), before the holder publishes the router; read only after router.get().
  private volatile HttpFunctionAdapter adapter;

  /** For subclasses; the router is not built here. */
  protected RouterFunction() {}

  /**
   * Builds the router. Called once per instance, by the first request, and again by the next request if it
   * threw. Must not return null.
   */
  protected abstract EventRouter createRouter();

  /**
   * The prefix removed from request paths before routing, or empty (the default): see
   * {@link HttpFunctionAdapter#withBasePath}. Called once, when the router is built.
   */
  protected String basePath() {
    return "";
  }

  /**
   * How long each request waits, after the router answered, for the router's workers to finish (the
   * synchronous mode); zero (the default) returns at once. Keep it below the function's timeout and, for
   * platforms that expect a quick acknowledgement (Slack: 3 seconds), below theirs.
   */
  protected Duration awaitIdle() {
    return Duration.ZERO;
  }

  /** The router, built now if this is the first call. */
  protected final EventRouter router() {
    return router.get();
  }

  /** Whether the router has been built. */
  protected final boolean isRouterBuilt() {
    return router.isBuilt();
  }

  /** The holder's factory: the subclass's router, and the adapter that hands it requests. */
  private EventRouter build() {
    EventRouter r = Objects.requireNonNull(createRouter(), "createRouter() returned null");
    adapter = HttpFunctionAdapter.create(this::router).withBasePath(basePath());
    return r;
  }

  @Override
  public final void service(HttpRequest request, HttpResponse response) throws IOException {
    EventRouter r = router();
    adapter.service(request, response);
    Duration wait = awaitIdle();
    if (!wait.isZero() && !wait.isNegative() && !r.awaitIdle(wait)) {
      log.warn("the router's workers were still busy {} after answering {} {}", wait,
          LogSafe.clean(request.getMethod()),
          HttpFunctionAdapter.shown(request.getPath()));
    }
  }
}
