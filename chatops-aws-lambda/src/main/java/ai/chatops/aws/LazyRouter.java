package ai.chatops.aws;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.toolkit.QueuedEventJson;
import ai.chatops.service.ChatEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds the router on first use, for Lambda functions: the handler class holds one in a static field and
 * the router is made by the first event (or by {@link #prime()}), never during class loading of code paths
 * that do not need it. The factory registers services and plugins explicitly; nothing scans the classpath.
 *
 * <pre>{@code
 * public final class Bot {
 *   static final LazyRouter ROUTER = LazyRouter.of(() -> EventRouter.builder()
 *       .service(SlackService.builder().signingSecret(env("SLACK_SIGNING_SECRET")).build())
 *       .plugin(new JenkinsPlugin(), Map.of("JENKINS_API_TOKEN", env("JENKINS_API_TOKEN")))
 *       .store(DynamoDbStore.create(dynamo, env("TABLE_NAME")))
 *       .build());
 * }
 * }</pre>
 *
 * <p>With SnapStart, register {@link SnapStartHooks} (CRaC hooks that prime before the snapshot and give each
 * restored copy its own router), or call {@link #prime()} from the handler's static initializer: it builds a
 * router with the factory, runs a request and the queue codec through it so their classes are loaded and
 * initialised in the snapshot, and then closes that router. The first event after a restore builds a fresh
 * one, because a router draws a unique id when it is built and the copies restored from one snapshot must
 * not share it (event leases are held under that id); {@link SnapStartHooks#afterRestore} also closes a
 * router that was built before the snapshot.
 *
 * <p>Thread-safe: concurrent first calls build one router. The holding is
 * {@link ai.chatops.LazyRouter}'s, which other serverless adapters share; this class adds
 * {@link #prime()}, which needs the AWS module's queue codec.
 */
public final class LazyRouter implements Supplier<EventRouter>, AutoCloseable {
  private final Supplier<EventRouter> factory;
  private final ai.chatops.LazyRouter holder;

  private LazyRouter(Supplier<EventRouter> factory) {
    this.factory = factory;
    this.holder = ai.chatops.LazyRouter.of(factory);
  }

  /** A holder that builds its router with {@code factory} when first asked. */
  public static LazyRouter of(Supplier<EventRouter> factory) {
    return new LazyRouter(Objects.requireNonNull(factory, "factory"));
  }

  /** The router, built now if this is the first call. */
  @Override
  public EventRouter get() {
    return holder.get();
  }

  /** Whether the router has been built. */
  public boolean isBuilt() {
    return holder.isBuilt();
  }

  /**
   * Warms the classes of the request path for a snapshot (SnapStart) or before the first event: builds a
   * router with the factory, hands it a request that matches nothing (answered 404 without touching the
   * store), round-trips an event through the queue codec, and closes that router. The factory is called
   * again by the next {@link #get()}, so it must build new plugin and service instances each time.
   */
  public void prime() {
    prime(List.of());
  }

  /**
   * Primes as {@link #prime()} does, and also hands the scratch router {@code warmUps}, to run the services'
   * own checks and parsers: they must be requests the router answers without recording anything, such as a
   * platform's URL-verification challenge signed with the real secret, or a request with a wrong signature
   * (refused 401). {@link SnapStartHooks} calls this before a snapshot.
   */
  public void prime(List<WebhookRequest> warmUps) {
    List<WebhookRequest> requests = List.copyOf(warmUps);
    try (EventRouter scratch = Objects.requireNonNull(factory.get(), "the router factory returned null")) {
      scratch.handle(WebhookRequest.builder("POST", "/chatops-prime").header("Content-Type", "application/json")
          .body("{}").build());
      for (WebhookRequest request : requests) {
        scratch.handle(request);
      }
    }
    QueuedEventJson.read(QueuedEventJson.write(ChatEvent.builder("prime", "prime").channel("C").user("U").text("")
        .time(Instant.EPOCH).build()));
  }

  /** Closes the router if it was built; a later {@link #get()} builds a new one. */
  @Override
  public void close() {
    holder.close();
  }
}
