package ai.chatops.plugin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A plugin's routes declared in code, each next to its handler: the action, its description, its typed
 * attributes, help examples, whether it asks for confirmation, and the lambda that carries it out.
 *
 * <pre>{@code
 * public final class DeployPlugin implements Plugin {
 *   static final AttributeType ENV = AttributeType.entity(new EntityDefinition("env", List.of(
 *       new EntityDefinition.Entry("production", List.of("prod", "live")),
 *       new EntityDefinition.Entry("staging", List.of("stage")))));
 *
 *   private final PluginRoutes routes = PluginRoutes.builder("deploy")
 *       .route("service", r -> r
 *           .description("Deploys a service")
 *           .required("SERVICE", AttributeType.STRING, "Which service?")
 *           .attribute(AttributeSpec.builder("ENV", ENV).description("Where to").build())
 *           .example("deploy billing to staging")
 *           .confirm()
 *           .handle(this::deploy))
 *       .build();
 *
 *   public String name() { return "deploy"; }
 *   public Optional<PluginRoutes> routes() { return Optional.of(routes); }
 *
 *   private Action deploy(Invocation call) { ... call.require("SERVICE") ... call.string("ENV") ... }
 * }
 * }</pre>
 *
 * <p>A route whose work waits on a remote system declares an asynchronous handler with
 * {@link RouteSpec#handleAsync}: it returns a stage at once (an HTTP call in flight, see
 * {@code Requester.callAsync}), and the router's worker thread serves other events while it is pending.
 *
 * <p>{@link Plugin#triggerAsync} and {@link Plugin#trigger} call the handler of the invoked route; {@link Plugin#config()} takes the routes
 * from here, so {@code config.yaml} needs only {@code Version} and {@code Credentials} (and {@code Access});
 * when it lists {@code Routes} too, they must agree with these, or the router refuses to start naming the
 * difference. The plugin's intents need only phrasings: their parameters are derived from the attributes.
 * Entities of the attributes' types join the plugin's training material, so the NLU knows them.
 *
 * <p>Immutable and thread-safe; the handlers are called concurrently.
 */
public final class PluginRoutes {
  /** Carries out one route. Throw {@link ai.chatops.PluginFailedException} with a message for the user. */
  @FunctionalInterface
  public interface Handler {
    /** Carries out the route with the checked, typed attributes of {@code invocation}. */
    Action handle(Invocation invocation);
  }

  /**
   * Carries out one route asynchronously: returns at once a stage that completes with the action, or fails
   * with a {@link ai.chatops.PluginFailedException} carrying a message for the user. Must not block.
   */
  @FunctionalInterface
  public interface AsyncHandler {
    /** Starts the route with the checked, typed attributes of {@code invocation}. */
    CompletionStage<Action> handle(Invocation invocation);
  }

  private final String plugin;
  private final List<Route> routes;
  private final Map<String, AsyncHandler> handlers;
  private final Set<String> asynchronous;
  private final Map<String, List<String>> examples;

  private PluginRoutes(Builder b) {
    this.plugin = b.plugin;
    this.routes = List.copyOf(b.routes);
    this.handlers = Map.copyOf(b.handlers);
    this.asynchronous = Set.copyOf(b.asynchronous);
    Map<String, List<String>> ex = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : b.examples.entrySet()) {
      ex.put(e.getKey(), List.copyOf(e.getValue()));
    }
    this.examples = java.util.Collections.unmodifiableMap(ex);
  }

  /** Starts the declaration of the routes of plugin {@code plugin} (its lower-case name). */
  public static Builder builder(String plugin) {
    return new Builder(plugin);
  }

  /** The plugin's name. */
  public String plugin() {
    return plugin;
  }

  /** The routes, in declared order. */
  public List<Route> routes() {
    return routes;
  }

  /** The example phrasings of a route, for help; empty when none were given. */
  public List<String> examples(String path) {
    return examples.getOrDefault(path, List.of());
  }

  /** The entities the attributes' types name, each once, in declared order. */
  public List<EntityDefinition> entities() {
    Map<String, EntityDefinition> byName = new LinkedHashMap<>();
    for (Route route : routes) {
      for (AttributeSpec spec : route.attributeSpecs()) {
        if (spec.type().entity().isPresent()) {
          EntityDefinition e = spec.type().entity().get();
          byName.putIfAbsent(e.name(), e);
        }
      }
    }
    return List.copyOf(byName.values());
  }

  /**
   * Calls the handler of the invoked route and waits for its action; an asynchronous handler's stage is
   * waited for on the calling thread ({@link #triggerAsync} does not wait).
   *
   * @throws IllegalStateException when the invocation names a route not declared here (a bug of the caller)
   */
  public Action trigger(Invocation invocation) {
    CompletableFuture<Action> stage = triggerAsync(invocation).toCompletableFuture();
    try {
      return stage.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Calls the handler of the invoked route: a synchronous handler runs on the calling thread and its action
   * comes back as a completed stage; an asynchronous one returns its own stage.
   *
   * @throws IllegalStateException when the invocation names a route not declared here (a bug of the caller)
   */
  public CompletionStage<Action> triggerAsync(Invocation invocation) {
    AsyncHandler handler = handlers.get(invocation.route().path());
    if (handler == null) {
      throw new IllegalStateException(plugin + " declares no route " + invocation.route().path()
          + "; it declares " + routes.stream().map(Route::path).toList());
    }
    CompletionStage<Action> stage = handler.handle(invocation);
    if (stage == null) {
      throw new NullPointerException(returnedNull(invocation));
    }
    return stage;
  }

  // Not a message supplier: every first event would link a lambda for a message that is almost never built.
  private static String returnedNull(Invocation invocation) {
    return "the handler of " + invocation.route().path() + " returned null; return an Action";
  }

  /** Whether the route at {@code path} was declared with {@link RouteSpec#handleAsync}. */
  public boolean asynchronous(String path) {
    return asynchronous.contains(path);
  }

  /** Declares routes. Not thread-safe. */
  public static final class Builder {
    private final String plugin;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, AsyncHandler> handlers = new LinkedHashMap<>();
    private final Set<String> asynchronous = new HashSet<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    private Builder(String plugin) {
      ai.chatops.plugin.internal.Names.requirePluginName(plugin);
      this.plugin = plugin;
    }

    /**
     * Declares the route {@code /v1/<plugin>/<action>}; {@code spec} sets its description, attributes and
     * handler.
     *
     * @throws IllegalArgumentException when the action is declared twice, has no handler, or an attribute is
     *     declared twice
     */
    public Builder route(String action, Consumer<RouteSpec> spec) {
      Objects.requireNonNull(action, "action");
      if (!action.matches("[a-z][a-z0-9-]{0,63}")) {
        throw new IllegalArgumentException(
            "action must be lower case (a-z, 0-9, -; up to 64) but was '" + action + "'");
      }
      RouteSpec r = new RouteSpec();
      spec.accept(r);
      String path = Route.pathOf(plugin, action);
      if (handlers.containsKey(path)) {
        throw new IllegalArgumentException(path + " is declared twice");
      }
      if (r.handler == null) {
        throw new IllegalArgumentException(path + " has no handler; call handle(...) in its declaration");
      }
      routes.add(Route.of(plugin, action, Optional.ofNullable(r.description), r.attributes, r.confirm));
      handlers.put(path, r.handler);
      if (r.async) {
        asynchronous.add(path);
      }
      examples.put(path, r.examples);
      return this;
    }

    public PluginRoutes build() {
      if (routes.isEmpty()) {
        throw new IllegalArgumentException(plugin + " declares no route; add route(action, r -> ...)");
      }
      return new PluginRoutes(this);
    }
  }

  /** The declaration of one route, inside {@link Builder#route}. Not thread-safe. */
  public static final class RouteSpec {
    private String description;
    private final List<AttributeSpec> attributes = new ArrayList<>();
    private final List<String> examples = new ArrayList<>();
    private boolean confirm;
    private AsyncHandler handler;
    private boolean async;

    private RouteSpec() {}

    /** What the route does, one line for help. */
    public RouteSpec description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Declares an attribute. */
    public RouteSpec attribute(AttributeSpec attribute) {
      Objects.requireNonNull(attribute, "attribute");
      for (AttributeSpec a : attributes) {
        if (a.name().equals(attribute.name())) {
          throw new IllegalArgumentException("attribute " + attribute.name() + " is declared twice");
        }
      }
      attributes.add(attribute);
      return this;
    }

    /** Declares an optional attribute. */
    public RouteSpec optional(String name, AttributeType type) {
      return attribute(AttributeSpec.optional(name, type));
    }

    /** Declares a required attribute and the question slot filling asks for it. */
    public RouteSpec required(String name, AttributeType type, String prompt) {
      return attribute(AttributeSpec.builder(name, type).required(true).prompt(prompt).build());
    }

    /** Adds a phrasing users may say, shown by help. */
    public RouteSpec example(String example) {
      examples.add(Objects.requireNonNull(example, "example"));
      return this;
    }

    /** Asks the user "Run ...?" before the route runs. */
    public RouteSpec confirm() {
      this.confirm = true;
      return this;
    }

    /** The code that carries the route out, on a worker thread of the router. */
    public RouteSpec handle(Handler handler) {
      Objects.requireNonNull(handler, "handler");
      this.handler = new Completed(handler);
      this.async = false;
      return this;
    }

    /**
     * The code that starts the route and returns a stage at once, for a route that waits on a remote system:
     * the router's worker is released while the stage is pending, and the reply, audit entry and follow-ups
     * continue on the router's workers when it completes. The router's plugin timeout applies to the stage.
     */
    public RouteSpec handleAsync(AsyncHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      this.async = true;
      return this;
    }
  }

  /**
   * A synchronous handler as a stage completed at once; a class, not a lambda generated while every plugin with
   * such a route is built on a cold start.
   */
  private static final class Completed implements AsyncHandler {
    private final Handler handler;

    Completed(Handler handler) {
      this.handler = handler;
    }

    @Override
    public CompletionStage<Action> handle(Invocation invocation) {
      Action action = handler.handle(invocation);
      if (action == null) {
        throw new NullPointerException(returnedNull(invocation));
      }
      return CompletableFuture.completedFuture(action);
    }
  }
}
