package ai.chatops.aws;

import ai.chatops.WebhookRequest;
import ai.chatops.nlu.LocalNlu;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda SnapStart hooks for a {@link LazyRouter}, through the CRaC API ({@code org.crac}): before the snapshot
 * they warm the acknowledgement path; after each restore they make sure the restored copy gets a router of its
 * own.
 *
 * <pre>{@code
 * public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
 *   static final LazyRouter ROUTER = LazyRouter.of(Bot::router);
 *   // Held in a static field: the CRaC context keeps only a weak reference to its resources.
 *   static final SnapStartHooks HOOKS = SnapStartHooks.register(ROUTER, () -> List.of(Bot.signedChallenge()));
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #beforeCheckpoint} calls {@link LazyRouter#prime(List)}: a scratch router is built with the factory
 * (so plugin configurations and training material are read once, loading their classes; the local NLU fits its
 * models only on a first free-text question, which an acknowledging function never asks), handed a request
 * that matches nothing and the warm-up requests, the queue codec is run, and the scratch router is closed. The
 * warm-up requests must be ones the router answers without recording anything, so that priming has no side
 * effects: a platform's URL-verification challenge signed with the real secret (Slack's {@code url_verification})
 * runs signature check and parsing; a request with a wrong signature runs the check and is refused.
 *
 * <p>A worker function (one that answers events itself, such as a queue's consumer) asks the local NLU about
 * free text, and its models are fitted by the first question, so a restored copy would pay the fitting (about
 * 150 ms on a cold JVM) on its first message. To have the fitted models in the snapshot, train one
 * {@link LocalNlu}, give it to every router the factory builds, and to the hooks, which fit it after priming:
 *
 * <pre>{@code
 * static final LocalNlu NLU = LocalNlu.train(List.of(jenkins.trainingSet().orElseThrow()));
 * static final LazyRouter ROUTER = LazyRouter.of(() -> Bot.routerBuilder().nlu(NLU).build());
 * static final SnapStartHooks HOOKS = SnapStartHooks.register(ROUTER, List::of, NLU);
 * }</pre>
 *
 * <p>Fitting computes only: nothing is read from the network or written to the store. An acknowledging function
 * never asks the NLU; it registers its hooks without one, and its snapshot stays as it was.
 *
 * <p>{@link #afterRestore} closes a router that was built before the snapshot (by a handler that called
 * {@link LazyRouter#get()} during initialisation): a router draws its id, under which it holds event leases,
 * when it is built, and every copy restored from one snapshot would otherwise hold the same id, so two of them
 * could both believe they hold one lease. The next {@link LazyRouter#get()} builds a router with a fresh id.
 *
 * <p>On a JVM without checkpoint support (a plain JDK, Lambda without SnapStart) registering does nothing and
 * the hooks are never called. Thread-safe; the hooks are called by the runtime, one at a time.
 */
public final class SnapStartHooks implements Resource {
  private static final Logger log = LoggerFactory.getLogger(SnapStartHooks.class);

  private final LazyRouter router;
  private final Supplier<? extends List<WebhookRequest>> warmUps;
  /** The engine fitted before the snapshot, or null: none. */
  private final LocalNlu nlu;

  private SnapStartHooks(LazyRouter router, Supplier<? extends List<WebhookRequest>> warmUps, LocalNlu nlu) {
    this.router = router;
    this.warmUps = warmUps;
    this.nlu = nlu;
  }

  /**
   * Hooks for {@code router} that prime it with no warm-up request of their own, not yet registered; register
   * them with {@code Core.getGlobalContext().register(hooks)} and keep a strong reference.
   */
  public static SnapStartHooks of(LazyRouter router) {
    return of(router, List::of);
  }

  /**
   * Hooks for {@code router}, not yet registered. {@code warmUps} is called at each checkpoint (so signed
   * requests carry a fresh timestamp) and must return requests that the router answers without recording
   * anything (see the class doc).
   */
  public static SnapStartHooks of(LazyRouter router, Supplier<? extends List<WebhookRequest>> warmUps) {
    return new SnapStartHooks(Objects.requireNonNull(router, "router"), Objects.requireNonNull(warmUps, "warmUps"),
        null);
  }

  /**
   * Hooks as {@link #of(LazyRouter, Supplier)} that also fit {@code nlu} before each snapshot, not yet
   * registered: for a worker function whose routers all use this engine (see the class doc).
   */
  public static SnapStartHooks of(
      LazyRouter router, Supplier<? extends List<WebhookRequest>> warmUps, LocalNlu nlu) {
    return new SnapStartHooks(Objects.requireNonNull(router, "router"), Objects.requireNonNull(warmUps, "warmUps"),
        Objects.requireNonNull(nlu, "nlu"));
  }

  /** Hooks as {@link #of(LazyRouter)}, registered with the global CRaC context. Keep the result in a field. */
  public static SnapStartHooks register(LazyRouter router) {
    return register(router, List::of);
  }

  /**
   * Hooks as {@link #of(LazyRouter, Supplier)}, registered with the global CRaC context. Keep the result in a
   * static field: the context holds its resources weakly.
   */
  public static SnapStartHooks register(LazyRouter router, Supplier<? extends List<WebhookRequest>> warmUps) {
    return registered(of(router, warmUps));
  }

  /**
   * Hooks as {@link #of(LazyRouter, Supplier, LocalNlu)}, registered with the global CRaC context. Keep the
   * result in a static field: the context holds its resources weakly.
   */
  public static SnapStartHooks register(
      LazyRouter router, Supplier<? extends List<WebhookRequest>> warmUps, LocalNlu nlu) {
    return registered(of(router, warmUps, nlu));
  }

  private static SnapStartHooks registered(SnapStartHooks hooks) {
    Core.getGlobalContext().register(hooks);
    return hooks;
  }

  /**
   * Warms the acknowledgement path with a scratch router and fits the NLU given to these hooks, if any, as the
   * class doc describes; nothing is recorded.
   */
  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    List<WebhookRequest> requests = Objects.requireNonNull(warmUps.get(), "the warm-up supplier returned null");
    router.prime(requests);
    if (nlu != null) {
      nlu.fit();
    }
    log.info("primed the router for the snapshot with {} warm-up request(s){}", requests.size(),
        nlu == null ? "" : " and fitted the local NLU");
  }

  /** Closes a router built before the snapshot, so that this restored copy builds its own, with a fresh id. */
  @Override
  public void afterRestore(Context<? extends Resource> context) {
    if (router.isBuilt()) {
      router.close();
      log.info("closed the router built before the snapshot; the next event builds one with a fresh id");
    }
  }

  @Override
  public String toString() {
    return "SnapStartHooks{" + router + "}";
  }
}
