package ai.chatops.plugin;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An integration the bot can drive, such as Jenkins: the proposal's plugin with its four duties, connect,
 * close, health check and trigger.
 *
 * <p>A plugin ships its {@code config.yaml} (routes, attributes, credentials) and its training material in
 * its jar under {@code chatops/plugins/<name>/} (see {@link PluginResources}); {@link #config()} reads it
 * from there unless overridden. Register plugins explicitly with {@code EventRouter.builder().plugin(p)};
 * discovery through {@link java.util.ServiceLoader} ({@code META-INF/services/ai.chatops.plugin.Plugin}) is
 * an opt-in of the builder.
 *
 * <p>Lifecycle: the router calls {@link #connect} once before the first {@link #trigger} (and again on a
 * later invocation if connecting failed), and {@link #close} once when it closes. {@link #trigger},
 * {@link #poll} and {@link #healthCheck} are called concurrently from the router's worker threads, so
 * implementations are thread-safe. A call that runs past the router's plugin timeout is interrupted (its
 * pending {@link #triggerAsync} stage cancelled) and the user told so.
 *
 * <p>Failures: throw {@link ai.chatops.PluginFailedException} with a message for the chat user; any other
 * exception is reported to the user as an internal error and logged in full.
 */
public interface Plugin {
  /** The plugin's name, lower case, as in its routes ({@code /v1/<name>/<action>}). */
  String name();

  /**
   * The routes declared in code, next to their handlers; empty (the default) when {@code config.yaml} declares
   * them and {@link #trigger} is overridden.
   */
  default Optional<PluginRoutes> routes() {
    return Optional.empty();
  }

  /**
   * The plugin's configuration; by default {@code chatops/plugins/<name>/config.yaml} from its jar, with the
   * routes of {@link #routes()} when the plugin declares them in code (checked against the file's, if it lists
   * any).
   *
   * @throws ai.chatops.ConfigurationException when the file is missing or invalid, or differs from the code
   */
  default PluginConfig config() {
    PluginResources resources = PluginResources.of(name(), getClass().getClassLoader());
    Optional<PluginRoutes> routes = routes();
    return routes.isPresent() ? resources.config(routes.get().routes()) : resources.config();
  }

  /**
   * The plugin's training material for natural language and slot filling: by default its jar's
   * {@code intents/}, {@code entities/} and {@code data/} folders (see {@link TrainingSet}),
   * or empty when the jar has no {@code chatops/plugins/<name>/config.yaml}.
   *
   * @throws ai.chatops.ConfigurationException when a training file is malformed
   */
  default Optional<TrainingSet> trainingSet() {
    PluginResources resources = PluginResources.of(name(), getClass().getClassLoader());
    if (resources.read("config.yaml").isEmpty()) {
      return Optional.empty();
    }
    Optional<PluginRoutes> routes = routes();
    if (routes.isEmpty()) {
      return Optional.of(TrainingSet.load(resources));
    }
    return Optional.of(TrainingSet.load(resources, routes.get()));
  }

  /**
   * Prepares the plugin: builds its API client from the context's credentials. May check the remote system.
   *
   * @throws ai.chatops.ConfigurationException when a credential is missing or invalid
   */
  default void connect(PluginContext context) {}

  /** Releases what {@link #connect} acquired. Must not throw. */
  default void close() {}

  /** Whether the plugin can work now. The default reports PASSED. */
  default Status healthCheck() {
    return Status.of(name(), Status.State.PASSED);
  }

  /**
   * Carries out one route with its attributes. The default calls the handler {@link #routes()} declares for
   * the route; a plugin without routes in code overrides it.
   */
  default Action trigger(Invocation invocation) {
    Optional<PluginRoutes> routes = routes();
    if (routes.isEmpty()) {
      throw new IllegalStateException(getClass().getName()
          + " declares no routes in code: override routes() or trigger(Invocation)");
    }
    return routes.get().trigger(invocation);
  }

  /**
   * Starts one route and returns a stage that completes with its action: the call the router makes, at the
   * end of the invocation chain. A plugin that waits on a remote API overrides it (or declares the route with
   * {@link PluginRoutes.RouteSpec#handleAsync}) and returns while the call is in flight, so that the router's
   * worker thread serves other events meanwhile; the router continues with the reply, the audit entry and
   * the follow-ups on its own workers when the stage completes, never on the thread that completed it. The
   * plugin timeout applies to the stage: at the deadline the user is told, the stage is cancelled and a late
   * result is dropped. A failed stage is treated as {@link #trigger} throwing.
   *
   * <p>The default calls the asynchronous handler of a route {@link #routes()} declared with
   * {@code handleAsync}, and otherwise runs {@link #trigger} on the calling thread and returns its action as
   * a completed stage, so that existing plugins are unchanged.
   *
   * @return a stage, never null; it must not be completed with null
   */
  default CompletionStage<Action> triggerAsync(Invocation invocation) {
    Optional<PluginRoutes> routes = routes();
    if (routes.isPresent() && routes.get().asynchronous(invocation.route().path())) {
      return routes.get().triggerAsync(invocation);
    }
    return CompletableFuture.completedFuture(trigger(invocation));
  }

  /**
   * Whether the router may simply call {@code route} again when it recovers a request whose call may have
   * started before its router stopped (killed, crashed): true for routes without side effects (status, lists)
   * and for routes whose plugin recognises a repeated request by {@link Invocation#idempotencyKey()} and does
   * not act twice. For the other routes the router records in its store that a call is about to start, and a
   * recovery calls {@link #recover} instead of {@link #trigger}. The default is false.
   */
  default boolean idempotent(Route route) {
    return false;
  }

  /**
   * Called instead of {@link #trigger} when the router recovers a request whose call of a route that is not
   * {@link #idempotent} may have started before its router stopped: the plugin looks for what the earlier
   * call did by {@link Invocation#idempotencyKey()} (a build parameter, a request id it passed on) and returns
   * what to tell the user: what the earlier call did, or the outcome of carrying the request out now when it
   * finds it never happened. Runs through the invocation chain and under the plugin timeout like a trigger.
   *
   * @return empty when the plugin cannot tell (the default): the router then tells the user plainly that the
   *     bot restarted during the call, what to check, and that it did not run it again
   */
  default Optional<Action> recover(Invocation invocation) {
    return Optional.empty();
  }

  /**
   * Handles a webhook the outside system sent to {@code POST /v1/hooks/<name>} (for example Jenkins
   * notifying a finished build). The router has already checked its signature; this runs on a worker
   * thread after the sender got 202. The default announces nothing.
   *
   * @return what to announce, possibly nothing
   */
  default java.util.List<Announcement> hook(ai.chatops.WebhookRequest request) {
    return java.util.List.of();
  }

  /**
   * Checks on something a previous {@link Action} asked to follow.
   *
   * @return empty while the watched thing is still running (polled again after the same interval); an
   *     action to deliver, which may carry the next {@link FollowUp} (a queued build that started); or
   *     {@link Action#keepFollowing} to go on with another follow-up without saying anything
   */
  default Optional<Action> poll(FollowUp followUp) {
    return Optional.of(Action.reply("Nothing to follow for " + followUp.description()));
  }
}
