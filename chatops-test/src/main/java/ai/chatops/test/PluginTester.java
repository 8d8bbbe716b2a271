package ai.chatops.test;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.Status;
import ai.chatops.service.ChatEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Calls one plugin's routes directly, with no router, dialog or chat platform in between: the unit test of
 * a plugin and its API client, typically against an okhttp {@code MockWebServer} standing in for the real
 * system.
 *
 * <pre>{@code
 * try (MockWebServer server = new MockWebServer()) {
 *   server.start();
 *   server.enqueue(new MockResponse.Builder().code(201).addHeader("Location", "/queue/item/7/").build());
 *
 *   try (PluginTester jenkins = PluginTester.of(new JenkinsPlugin())
 *       .credential("JENKINS_URL", server.url("/").toString())
 *       .connect()) {
 *     Action action = jenkins.invoke("build", Map.of("ID", "api", "BRANCH", "main"));
 *
 *     assertThat(action.text()).isEqualTo("Queued api on main");
 *     assertThat(server.takeRequest().getTarget()).isEqualTo("/job/api/job/main/build");
 *     assertThat(jenkins.poll(action.followUp().orElseThrow())).isEmpty();
 *   }
 * }
 * }</pre>
 *
 * <p>The plugin gets the context the router would give it: its {@code config.yaml} (read when the tester is
 * created, so an invalid config fails at once), the config's credentials overlaid with those given here, and
 * the tester's clock ({@link MutableClock} at {@link ConversationTester#DEFAULT_START} by default). Routes are
 * named by action ({@code build}) or full path ({@code /v1/jenkins/build}); a route or attribute that the
 * config does not declare is refused with {@link IllegalArgumentException}, because the router would never
 * make that call. Values are checked against their declared types and handed over in their canonical form,
 * as the dialog does ({@code ENV=prod} reaches the plugin as {@code production}); a value the router would
 * refuse is refused with {@link IllegalArgumentException} carrying the message the user would read. Exceptions the plugin throws reach the test unchanged.
 *
 * <p>Configure the tester on one thread and {@link #connect()} it; after that {@link #invoke}, {@link #poll}
 * and {@link #healthCheck} may be called from several threads, as the router does. {@link #close()} closes
 * the plugin.
 */
public final class PluginTester implements AutoCloseable {
  private final Plugin plugin;
  private final PluginConfig config;
  private final Catalog catalog;
  private final Map<String, String> credentials = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private Clock clock = MutableClock.at(ConversationTester.DEFAULT_START);
  private String user = RecordingService.DEFAULT_USER;
  private String channel = RecordingService.DEFAULT_CHANNEL;
  private volatile PluginContext context;
  private volatile boolean closed;

  private PluginTester(Plugin plugin) {
    this.plugin = plugin;
    this.config = plugin.config();
    this.catalog = Catalog.forPlugins(List.of(plugin));
    if (!config.name().equals(plugin.name())) {
      throw new IllegalArgumentException("plugin " + plugin.name() + " (" + plugin.getClass().getName()
          + ") returned the configuration of " + config.name());
    }
  }

  /**
   * Returns a tester for {@code plugin}, reading its configuration now.
   *
   * @throws ai.chatops.ConfigurationException when the plugin's {@code config.yaml} is missing or invalid
   */
  public static PluginTester of(Plugin plugin) {
    return new PluginTester(Objects.requireNonNull(plugin, "plugin"));
  }

  /** Sets a credential, overriding the value of the plugin's {@code config.yaml}, as the host does. */
  public PluginTester credential(String name, String value) {
    requireNotConnected("credential");
    credentials.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Sets several credentials; see {@link #credential}. */
  public PluginTester credentials(Map<String, String> values) {
    values.forEach(this::credential);
    return this;
  }

  /** The clock the plugin's context hands out. */
  public PluginTester clock(Clock clock) {
    requireNotConnected("clock");
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The user the invocations come from; {@code U1} by default. */
  public PluginTester user(String user) {
    this.user = Objects.requireNonNull(user, "user");
    return this;
  }

  /** The channel the invocations come from; {@code C1} by default. */
  public PluginTester channel(String channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    return this;
  }

  /**
   * Connects the plugin with its context, as the router does before the first invocation.
   *
   * @throws ai.chatops.ConfigurationException as the plugin's {@code connect} does, e.g. for a missing
   *     credential
   * @throws IllegalStateException when already connected or closed
   */
  public PluginTester connect() {
    requireNotConnected("connect");
    Credentials merged = config.credentials().withOverrides(credentials);
    Context created = new Context(config, merged, clock, this::ownHealth);
    plugin.connect(created);
    this.context = created;
    return this;
  }

  private Map<String, Status> ownHealth() {
    return Map.of(plugin.name(), plugin.healthCheck());
  }

  /** Invokes a route that takes no attributes, or with none given. */
  public Action invoke(String route) {
    return invoke(route, Map.of());
  }

  /**
   * Invokes {@code route} (an action such as {@code build}, or a path such as {@code /v1/jenkins/build}) with
   * {@code attributes}, and returns what the plugin did.
   *
   * @throws IllegalArgumentException when the plugin does not declare the route, or the route does not take
   *     one of the attributes
   * @throws IllegalStateException when the tester is not connected
   */
  public Action invoke(String route, Map<String, String> attributes) {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(attributes, "attributes");
    requireConnected("invoke");
    Route resolved = resolve(route);
    for (String name : attributes.keySet()) {
      if (!resolved.attributes().contains(name)) {
        throw new IllegalArgumentException(resolved.path() + " does not take " + name + "; "
            + (resolved.attributes().isEmpty()
                ? "it takes no attributes"
                : "it takes " + String.join(", ", resolved.attributes())));
      }
    }
    // Values reach the plugin as the dialog hands them over: checked against their types, synonyms mapped.
    Map<String, String> typed = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      AttributeSpec spec = resolved.attributeSpec(e.getKey()).orElseThrow();
      try {
        typed.put(e.getKey(), e.getValue().isBlank() ? e.getValue() : spec.type().canonical(e.getKey(), e.getValue()));
      } catch (IllegalArgumentException wrong) {
        throw new IllegalArgumentException(resolved.path() + ": " + wrong.getMessage()
            + "; the router would answer the user so and not call the plugin", wrong);
      }
    }
    attributes = typed;
    ChatEvent event = ChatEvent.builder(RecordingService.DEFAULT_NAME, "plugin-tester-" + ids.incrementAndGet())
        .workspace(RecordingService.DEFAULT_WORKSPACE)
        .channel(channel)
        .user(user)
        .text(command(resolved, attributes))
        .time(clock.instant())
        .build();
    return plugin.trigger(new Invocation(resolved, attributes, event));
  }

  private Route resolve(String route) {
    Optional<Route> found = route.startsWith("/")
        ? catalog.route(route)
        : catalog.plugin(config.name()).flatMap(c -> c.routeForAction(route));
    return found.orElseThrow(() -> new IllegalArgumentException("plugin " + config.name()
        + " declares no route '" + route + "'; its routes: "
        + config.routes().stream().map(Route::path).collect(Collectors.joining(", "))));
  }

  // The explicit command a user would have typed, so the event's text is realistic.
  private static String command(Route route, Map<String, String> attributes) {
    StringBuilder sb = new StringBuilder(route.plugin()).append(' ').append(route.action());
    for (String name : route.attributes()) {
      String value = attributes.get(name);
      if (value != null) {
        sb.append(' ').append(name).append('=');
        sb.append(value.isEmpty() || value.chars().anyMatch(Character::isWhitespace) ? '"' + value + '"' : value);
      }
    }
    return sb.toString();
  }

  /**
   * Polls a follow-up the plugin asked for, once; the router would repeat this every interval.
   *
   * @throws IllegalStateException when the tester is not connected
   */
  public Optional<Action> poll(FollowUp followUp) {
    Objects.requireNonNull(followUp, "followUp");
    requireConnected("poll");
    return plugin.poll(followUp);
  }

  /**
   * Runs the plugin's health check.
   *
   * @throws IllegalStateException when the tester is not connected
   */
  public Status healthCheck() {
    requireConnected("healthCheck");
    return plugin.healthCheck();
  }

  /** The plugin's configuration, as read from its {@code config.yaml}. */
  public PluginConfig config() {
    return config;
  }

  /**
   * The context the plugin was connected with.
   *
   * @throws IllegalStateException when the tester is not connected
   */
  public PluginContext context() {
    requireConnected("context");
    return context;
  }

  /** Closes the plugin if it was connected. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (context != null) {
      plugin.close();
    }
  }

  private void requireConnected(String call) {
    if (closed) {
      throw new IllegalStateException(call + "() called after close()");
    }
    if (context == null) {
      throw new IllegalStateException(call + "() needs a connected plugin; call connect() first");
    }
  }

  private void requireNotConnected(String call) {
    if (closed) {
      throw new IllegalStateException(call + "() called after close()");
    }
    if (context != null) {
      throw new IllegalStateException(call + "() must come before connect()");
    }
  }

  @Override
  public String toString() {
    return "PluginTester{" + config.name() + (context != null ? ", connected" : "") + "}";
  }

  private record Context(
      PluginConfig config,
      Credentials credentials,
      Clock clock,
      java.util.function.Supplier<Map<String, Status>> health) implements PluginContext {
    @Override
    public Map<String, Status> healthChecks() {
      return health.get();
    }

    @Override
    public String toString() {
      return "PluginContext{" + config.name() + ", " + credentials + "}";
    }
  }
}
