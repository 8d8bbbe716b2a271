package ai.chatops;

import ai.chatops.access.AccessPolicy;
import ai.chatops.audit.AuditLog;
import ai.chatops.dialog.DialogParser;
import ai.chatops.nlu.NluEngine;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Status;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.router.internal.ConfigEndpoint;
import ai.chatops.router.internal.Engine;
import ai.chatops.router.internal.Guides;
import ai.chatops.router.internal.HookEndpoint;
import ai.chatops.router.internal.PluginSlot;
import ai.chatops.router.internal.RouterSettings;
import ai.chatops.secrets.KeyProvider;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.service.ServiceHandler;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.toolkit.LogSafe;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of the bot: host applications hand it every HTTP request of the chat platforms and write back
 * what it returns. {@link #handle} verifies and parses the request (through the {@link ServiceHandler}
 * mounted at its path), records each event in the {@link Store} so that a redelivered event is processed
 * only once, hands it to a worker thread and returns at once. The workers run the dialog chain, call the
 * plugin and deliver the reply.
 *
 * <pre>{@code
 * EventRouter router = EventRouter.builder()
 *     .service(slack)
 *     .plugin(new JenkinsPlugin(), Map.of("JENKINS_API_TOKEN", token))
 *     .store(store)
 *     .build();
 *
 * // in the host's HTTP handler:
 * WebhookResponse response = router.handle(request);
 * }</pre>
 *
 * <p>{@code handle} never throws for bad input: every failure becomes a status (404 unknown path, 405 wrong
 * method, 413 body too large, 401/400/415 from the service handler, 503 when the store or the workers
 * cannot take the event, so that the platform delivers it again). One router serves the whole application;
 * it is thread-safe. {@link #close()} stops accepting events, lets in-flight work finish and closes the
 * plugins.
 */
public final class EventRouter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventRouter.class);

  private final Map<String, ServiceHandler> servicesByPath;
  private final Map<String, Endpoint> endpointsByPath;
  private final List<PluginSlot> plugins;
  private final Catalog catalog;
  private final int maxBodyBytes;
  private final Engine engine;
  private volatile boolean closed;

  private EventRouter(Builder b, List<PluginSlot> slots, Catalog catalog, List<TrainingSet> trainingSets) {
    Map<String, ServiceHandler> byPath = new LinkedHashMap<>();
    for (ServiceHandler s : b.services) {
      byPath.put(normalize(s.path()), s);
    }
    this.servicesByPath = Map.copyOf(byPath);
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    for (Endpoint e : b.endpoints) {
      endpoints.put(normalize(e.path()), e);
    }
    this.endpointsByPath = Map.copyOf(endpoints);
    this.plugins = List.copyOf(slots);
    this.catalog = catalog;
    this.maxBodyBytes = b.maxBodyBytes;
    this.engine = new Engine(b.settings(), slots, catalog, trainingSets);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Handles one HTTP request of a chat platform and returns the response to send back. Never blocks on
   * plugins or the network; never throws for bad input.
   */
  public WebhookResponse handle(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      observeRefusal(request, RouterObserver.EventOutcome.OVERLOADED);
      return WebhookResponse.text(503, "the bot is shutting down; try again");
    }
    if (request.bodyLength() > maxBodyBytes) {
      observeRefusal(request, RouterObserver.EventOutcome.REJECTED);
      log.warn("refused {} {}: body of {} bytes exceeds the limit of {}", LogSafe.clean(request.method()),
          LogSafe.clean(request.path()), request.bodyLength(), maxBodyBytes);
      return WebhookResponse.text(413, "request body exceeds the limit of " + maxBodyBytes + " bytes");
    }
    if (HookEndpoint.matches(request.path())) {
      return engine.hooks().handle(request);
    }
    if (ConfigEndpoint.matches(request.path())) {
      return engine.configs().handle(request);
    }
    Endpoint endpoint = endpointsByPath.get(normalize(request.path()));
    if (endpoint != null) {
      return answer(endpoint, request);
    }
    ServiceHandler service = servicesByPath.get(normalize(request.path()));
    if (service == null) {
      return WebhookResponse.text(404, "nothing is mounted at " + LogSafe.clean(request.path(), 100));
    }
    if (!service.methods().contains(request.method())) {
      return WebhookResponse.text(405, request.method() + " is not allowed on " + service.path())
          .withHeader("Allow", String.join(", ", new TreeSet<>(service.methods())));
    }
    Received received;
    try {
      received = service.receive(request);
    } catch (BadRequestException e) {
      log.warn("{} refused a request to {}: {} {}", service.name(), service.path(), e.status(),
          LogSafe.clean(e.getMessage()));
      engine.observers().eventReceived(service.name(), null, RouterObserver.EventOutcome.REJECTED);
      return WebhookResponse.text(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("{} failed to parse a request to {}", service.name(), service.path(), e);
      return WebhookResponse.text(500, "the request could not be handled");
    }
    for (ChatEvent event : received.events()) {
      WebhookResponse refusal = engine.accept(event);
      if (refusal != null) {
        return refusal;
      }
    }
    return received.response();
  }

  /**
   * Events accepted and waiting for a worker, now: for a queue-depth gauge. 0 with an injected executor that
   * is not a {@link java.util.concurrent.ThreadPoolExecutor}.
   */
  public int queuedEvents() {
    return engine.queuedEvents();
  }

  /** Workers processing an event now: for a busy-workers gauge. */
  public int busyWorkers() {
    return engine.busyWorkers();
  }

  private WebhookResponse answer(Endpoint endpoint, WebhookRequest request) {
    if (!endpoint.methods().contains(request.method())) {
      return WebhookResponse.text(405, request.method() + " is not allowed on " + endpoint.path())
          .withHeader("Allow", String.join(", ", new TreeSet<>(endpoint.methods())));
    }
    try {
      return Objects.requireNonNull(endpoint.answer(request, this), "the endpoint's response");
    } catch (RuntimeException e) {
      log.error("the endpoint at {} failed to answer a request", endpoint.path(), e);
      return WebhookResponse.text(500, "the request could not be handled");
    }
  }

  /** What {@link #process} made of an event. */
  public enum Processing {
    /** This call processed the event. */
    PROCESSED,
    /** The event was processed before (a redelivered queue message); nothing was done. */
    ALREADY_DONE,
    /** Another router is processing it now; deliver the message again later in case that router dies. */
    IN_PROGRESS_ELSEWHERE
  }

  /**
   * Processes one event now, on the calling thread: for queue workers (an AWS Lambda reading SQS) that
   * receive events another router accepted with a {@linkplain Builder#dispatcher dispatcher}. The event is
   * claimed in the store first, so a redelivered message is processed once.
   *
   * @throws IllegalArgumentException when the event names a service the router does not have
   * @throws StoreUnavailableException when the store cannot be read; deliver the message again later
   */
  public Processing process(ChatEvent event) {
    requireService(event);
    switch (engine.processor().processNow(event)) {
      case PROCESSED:
        return Processing.PROCESSED;
      case ALREADY_DONE:
        return Processing.ALREADY_DONE;
      case HELD_ELSEWHERE:
        return Processing.IN_PROGRESS_ELSEWHERE;
      default:
        throw new StoreUnavailableException("the store could not be read to claim event " + event.service()
            + "/" + event.id());
    }
  }

  /**
   * Takes events that arrived by another way than an HTTP request to {@link #handle} (Slack's Socket Mode, a
   * queue such as SQS): records, deduplicates and enqueues them exactly as {@code handle} does after
   * parsing. The service named by each event must be registered; it delivers the replies.
   *
   * @return 200 when every event was taken (or was a redelivery), 503 when the store or the workers cannot
   *     take them now (deliver them again later)
   * @throws IllegalArgumentException when an event names a service the router does not have
   */
  public WebhookResponse submit(ChatEvent... events) {
    for (ChatEvent event : events) {
      requireService(event);
    }
    if (closed) {
      return WebhookResponse.text(503, "the bot is shutting down; try again");
    }
    for (ChatEvent event : events) {
      WebhookResponse refusal = engine.accept(event);
      if (refusal != null) {
        return refusal;
      }
    }
    return WebhookResponse.ok();
  }

  /**
   * Calls a plugin route that did not come from a chat message through the dialog chain: a language model's
   * proposal handled by the host, an agent's tool call. The call takes the same invocation chain as chat: the
   * route's access rule (applied here, since no dialog step did), the rate limits, the audit entry, the
   * timeout and the host's interceptors. The invocation's event says who asked and where. The action itself is
   * not delivered: the caller decides what to do with it. Its follow-up (a build the plugin started) is not
   * lost: when the router has the event's service, it watches the follow-up and delivers its results into the
   * event's conversation, as for a chat message, and the result says so.
   *
   * @return a stage that completes with what became of the call: its outcome (done, denied, rate limited,
   *     failed, timed out) and the plugin's action, or the reply that replaces it when the call was refused
   *     or failed ("Sorry, you may not run ..."); it never completes exceptionally
   */
  public CompletionStage<InvocationResult> invoke(Invocation invocation) {
    Objects.requireNonNull(invocation, "invocation");
    boolean deliverable = servicesByPath.values().stream().anyMatch(s -> s.name().equals(
        invocation.event().service()));
    return engine.invoke(invocation, deliverable);
  }

  /** Tells the observers of a request refused before its service parsed it, when a service is at its path. */
  private void observeRefusal(WebhookRequest request, RouterObserver.EventOutcome outcome) {
    ServiceHandler service = servicesByPath.get(normalize(request.path()));
    if (service != null) {
      engine.observers().eventReceived(service.name(), null, outcome);
    }
  }

  /**
   * Asks a human to approve a call that an agent or model proposed outside chat (a {@code Confirm:} route
   * called over MCP): the invocation's user is asked in the invocation's conversation (Yes/No, as the
   * dialog asks before any {@code Confirm:} route), and the route runs only when that user answers yes
   * there, through the dialog's path (rate limits, audit with the invocation's {@code via}, timeout), its
   * reply delivered into that conversation. "no", "cancel", another request or the conversation timeout
   * drop it; nothing runs. The route's access rule is checked now, so a refused user is not asked.
   *
   * @return the refusal's message when the access rule refuses the user, else empty once the question was
   *     sent
   * @throws IllegalArgumentException when the event names a service the router does not have
   * @throws StoreUnavailableException when the question cannot be kept in the store
   */
  public Optional<String> askToApprove(Invocation invocation) {
    Objects.requireNonNull(invocation, "invocation");
    requireService(invocation.event());
    return engine.askToApprove(invocation);
  }

  /**
   * Applies the route's access rule to the invocation's user without running or sending anything: for a caller
   * that asks a human to approve a proposed call by its own means (an MCP client's elicitation) and must not
   * ask when the rule refuses the user anyway. A refusal is audited as denied, with the invocation's
   * {@code via}. The rule is applied again when the call runs ({@link #invoke}), since rules can change while
   * the human decides; rate limits are not counted here.
   *
   * @return the refusal's message ("Sorry, you may not run ..."), or empty when the rule allows the user
   */
  public Optional<String> accessRefusal(Invocation invocation) {
    Objects.requireNonNull(invocation, "invocation");
    return engine.accessRefusal(invocation);
  }

  /** The events submitted from outside must name a registered service: it delivers their replies. */
  private void requireService(ChatEvent event) {
    if (servicesByPath.values().stream().noneMatch(s -> s.name().equals(event.service()))) {
      throw new IllegalArgumentException("no service named " + event.service() + " is registered");
    }
  }

  private static String normalize(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * Waits until no event is being processed. For tests and consoles: work that a plugin scheduled for
   * later (follow-ups) does not count until it runs.
   *
   * @return true if the router became idle within {@code timeout}
   */
  public boolean awaitIdle(Duration timeout) {
    return engine.workers().awaitIdle(timeout);
  }

  /** The routes of every registered plugin. */
  public Catalog catalog() {
    return catalog;
  }

  /**
   * Applies now the plugin configurations stored (through {@code POST /v1/yaml}, by any router sharing the
   * store) since this router last looked; the sweep does it every sweep interval. For hosts whose router
   * does not live long enough to sweep (a function invocation). Only a router with an admin token or secret,
   * or a key provider, reads stored configurations; others return 0 without reading the store.
   *
   * @return how many plugins were reconfigured and reconnected
   * @throws StoreUnavailableException when the store cannot be read
   */
  public int reloadStoredConfigs() {
    return engine.configs().reloadChanged(false);
  }

  /**
   * Re-encrypts, with the key provider's current key, every stored credential encrypted under an older key,
   * so that the older keys can be retired. Running routers notice the rewrite but need not reconnect.
   *
   * @return how many credential values were rewritten
   * @throws ConfigurationException when no key provider is configured
   * @throws ai.chatops.secrets.CredentialDecryptionException when a value's key is no longer available
   * @throws StoreUnavailableException when the store cannot be read or written
   */
  public int reencryptCredentials() {
    return engine.storedConfigs().reencrypt();
  }

  /**
   * The audit log this router appends to: one entry per plugin invocation, refusals included (see
   * {@code docs/access.md}). Hosts export it from here, or from {@link AuditLog#of} over the same store.
   */
  public AuditLog auditLog() {
    return engine.auditLog();
  }

  /** The body size limit; hosts can use it to stop reading early. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Runs every plugin's health check now, keyed by plugin name. */
  public Map<String, Status> healthChecks() {
    return healthChecks(plugins);
  }

  private static Map<String, Status> healthChecks(List<PluginSlot> slots) {
    Map<String, Status> result = new LinkedHashMap<>();
    for (PluginSlot slot : slots) {
      result.put(slot.name(), slot.health());
    }
    return result;
  }

  /** Every plugin's health check, for a plugin to ask; a class, not a lambda generated at each cold build. */
  private static final class HealthChecks implements Supplier<Map<String, Status>> {
    private final List<PluginSlot> slots;

    HealthChecks(List<PluginSlot> slots) {
      this.slots = slots;
    }

    @Override
    public Map<String, Status> get() {
      return healthChecks(slots);
    }
  }

  /**
   * Stops accepting requests (they get 503), waits up to the drain timeout for in-flight events, stops
   * follow-ups, and closes the plugins. Shuts down the executor only if the router created it. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    engine.close();
  }

  /** Builds an {@link EventRouter}. Not thread-safe. */
  public static final class Builder {
    private static final int MAX_RATE_BUCKETS = 10_000;

    private final List<ServiceHandler> services = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Plugin> pluginList = new ArrayList<>();
    private final List<Map<String, String>> credentialOverrides = new ArrayList<>();
    private final List<DialogParser> dialogParsers = new ArrayList<>();
    private final List<Interceptor> interceptors = new ArrayList<>();
    private final List<RouterObserver> observers = new ArrayList<>();
    private Store store;
    private NluEngine nlu;
    private double nluThreshold = 0.6;
    private ExecutorService executor;
    private int workerThreads = 16;
    private int queueCapacity = 1024;
    private int maxPendingCalls = 1024;
    private Clock clock = Clock.systemUTC();
    private Duration pluginTimeout = Duration.ofSeconds(30);
    private Duration dedupeWindow = Duration.ofHours(1);
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration conversationTimeout = Duration.ofMinutes(10);
    private Duration lease;
    private Duration sweepInterval = Duration.ofMinutes(1);
    private int maxAttempts = 3;
    private final Map<String, byte[]> hookSecrets = new LinkedHashMap<>();
    private Consumer<ChatEvent> dispatcher;
    private int maxBodyBytes = 1024 * 1024;
    private byte[] adminToken;
    private byte[] adminSecret;
    private KeyProvider keyProvider;
    private AccessPolicy access = AccessPolicy.allowAll();
    private Duration auditRetention = Duration.ofDays(30);

    private Builder() {}

    /**
     * Who may run what and how often: groups, the default for routes without an {@code Access} rule,
     * administrators, rate limits. {@link AccessPolicy#allowAll()} by default.
     */
    public Builder access(AccessPolicy policy) {
      this.access = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Adds an interceptor around every plugin call (metrics, traces, retries, a policy of the host's own).
     * Interceptors run in the order added, inside the router's own steps (failure replies, audit, access and
     * rate limits, timeout): see {@link Interceptor}.
     */
    public Builder interceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Adds an observer of what the router decides (events accepted or refused, processing, NLU answers,
     * plugin call outcomes), for metrics and traces; observers are called in the order added. See
     * {@link RouterObserver}.
     */
    public Builder observer(RouterObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /** How long audit entries are kept (through the store's expiry); 30 days by default. */
    public Builder auditRetention(Duration retention) {
      this.auditRetention = positive(retention, "auditRetention");
      return this;
    }

    private RouterSettings settings() {
      return new RouterSettings(services, dialogParsers, interceptors, store, nlu, nluThreshold, executor,
          workerThreads, queueCapacity, clock, pluginTimeout, dedupeWindow, drainTimeout, conversationTimeout,
          lease, sweepInterval, maxAttempts, hookSecrets, dispatcher, adminToken, adminSecret, keyProvider,
          access, MAX_RATE_BUCKETS, auditRetention, observers, maxPendingCalls);
    }

    public Builder service(ServiceHandler service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * Mounts an endpoint that answers its requests itself (the MCP server of {@code chatops-mcp}); see
     * {@link Endpoint}.
     */
    public Builder endpoint(Endpoint endpoint) {
      endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    /**
     * Opt-in: adds every {@link ServiceHandler} that {@link ServiceLoader} finds through {@code loader}
     * ({@code META-INF/services/ai.chatops.service.ServiceHandler}), except those whose name is already
     * registered.
     */
    public Builder discoverServices(ClassLoader loader) {
      for (ServiceHandler s : ServiceLoader.load(ServiceHandler.class, loader)) {
        if (services.stream().noneMatch(existing -> existing.name().equals(s.name()))) {
          services.add(s);
        }
      }
      return this;
    }

    /** Registers a plugin, with the credentials of its {@code config.yaml}. */
    public Builder plugin(Plugin plugin) {
      return plugin(plugin, Map.of());
    }

    /** Registers a plugin; {@code credentials} supplied by the host override those of its config. */
    public Builder plugin(Plugin plugin, Map<String, String> credentials) {
      Objects.requireNonNull(plugin, "plugin");
      pluginList.add(plugin);
      credentialOverrides.add(Map.copyOf(credentials));
      return this;
    }

    /**
     * Opt-in: registers every {@link Plugin} that {@link ServiceLoader} finds through {@code loader}
     * ({@code META-INF/services/ai.chatops.plugin.Plugin}), except those whose name is already registered.
     */
    public Builder discoverPlugins(ClassLoader loader) {
      for (Plugin p : ServiceLoader.load(Plugin.class, loader)) {
        if (pluginList.stream().noneMatch(existing -> existing.name().equals(p.name()))) {
          plugin(p);
        }
      }
      return this;
    }

    /** The store for dedupe records and conversations; an {@link InMemoryStore} by default. */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The engine for free text; by default the embedded {@link ai.chatops.nlu.LocalNlu}, trained on the registered
     * plugins' training material. {@link NluEngine#none()} leaves only the explicit command grammar.
     */
    public Builder nlu(NluEngine nlu) {
      this.nlu = Objects.requireNonNull(nlu, "nlu");
      return this;
    }

    /**
     * The NLU confidence below which the bot asks "Did you mean ...?" with Yes/No before acting; 0.6 by
     * default. The explicit command grammar is always sure.
     */
    public Builder nluThreshold(double threshold) {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException("nluThreshold must be within 0..1 but was " + threshold);
      }
      this.nluThreshold = threshold;
      return this;
    }

    /** Adds a dialog step, run after the built-in clean-up and help steps and before route resolution. */
    public Builder dialogParser(DialogParser parser) {
      dialogParsers.add(Objects.requireNonNull(parser, "parser"));
      return this;
    }

    /**
     * The executor that processes events. The router does not shut down an executor it was given. By
     * default the router creates a bounded pool ({@link #workerThreads}, {@link #queueCapacity}); when the
     * queue is full, new events are refused with 503 so that the platform retries them.
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Threads of the default executor; 16 by default, since plugins mostly wait on the network. */
    public Builder workerThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("workerThreads must be at least 1 but was " + threads);
      }
      this.workerThreads = threads;
      return this;
    }

    /**
     * How many plugin calls of events may be under way at once, running on a worker or pending (a plugin's
     * {@link Plugin#triggerAsync} stage waiting on a remote API, which frees its worker); 1024 by default.
     * At the cap, workers wait for a call to complete before they take the next event, so the queue fills
     * and, with the default executor, new events are refused with 503 at the acknowledgement; nothing
     * acknowledged is dropped. Bounds the memory that pending calls hold.
     */
    public Builder maxPendingCalls(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPendingCalls must be at least 1 but was " + max);
      }
      this.maxPendingCalls = max;
      return this;
    }

    /** Events the default executor queues before refusing more; 1024 by default. */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1 but was " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /** The clock for expiries and follow-up deadlines; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long a plugin call may run before the user is told it timed out; 30 s by default. */
    public Builder pluginTimeout(Duration timeout) {
      this.pluginTimeout = positive(timeout, "pluginTimeout");
      return this;
    }

    /** How long an event id is remembered to skip redeliveries; 1 hour by default. */
    public Builder dedupeWindow(Duration window) {
      this.dedupeWindow = positive(window, "dedupeWindow");
      return this;
    }

    /**
     * How long a question the bot asked (a missing attribute, a confirmation) waits for its answer; 10
     * minutes by default.
     */
    public Builder conversationTimeout(Duration timeout) {
      this.conversationTimeout = positive(timeout, "conversationTimeout");
      return this;
    }

    /**
     * How long a router holds an event it is processing before another router sharing the store may take
     * it over; by default twice the plugin timeout plus a minute.
     */
    public Builder lease(Duration lease) {
      this.lease = positive(lease, "lease");
      return this;
    }

    /**
     * How often the router looks in the store for events a stopped router left unfinished; every minute by
     * default, and once at start. Each sweep reads the event records of the whole dedupe window.
     */
    public Builder sweepInterval(Duration interval) {
      this.sweepInterval = positive(interval, "sweepInterval");
      return this;
    }

    /** How many times an unfinished event is processed before the user is told it failed; 3 by default. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Enables {@code POST /v1/hooks/<plugin>} for a registered plugin: senders sign the raw body with
     * HMAC-SHA256 under {@code secret} and send {@code X-Chatops-Signature: sha256=<hex>}. Without a
     * secret the plugin's hook path answers 404.
     */
    public Builder hookSecret(String plugin, String secret) {
      Objects.requireNonNull(plugin, "plugin");
      if (secret == null || secret.length() < 16) {
        throw new IllegalArgumentException("the hook secret of " + plugin + " must have at least 16 characters");
      }
      hookSecrets.put(plugin, secret.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /**
     * Hands accepted events to {@code dispatcher} instead of the router's workers, for deployments where
     * the acknowledging process cannot keep working (AWS Lambda): it sends each event to a queue, and the
     * workers that read it call {@link EventRouter#process}. The event is recorded in the store before the
     * dispatcher is called; when the dispatcher throws a {@link ChatOpsException}, the record is removed
     * and the platform is answered 503 so that it delivers the event again.
     */
    public Builder dispatcher(Consumer<ChatEvent> dispatcher) {
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
      return this;
    }

    /** How long {@link EventRouter#close()} waits for in-flight events; 10 s by default. */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = Objects.requireNonNull(timeout, "drainTimeout");
      return this;
    }

    /**
     * Enables {@code POST /v1/yaml} and {@code GET /v1/yaml/<plugin>} for callers sending
     * {@code Authorization: Bearer <token>}. Without an admin token or secret those paths answer 404.
     */
    public Builder adminToken(String token) {
      this.adminToken = adminKey(token, "adminToken");
      return this;
    }

    /**
     * Enables {@code /v1/yaml} for callers signing each request with HMAC-SHA256 under {@code secret}
     * ({@code X-Chatops-Timestamp} and {@code X-Chatops-Signature}; see docs/configuration.md).
     */
    public Builder adminSecret(String secret) {
      this.adminSecret = adminKey(secret, "adminSecret");
      return this;
    }

    /**
     * The keys that encrypt plugin credentials stored through {@code /v1/yaml}. Without one, a document
     * giving credential values is refused, so that no value is ever stored in clear.
     */
    public Builder keyProvider(KeyProvider keyProvider) {
      this.keyProvider = Objects.requireNonNull(keyProvider, "keyProvider");
      return this;
    }

    private static byte[] adminKey(String value, String name) {
      if (value == null || value.length() < 16) {
        throw new IllegalArgumentException(name + " must have at least 16 characters");
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The largest request body accepted; 1 MiB by default. Larger bodies get 413. */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1 but was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + d);
      }
      return d;
    }

    /**
     * Builds the router: reads and validates every plugin's configuration and connects the plugins (a
     * plugin that fails to connect is logged and retried on its first use).
     *
     * @throws ConfigurationException when two services share a name or path, two plugins share a name, a
     *     plugin's configuration is invalid or names another plugin, or a configuration stored through
     *     {@code /v1/yaml} cannot be decrypted ({@link ai.chatops.secrets.CredentialDecryptionException})
     * @throws StoreUnavailableException when the store cannot be read for stored configurations
     */
    public EventRouter build() {
      checkServices();
      List<PluginConfig> configs = configs();
      List<TrainingSet> trainingSets = new ArrayList<>();
      List<PluginConfig> typed = new ArrayList<>();
      for (int i = 0; i < pluginList.size(); i++) {
        java.util.Optional<TrainingSet> training = pluginList.get(i).trainingSet();
        if (training.isPresent()) {
          trainingSets.add(training.get());
        }
        typed.add(ai.chatops.plugin.internal.Typing.typed(configs.get(i), training));
      }
      Catalog catalog = Catalog.of(typed, Guides.from(trainingSets));
      access.check(configs);
      for (String hooked : hookSecrets.keySet()) {
        if (pluginList.stream().noneMatch(p -> p.name().equals(hooked))) {
          throw new ConfigurationException("a hook secret is set for " + hooked + ", which is not registered");
        }
      }
      List<PluginSlot> slots = new ArrayList<>();
      for (int i = 0; i < pluginList.size(); i++) {
        Credentials credentials = configs.get(i).credentials().withOverrides(credentialOverrides.get(i));
        // The list is complete before any health check can run: plugins connect after the router is built.
        slots.add(new PluginSlot(pluginList.get(i), configs.get(i), credentials, clock, new HealthChecks(slots)));
      }
      EventRouter router = new EventRouter(this, slots, catalog, trainingSets);
      try {
        router.engine.configs().reloadChanged(true); // what other routers stored wins over the bundled config
      } catch (RuntimeException e) {
        router.close();
        throw e;
      }
      for (PluginSlot slot : slots) {
        slot.tryConnect();
      }
      return router;
    }

    private void checkServices() {
      Map<String, String> paths = new LinkedHashMap<>();
      Map<String, String> names = new LinkedHashMap<>();
      for (ServiceHandler s : services) {
        String previous = paths.put(normalize(s.path()), s.name());
        if (previous != null) {
          throw new ConfigurationException(
              "services " + previous + " and " + s.name() + " are both mounted at " + s.path());
        }
        if (names.put(s.name(), s.path()) != null) {
          throw new ConfigurationException("two services are named " + s.name());
        }
      }
      for (Endpoint e : endpoints) {
        String previous = paths.put(normalize(e.path()), "an endpoint");
        if (previous != null) {
          throw new ConfigurationException(previous + " and an endpoint are both mounted at " + e.path());
        }
      }
    }

    /** Each plugin's configuration, in registration order, checked against its name. */
    private List<PluginConfig> configs() {
      List<PluginConfig> configs = new ArrayList<>();
      Map<String, Plugin> pluginNames = new LinkedHashMap<>();
      for (Plugin p : pluginList) {
        Plugin previous = pluginNames.put(p.name(), p);
        if (previous != null) {
          throw new ConfigurationException("two plugins are named " + p.name() + ": "
              + previous.getClass().getName() + " and " + p.getClass().getName());
        }
        PluginConfig config = p.config();
        if (!config.name().equals(p.name())) {
          throw new ConfigurationException("plugin " + p.name() + " (" + p.getClass().getName()
              + ") returned the configuration of " + config.name());
        }
        configs.add(config);
      }
      return configs;
    }
  }
}
