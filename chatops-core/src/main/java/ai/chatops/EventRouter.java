package ai.chatops;

import ai.chatops.audit.AuditLog;
import ai.chatops.plugin.Catalog;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.DialogParsers;
import ai.chatops.nlu.NluEngine;
import ai.chatops.internal.AdminAuth;
import ai.chatops.internal.ConfigEndpoint;
import ai.chatops.internal.DaemonThreads;
import ai.chatops.internal.EventJournal;
import ai.chatops.internal.EventProcessor;
import ai.chatops.internal.FollowUpJournal;
import ai.chatops.internal.Guard;
import ai.chatops.internal.Guides;
import ai.chatops.internal.HookEndpoint;
import ai.chatops.internal.Keys;
import ai.chatops.toolkit.LogSafe;
import ai.chatops.internal.PluginSlot;
import ai.chatops.internal.StoredConfigs;
import ai.chatops.internal.RateLimiter;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.AccessRule;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.Status;
import ai.chatops.secrets.KeyProvider;
import ai.chatops.secrets.internal.CredentialCipher;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.service.ServiceHandler;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
  private final List<PluginSlot> plugins;
  private final Catalog catalog;
  private final Store store;
  private final Clock clock;
  private final Duration dedupeWindow;
  private final int maxBodyBytes;
  private final Duration drainTimeout;
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final EventProcessor processor;
  private final EventJournal journal;
  private final FollowUpJournal followUps;
  private final HookEndpoint hooks;
  private final StoredConfigs storedConfigs;
  private final ConfigEndpoint configs;
  private final Consumer<ChatEvent> dispatcher;
  private final AuditLog auditLog;
  private volatile boolean closed;

  private EventRouter(Builder b, List<PluginSlot> slots, Catalog catalog, List<TrainingSet> trainingSets) {
    Map<String, ServiceHandler> byPath = new LinkedHashMap<>();
    Map<String, ServiceHandler> byName = new LinkedHashMap<>();
    for (ServiceHandler s : b.services) {
      byPath.put(normalize(s.path()), s);
      byName.put(s.name(), s);
    }
    this.servicesByPath = Map.copyOf(byPath);
    this.plugins = List.copyOf(slots);
    this.catalog = catalog;
    this.clock = b.clock;
    this.store = b.store != null ? b.store : InMemoryStore.create(b.clock);
    this.dedupeWindow = b.dedupeWindow;
    this.maxBodyBytes = b.maxBodyBytes;
    this.drainTimeout = b.drainTimeout;
    this.ownsExecutor = b.executor == null;
    this.executor = b.executor != null ? b.executor : defaultExecutor(b.workerThreads, b.queueCapacity);
    this.scheduler = new ScheduledThreadPoolExecutor(2, new DaemonThreads("chatops-scheduler"));
    this.scheduler.setRemoveOnCancelPolicy(true);

    Map<String, PluginSlot> byRoute = new LinkedHashMap<>();
    Map<String, AccessRule> rules = new LinkedHashMap<>();
    Map<String, Credentials> secrets = new LinkedHashMap<>();
    for (PluginSlot slot : slots) {
      for (Route route : slot.config().routes()) {
        byRoute.put(route.path(), slot);
        secrets.put(route.path(), slot.credentials());
      }
      slot.config().accessRules().forEach(rule -> rules.put(rule.route(), rule));
    }
    this.auditLog = AuditLog.of(store);
    Guard guard = new Guard(b.policy(), rules, secrets, store, clock);

    List<DialogParser> parsers = new ArrayList<>();
    parsers.add(DialogParsers.ignoreBots());
    parsers.add(DialogParsers.stripMention());
    parsers.add(DialogParsers.normalize());
    parsers.add(DialogParsers.help());
    parsers.add(guard.auditStep(auditLog));
    parsers.add(DialogParsers.conversation(this.store, clock, b.conversationTimeout, b.nluThreshold));
    parsers.add(guard.accessStep()); // refuses before the conversation step asks for details or confirmation
    parsers.addAll(b.dialogParsers);
    parsers.add(DialogParsers.commandGrammar());
    parsers.add(DialogParsers.nlu(b.nlu != null ? b.nlu : LocalNlu.train(trainingSets)));

    Duration lease = b.lease != null ? b.lease : b.pluginTimeout.multipliedBy(2).plusMinutes(1);
    String owner = UUID.randomUUID().toString();
    this.journal = new EventJournal(store, clock, owner, b.dedupeWindow, lease);
    this.followUps = new FollowUpJournal(store, clock, owner, lease);
    this.processor = new EventProcessor(
        parsers, catalog, byRoute, byName, executor, scheduler, b.pluginTimeout, clock, journal, followUps,
        b.maxAttempts, guard);
    this.hooks = new HookEndpoint(b.hookSecrets);
    Map<String, Credentials> baseCredentials = new LinkedHashMap<>();
    slots.forEach(slot -> baseCredentials.put(slot.name(), slot.credentials()));
    this.storedConfigs = new StoredConfigs(store,
        Optional.ofNullable(b.keyProvider).map(k -> new CredentialCipher(k, new SecureRandom())), clock);
    this.configs = new ConfigEndpoint(slots, baseCredentials, storedConfigs,
        new AdminAuth(b.adminToken, b.adminSecret, store, clock));
    this.dispatcher = b.dispatcher;
    long sweepMillis = b.sweepInterval.toMillis();
    scheduler.scheduleWithFixedDelay(this::sweep, 0, sweepMillis, TimeUnit.MILLISECONDS);
    // No run at start: build() applies the stored configurations itself, before connecting the plugins.
    scheduler.scheduleWithFixedDelay(this::reloadConfigs, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Hands the events that a stopped router left unfinished (their lease ran out) to the workers. Runs at
   * start and then every sweep interval.
   */
  private void sweep() {
    if (closed) {
      return;
    }
    List<ChatEvent> abandoned;
    try {
      abandoned = journal.abandoned();
    } catch (RuntimeException e) {
      log.warn("could not look for unfinished events: {}", e.toString());
      return;
    }
    for (ChatEvent event : abandoned) {
      try {
        log.info("event {}: found unfinished; processing it", LogSafe.ref(event.service(), event.id()));
        processor.submit(event);
      } catch (RejectedExecutionException e) {
        log.warn("event {}: found unfinished but no worker can take it now", LogSafe.ref(event.service(), event.id()));
        return;
      }
    }
    List<FollowUpJournal.Watch> watches;
    try {
      watches = followUps.takeOverAbandoned();
    } catch (RuntimeException e) {
      log.warn("could not look for abandoned follow-ups: {}", e.toString());
      return;
    }
    for (FollowUpJournal.Watch watch : watches) {
      plugins.stream().filter(p -> p.name().equals(watch.plugin())).findFirst().ifPresentOrElse(
          slot -> processor.resume(slot, watch),
          () -> log.warn("follow-up {} belongs to plugin {}, which this router does not have",
              watch.followUp().key(), watch.plugin()));
    }
  }

  /** Applies plugin configurations that another router stored since the last look. */
  private void reloadConfigs() {
    try {
      if (!closed) {
        configs.reloadChanged(false);
      }
    } catch (RuntimeException e) {
      log.warn("could not look for newer stored plugin configurations: {}", e.toString());
    }
  }

  private static ExecutorService defaultExecutor(int threads, int queueCapacity) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(
        threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity), new DaemonThreads("chatops-worker"),
        new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    pool.prestartAllCoreThreads(); // the first burst of events does not wait for threads to start
    return pool;
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
      return WebhookResponse.text(503, "the bot is shutting down; try again");
    }
    if (request.bodyLength() > maxBodyBytes) {
      log.warn("refused {} {}: body of {} bytes exceeds the limit of {}", LogSafe.clean(request.method()),
          LogSafe.clean(request.path()),
          request.bodyLength(), maxBodyBytes);
      return WebhookResponse.text(413, "request body exceeds the limit of " + maxBodyBytes + " bytes");
    }
    if (HookEndpoint.matches(request.path())) {
      return hook(request);
    }
    if (ConfigEndpoint.matches(request.path())) {
      return configs.handle(request);
    }
    ServiceHandler service = servicesByPath.get(normalize(request.path()));
    if (service == null) {
      return WebhookResponse.text(404, "nothing is mounted at " + safePath(request.path()));
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
      return WebhookResponse.text(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("{} failed to parse a request to {}", service.name(), service.path(), e);
      return WebhookResponse.text(500, "the request could not be handled");
    }
    for (ChatEvent event : received.events()) {
      WebhookResponse refusal = accept(event);
      if (refusal != null) {
        return refusal;
      }
    }
    return received.response();
  }

  private WebhookResponse hook(WebhookRequest request) {
    HookEndpoint.Verdict verdict = hooks.verify(request);
    if (verdict.plugin().isEmpty()) {
      return verdict.refusal();
    }
    PluginSlot slot = plugins.stream().filter(p -> p.name().equals(verdict.plugin().get())).findFirst()
        .orElseThrow();
    try {
      processor.submitHook(slot, request);
      return WebhookResponse.text(202, "accepted");
    } catch (RejectedExecutionException e) {
      log.warn("hook for {}: no worker can take it now", slot.name());
      return WebhookResponse.text(503, "the bot is busy; try again");
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
    switch (processor.processNow(event)) {
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
      WebhookResponse refusal = accept(event);
      if (refusal != null) {
        return refusal;
      }
    }
    return WebhookResponse.ok();
  }

  /**
   * Records, deduplicates and enqueues one event; returns a refusal when it cannot be taken now. The event
   * is in the store before the platform hears it was received, so a crash after the acknowledgement loses
   * nothing: another router's sweep finds it.
   */
  private WebhookResponse accept(ChatEvent event) {
    String ref = LogSafe.ref(event.service(), event.id());
    Optional<EventJournal.Recorded> recorded;
    try {
      recorded = journal.record(event, dispatcher != null);
    } catch (RuntimeException e) {
      log.error("event {}: the store could not record it; asking the platform to retry", ref, e);
      return WebhookResponse.text(503, "the bot's store is unavailable; try again");
    }
    if (recorded.isEmpty()) {
      log.info("event {}: already received; acknowledged without processing again", ref);
      return null;
    }
    try {
      if (dispatcher != null) {
        dispatcher.accept(event);
      } else {
        processor.submitRecorded(event, recorded.get());
      }
      return null;
    } catch (RejectedExecutionException | ChatOpsException e) {
      log.warn("event {}: could not be handed on ({}); asking the platform to retry", ref, e.toString());
      try {
        journal.forget(event); // so that the redelivery is processed
      } catch (RuntimeException deleteFailed) {
        log.error("event {}: could not forget it after refusing it; a redelivery will be skipped", ref,
            deleteFailed);
      }
      return WebhookResponse.text(503, "the bot is busy; try again");
    }
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

  private static String safePath(String path) {
    String shown = path.length() > 100 ? path.substring(0, 100) + "..." : path;
    return shown.replaceAll("[\\p{Cntrl}]", "?");
  }

  /**
   * Waits until no event is being processed. For tests and consoles: work that a plugin scheduled for
   * later (follow-ups) does not count until it runs.
   *
   * @return true if the router became idle within {@code timeout}
   */
  public boolean awaitIdle(Duration timeout) {
    return processor.awaitIdle(timeout);
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
    return configs.reloadChanged(false);
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
    return storedConfigs.reencrypt();
  }

  /**
   * The audit log this router appends to: one entry per plugin invocation, refusals included (see
   * {@code docs/access.md}). Hosts export it from here, or from {@link AuditLog#of} over the same store.
   */
  public AuditLog auditLog() {
    return auditLog;
  }

  /** The body size limit; hosts can use it to stop reading early. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Runs every plugin's health check now, keyed by plugin name. */
  public Map<String, Status> healthChecks() {
    Map<String, Status> result = new LinkedHashMap<>();
    for (PluginSlot slot : plugins) {
      result.put(slot.name(), slot.health());
    }
    return result;
  }

  /**
   * Stops accepting requests (they get 503), waits up to the drain timeout for in-flight events, stops
   * follow-ups, and closes the plugins. Shuts down the executor only if the router created it. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!processor.awaitIdle(drainTimeout)) {
      log.warn("{} events still running after {}; closing anyway", processor.inFlight(), drainTimeout);
    }
    // Pending follow-up polls stop here; their watches stay in the store for the next router to resume.
    scheduler.shutdownNow();
    if (ownsExecutor) {
      executor.shutdownNow();
    }
    for (PluginSlot slot : plugins) {
      slot.close();
    }
  }

  /** Builds an {@link EventRouter}. Not thread-safe. */
  public static final class Builder {
    private final List<ServiceHandler> services = new ArrayList<>();
    private final List<Plugin> pluginList = new ArrayList<>();
    private final List<Map<String, String>> credentialOverrides = new ArrayList<>();
    private final List<DialogParser> dialogParsers = new ArrayList<>();
    private Store store;
    private NluEngine nlu;
    private double nluThreshold = 0.6;
    private ExecutorService executor;
    private int workerThreads = 16;
    private int queueCapacity = 1024;
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
    private final Map<String, Set<String>> groups = new LinkedHashMap<>();
    private final Set<String> admins = new LinkedHashSet<>();
    private boolean defaultAccess = true;
    private RateLimiter userRateLimit;
    private RateLimiter routeRateLimit;
    private int maxRateBuckets = 10_000;
    private Duration auditRetention = Duration.ofDays(30);

    private Builder() {}

    /**
     * Defines a group of users that the {@code Access} rules of plugin configs name (as
     * {@code groups: [release-managers]}), by the user ids the services give (Slack {@code U0123ABC}).
     * Calling it again for the same name adds members.
     */
    public Builder group(String name, String... users) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
        throw new IllegalArgumentException("group name '" + LogSafe.clean(name)
            + "' is not valid; use [a-z0-9][a-z0-9._-]*, at most 64 characters");
      }
      Set<String> members = groups.computeIfAbsent(name, n -> new LinkedHashSet<>());
      for (String user : users) {
        members.add(Objects.requireNonNull(user, "user"));
      }
      return this;
    }

    /**
     * Whether routes without an {@code Access} rule may be run by everyone; true by default, so that a bot
     * behaves as before until its plugins or host restrict it. With false, only routes whose rule lets the
     * user in may run (deny by default).
     */
    public Builder defaultAccess(boolean allowed) {
      this.defaultAccess = allowed;
      return this;
    }

    /**
     * Who may use the built-in {@code audit} command: user ids, and groups written {@code @name}. Nobody by
     * default.
     */
    public Builder admins(String... usersOrGroups) {
      for (String admin : usersOrGroups) {
        admins.add(Objects.requireNonNull(admin, "admin"));
      }
      return this;
    }

    /**
     * Limits each user (per service) to {@code capacity} plugin invocations, refilled continuously at
     * {@code capacity} per {@code period}; off by default. Counted per router instance.
     */
    public Builder userRateLimit(int capacity, Duration period) {
      this.userRateLimit = rateLimit(capacity, period, "userRateLimit");
      return this;
    }

    /**
     * Limits each route, for all users together, to {@code capacity} invocations refilled at {@code capacity}
     * per {@code period}; off by default. Counted per router instance.
     */
    public Builder routeRateLimit(int capacity, Duration period) {
      this.routeRateLimit = rateLimit(capacity, period, "routeRateLimit");
      return this;
    }

    private RateLimiter rateLimit(int capacity, Duration period, String name) {
      positive(period, name + " period");
      if (capacity < 1 || capacity > 1_000_000) {
        throw new IllegalArgumentException(name + " capacity must be within 1..1000000 but was " + capacity);
      }
      if (period.compareTo(Duration.ofDays(1)) > 0 || period.toMillis() < 1) {
        throw new IllegalArgumentException(name + " period must be within 1 ms..1 day but was " + period);
      }
      return new RateLimiter(capacity, period, maxRateBuckets);
    }

    /** How long audit entries are kept (through the store's expiry); 30 days by default. */
    public Builder auditRetention(Duration retention) {
      this.auditRetention = positive(retention, "auditRetention");
      return this;
    }

    private Guard.Policy policy() {
      Set<String> adminUsers = new LinkedHashSet<>();
      Set<String> adminGroups = new LinkedHashSet<>();
      for (String admin : admins) {
        if (admin.startsWith("@")) {
          adminGroups.add(admin.substring(1));
        } else {
          adminUsers.add(admin);
        }
      }
      Map<String, Set<String>> frozen = new LinkedHashMap<>();
      groups.forEach((name, members) -> frozen.put(name, Set.copyOf(members)));
      return new Guard.Policy(Map.copyOf(frozen), defaultAccess, Set.copyOf(adminUsers), Set.copyOf(adminGroups),
          Optional.ofNullable(userRateLimit), Optional.ofNullable(routeRateLimit), auditRetention);
    }

    /** Every group an access rule or the admins name must be defined with {@link #group}. */
    private void checkGroups(List<PluginConfig> configs) {
      for (String admin : admins) {
        if (admin.startsWith("@") && !groups.containsKey(admin.substring(1))) {
          throw new ConfigurationException("admins names group " + admin + ", which is not defined; define it"
              + " with EventRouter.Builder.group(\"" + admin.substring(1) + "\", users...)");
        }
      }
      for (PluginConfig config : configs) {
        for (AccessRule rule : config.accessRules()) {
          List<String> named = new ArrayList<>(rule.allowGroups());
          named.addAll(rule.denyGroups());
          for (String group : named) {
            if (!groups.containsKey(group)) {
              throw new ConfigurationException(config.name() + " config.yaml: Access." + rule.name()
                  + " names group " + group + ", which the host does not define; define it with"
                  + " EventRouter.Builder.group(\"" + group + "\", users...). Defined groups: "
                  + (groups.isEmpty() ? "none" : String.join(", ", new TreeSet<>(groups.keySet()))));
            }
          }
        }
      }
    }

    /** Mounts a service handler at its path. */
    public Builder service(ServiceHandler service) {
      services.add(Objects.requireNonNull(service, "service"));
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
     * The engine for free text; by default the embedded {@link LocalNlu}, trained on the registered
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
      List<TrainingSet> trainingSets = new ArrayList<>();
      for (Plugin p : pluginList) {
        p.trainingSet().ifPresent(trainingSets::add);
      }
      Catalog catalog = Catalog.of(configs, Guides.from(trainingSets));
      checkGroups(configs);
      for (String hooked : hookSecrets.keySet()) {
        if (!pluginNames.containsKey(hooked)) {
          throw new ConfigurationException("a hook secret is set for " + hooked + ", which is not registered");
        }
      }
      List<PluginSlot> slots = new ArrayList<>();
      EventRouter[] router = new EventRouter[1];
      for (int i = 0; i < pluginList.size(); i++) {
        Plugin p = pluginList.get(i);
        PluginConfig config = configs.get(i);
        Credentials credentials = config.credentials().withOverrides(credentialOverrides.get(i));
        slots.add(new PluginSlot(p, config, credentials, clock, () -> router[0].healthChecks()));
      }
      router[0] = new EventRouter(this, slots, catalog, trainingSets);
      try {
        router[0].configs.reloadChanged(true); // what other routers stored wins over the bundled config
      } catch (RuntimeException e) {
        router[0].close();
        throw e;
      }
      for (PluginSlot slot : slots) {
        slot.tryConnect();
      }
      return router[0];
    }
  }
}
