package ai.chatops.router.internal;

import ai.chatops.ChatOpsException;
import ai.chatops.InvocationResult;
import ai.chatops.WebhookResponse;
import ai.chatops.access.AccessRefusedException;
import ai.chatops.access.internal.Access;
import ai.chatops.audit.AuditEntry;
import ai.chatops.dialog.internal.ConversationStep;
import ai.chatops.service.Reply;
import ai.chatops.access.internal.AccessDialogStep;
import ai.chatops.audit.AuditLog;
import ai.chatops.audit.internal.AuditCommand;
import ai.chatops.audit.internal.Auditor;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.DialogParsers;
import ai.chatops.RouterObserver.EventOutcome;
import ai.chatops.internal.DaemonThreads;
import ai.chatops.internal.Observers;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.RuntimeEntities;
import ai.chatops.plugin.EntitySource;
import ai.chatops.dialog.internal.ChoicesInterceptor;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.AccessRule;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.secrets.internal.CredentialCipher;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.ServiceHandler;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.toolkit.LogSafe;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's machinery, wired once from its settings: the journal and the workers behind the ack path, the
 * dialog chain, the invocation chain, follow-ups, hooks, stored configurations, and the scheduler that sweeps
 * for abandoned work. {@code EventRouter} is its public face. Thread-safe.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final List<PluginSlot> plugins;
  private final Store store;
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Workers workers;
  private final EventJournal journal;
  private final FollowUpJournal followUpJournal;
  private final FollowUps followUps;
  private final EventProcessor processor;
  private final Invoker invoker;
  private final Hooks hooks;
  private final StoredConfigs storedConfigs;
  private final ConfigEndpoint configs;
  private final Consumer<ChatEvent> dispatcher;
  private final AuditLog auditLog;
  private final Duration drainTimeout;
  private final Observers observers;
  // The values of the plugins that are EntitySources, refreshed every ENTITY_REFRESH off the event path.
  private final RuntimeEntities entities;
  private static final Duration ENTITY_REFRESH = Duration.ofMinutes(5);
  private final java.util.concurrent.atomic.AtomicBoolean entitiesStarted =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closed;
  private ConversationStep conversation;
  private final Access access;
  private final Auditor auditor;
  private final Delivery delivery;

  /** Wires the machinery and starts the sweeps; stored configurations are applied by the caller. */
  public Engine(RouterSettings s, List<PluginSlot> slots, Catalog catalog, List<TrainingSet> trainingSets) {
    this.plugins = List.copyOf(slots);
    this.store = s.store() != null ? s.store() : InMemoryStore.create(s.clock());
    this.drainTimeout = s.drainTimeout();
    this.entities = entities(slots);
    this.observers = new Observers(s.observers());
    // First, so that the local NLU's models start fitting on their own thread before this one starts the
    // pools' threads and wires the rest: a router's first free-text event waits for them.
    NluEngine nlu = nlu(s, trainingSets);
    this.ownsExecutor = s.executor() == null;
    this.executor = s.executor() != null ? s.executor()
        : defaultExecutor(s.workerThreads(), s.queueCapacity(), s.dispatcher() == null);
    this.scheduler = new ScheduledThreadPoolExecutor(2, new DaemonThreads("chatops-scheduler"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.workers = new Workers(executor, s.maxPendingCalls());

    Map<String, PluginSlot> byRoute = new LinkedHashMap<>();
    Map<String, PluginSlot> byName = new LinkedHashMap<>();
    Map<String, AccessRule> rules = new LinkedHashMap<>();
    for (PluginSlot slot : slots) {
      byName.put(slot.name(), slot);
      // Loops, not forEach lambdas, on the start path: each lambda is a class generated at start-up.
      for (Route route : slot.config().routes()) {
        byRoute.put(route.path(), slot);
      }
      for (AccessRule rule : slot.config().accessRules()) {
        rules.put(rule.route(), rule);
      }
    }
    this.auditLog = AuditLog.of(store);
    Auditor auditor = new Auditor(auditLog, s.auditRetention(), s.clock(), new RouteCredentials(byRoute),
        new Completed(byRoute, observers));
    Access access = new Access(s.access(), rules, s.clock(), s.maxRateBuckets(), store);
    this.access = access;
    this.auditor = auditor;
    List<Interceptor> interceptors = new ArrayList<>();
    // A plugin's choices are the asker's: only their click continues the conversation.
    interceptors.add(new ChoicesInterceptor(store, s.clock(), s.conversationTimeout()));
    interceptors.addAll(s.interceptors());
    this.invoker = new Invoker(byRoute, auditor, access, s.pluginTimeout(), scheduler, interceptors,
        new Resume(workers));

    Map<String, ServiceHandler> servicesByName = new LinkedHashMap<>();
    for (ServiceHandler service : s.services()) {
      servicesByName.put(service.name(), service);
    }
    Delivery delivery = new Delivery(servicesByName);
    this.delivery = delivery;
    Duration lease = s.lease() != null ? s.lease() : s.pluginTimeout().multipliedBy(2).plusMinutes(1);
    String owner = UUID.randomUUID().toString();
    this.journal = new EventJournal(store, s.clock(), owner, s.dedupeWindow(), lease);
    this.followUpJournal = new FollowUpJournal(store, s.clock(), owner, lease);
    this.followUps = new FollowUps(followUpJournal, delivery, workers, scheduler, s.pluginTimeout(), s.clock());
    this.processor = new EventProcessor(new EventProcessor.Dialog(parsers(s, auditor, access, nlu),
        catalog), invoker, followUps, delivery, journal, s.maxAttempts(), workers, observers);
    this.hooks = new Hooks(new HookEndpoint(s.hookSecrets(), store, s.clock()), byName, workers, scheduler,
        s.pluginTimeout(),
        delivery);
    Map<String, Credentials> baseCredentials = new LinkedHashMap<>();
    for (PluginSlot slot : slots) {
      baseCredentials.put(slot.name(), slot.credentials());
    }
    this.storedConfigs = new StoredConfigs(store,
        s.keyProvider() == null ? Optional.empty()
            : Optional.of(new CredentialCipher(s.keyProvider(), new SecureRandom())),
        s.clock(),
        new RoutesInCode(byName));
    this.configs = new ConfigEndpoint(slots, baseCredentials, storedConfigs,
        new AdminAuth(s.adminToken(), s.adminSecret(), store, s.clock()));
    this.dispatcher = s.dispatcher();
    long sweepMillis = s.sweepInterval().toMillis();
    // A store created here a moment ago holds nothing another router left: the first sweep waits an interval
    // instead of scanning it on a thread of its own while the router takes its first event.
    long firstSweep = s.store() == null ? sweepMillis : 0;
    scheduler.scheduleWithFixedDelay(new Periodic(false), firstSweep, sweepMillis, TimeUnit.MILLISECONDS);
    // No run at start: the router applies the stored configurations itself, before connecting the plugins.
    scheduler.scheduleWithFixedDelay(new Periodic(true), sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  // The engine's callbacks below are classes of its own, not lambdas or method references: each of those is a
  // class generated, with its method handles, while a cold router is built (about a millisecond each in a cold
  // JVM, more on a busy machine).

  /** The scheduler's periodic work: the sweep for abandoned work, or the reload of stored configurations. */
  private final class Periodic implements Runnable {
    private final boolean reload;

    Periodic(boolean reload) {
      this.reload = reload;
    }

    @Override
    public void run() {
      if (reload) {
        reloadConfigs();
      } else {
        sweep();
      }
    }
  }

  /** Continues a call whose stage completed elsewhere on a worker ({@link Workers#resume}). */
  private static final class Resume implements Executor {
    private final Workers workers;

    Resume(Workers workers) {
      this.workers = workers;
    }

    @Override
    public void execute(Runnable work) {
      workers.resume(work);
    }
  }

  /** The credentials of the plugin serving a route, for the audit entry's redaction. */
  private static final class RouteCredentials implements Function<String, Optional<Credentials>> {
    private final Map<String, PluginSlot> byRoute;

    RouteCredentials(Map<String, PluginSlot> byRoute) {
      this.byRoute = byRoute;
    }

    @Override
    public Optional<Credentials> apply(String route) {
      PluginSlot slot = byRoute.get(route);
      return slot == null ? Optional.empty() : Optional.of(slot.credentials());
    }
  }

  /** Hands each audit entry to the observers, under the name of the plugin serving its route. */
  private static final class Completed implements Consumer<AuditEntry> {
    private final Map<String, PluginSlot> byRoute;
    private final Observers observers;

    Completed(Map<String, PluginSlot> byRoute, Observers observers) {
      this.byRoute = byRoute;
      this.observers = observers;
    }

    @Override
    public void accept(AuditEntry entry) {
      PluginSlot slot = byRoute.get(entry.route());
      observers.invocationCompleted(slot == null ? entry.route() : slot.name(), entry);
    }
  }

  /** The routes a plugin declares in code, for the stored configurations to check theirs against. */
  private static final class RoutesInCode implements Function<String, List<Route>> {
    private final Map<String, PluginSlot> byName;

    RoutesInCode(Map<String, PluginSlot> byName) {
      this.byName = byName;
    }

    @Override
    public List<Route> apply(String name) {
      PluginSlot slot = byName.get(name);
      Optional<ai.chatops.plugin.PluginRoutes> routes = slot == null ? Optional.empty() : slot.plugin().routes();
      return routes.isPresent() ? routes.get().routes() : List.of();
    }
  }

  /**
   * Starts refreshing the plugins' runtime values, once: on the executor, not the scheduler's two threads, so
   * a slow plugin server delays no sweep. Stopped with the scheduler on {@link #close()}.
   */
  private void startEntities() {
    if (closed || !entitiesStarted.compareAndSet(false, true)) {
      return;
    }
    try {
      entities.start(scheduler, executor, ENTITY_REFRESH);
    } catch (RejectedExecutionException e) {
      log.debug("runtime entities not started: the router is closing");
    }
  }

  /** The runtime values of the plugins that supply them, each asked only once connected. */
  private RuntimeEntities entities(List<PluginSlot> slots) {
    RuntimeEntities.Builder builder = RuntimeEntities.builder();
    for (PluginSlot slot : slots) {
      if (slot.plugin() instanceof EntitySource source) {
        builder.source(slot.name(), () -> {
          if (closed) {
            throw new IllegalStateException("the router is closed");
          }
          slot.ensureConnected();
          return source.entityValues();
        });
      }
    }
    return builder.build();
  }

  /**
   * The router's NLU engine, observed (timings and outcomes under the engine's own name, also when it is
   * wrapped here); the embedded one with the plugins' runtime values unless the host gave its own.
   */
  private NluEngine nlu(RouterSettings s, List<TrainingSet> training) {
    NluEngine nlu = s.nlu();
    if (nlu == null) {
      LocalNlu local = LocalNlu.train(training);
      if (s.dispatcher() == null) {
        fitInBackground(local);
      }
      nlu = local;
    }
    return observers.observe(withRuntimeEntities(nlu), Observers.engineName(nlu));
  }

  private NluEngine withRuntimeEntities(NluEngine nlu) {
    if (!(nlu instanceof LocalNlu local) || local.runtimeEntities().hasSources() || !entities.hasSources()) {
      return nlu;
    }
    // Started by the first free-text message, not at build: a router that only ever gets explicit commands
    // sends its plugins no listing request.
    LocalNlu wired = local.withRuntimeEntities(entities);
    return new NluEngine() {
      @Override
      public Optional<ai.chatops.nlu.NluResult> understand(ai.chatops.nlu.NluQuery query) {
        startEntities();
        return wired.understand(query);
      }

      @Override
      public List<ai.chatops.nlu.NluResult> closest(ai.chatops.nlu.NluQuery query, int limit) {
        startEntities();
        return wired.closest(query, limit);
      }

      @Override
      public String toString() {
        return wired.toString();
      }
    };
  }

  /**
   * The dialog chain: clean-up, help and audit, the conversation step with the access step right inside it,
   * the host's steps, the explicit command grammar, then the NLU.
   */
  private List<DialogParser> parsers(RouterSettings s, Auditor auditor, Access access, NluEngine nlu) {
    List<DialogParser> parsers = new ArrayList<>();
    parsers.add(DialogParsers.ignoreBots());
    parsers.add(DialogParsers.stripMention());
    parsers.add(DialogParsers.normalize());
    parsers.add(DialogParsers.help());
    parsers.add(new AuditCommand(auditor, s.access()));
    DialogParsers.conversation(store, s.clock(), s.conversationTimeout(), s.nluThreshold()); // checks the values
    conversation = new ConversationStep(store, s.clock(), s.conversationTimeout(), s.nluThreshold(),
        new KnownValues(entities)); // explicit commands and free text checked against the plugins' known values
    parsers.add(conversation);
    parsers.add(new AccessDialogStep(access, auditor)); // refuses before the conversation step asks for details
    parsers.addAll(s.dialogParsers());
    parsers.add(DialogParsers.commandGrammar());
    parsers.add(DialogParsers.nlu(nlu));
    return parsers;
  }

  /**
   * Fits the local NLU's models on a thread of its own while the router is finished and takes its first
   * request, since this router answers its events itself: the first free-text message would otherwise wait
   * for them (about 150 ms on a cold JVM). The models fit once; a question asked meanwhile waits for them.
   */
  private static void fitInBackground(LocalNlu nlu) {
    new DaemonThreads("chatops-nlu-fit").newThread(new Fit(nlu)).start();
  }

  /** {@link #fitInBackground}'s task; a class, not a lambda generated while the router is built. */
  private static final class Fit implements Runnable {
    private final LocalNlu nlu;

    Fit(LocalNlu nlu) {
      this.nlu = nlu;
    }

    @Override
    public void run() {
      try {
        nlu.fit();
      } catch (RuntimeException e) {
        log.warn("fitting the local NLU failed; the first question fits it again", e);
      }
    }
  }

  /** The plugins' runtime values of an attribute, for the conversation step to check answers against. */
  private static final class KnownValues implements BiFunction<String, String, Map<String, String>> {
    private final RuntimeEntities entities;

    KnownValues(RuntimeEntities entities) {
      this.entities = entities;
    }

    @Override
    public Map<String, String> apply(String plugin, String attribute) {
      return entities.values(plugin, attribute);
    }
  }

  /**
   * The router's own pool. Its threads are started at once when the router processes its events, so that the
   * first burst does not wait for them; with a dispatcher (events go to a queue's worker) the pool runs only
   * hooks and follow-ups, and an acknowledging function's cold start does not start sixteen threads.
   */
  private static ExecutorService defaultExecutor(int threads, int queueCapacity, boolean prestart) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(
        threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity), new DaemonThreads("chatops-worker"),
        new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    if (prestart) {
      pool.prestartAllCoreThreads();
    }
    return pool;
  }

  /**
   * Records, deduplicates and enqueues one event; returns a refusal when it cannot be taken now, else null.
   * The event is in the store before the platform hears it was received, so a crash after the
   * acknowledgement loses nothing: another router's sweep finds it.
   */
  public WebhookResponse accept(ChatEvent event) {
    String ref = LogSafe.ref(event.service(), event.id());
    Optional<EventJournal.Recorded> recorded;
    try {
      recorded = journal.record(event, dispatcher != null);
    } catch (RuntimeException e) {
      log.error("event {}: the store could not record it; asking the platform to retry", ref, e);
      observers.eventReceived(event.service(), event, EventOutcome.OVERLOADED);
      return WebhookResponse.text(503, "the bot's store is unavailable; try again");
    }
    if (recorded.isEmpty()) {
      log.info("event {}: already received; acknowledged without processing again", ref);
      observers.eventReceived(event.service(), event, EventOutcome.DUPLICATE);
      return null;
    }
    try {
      if (dispatcher != null) {
        dispatcher.accept(event);
      } else {
        processor.submitRecorded(event, recorded.get());
      }
      observers.eventReceived(event.service(), event, EventOutcome.ACCEPTED);
      return null;
    } catch (RejectedExecutionException | ChatOpsException e) {
      log.warn("event {}: could not be handed on ({}); asking the platform to retry", ref, e.toString());
      try {
        journal.forget(event); // so that the redelivery is processed
      } catch (RuntimeException deleteFailed) {
        log.error("event {}: could not forget it after refusing it; a redelivery will be skipped", ref,
            deleteFailed);
      }
      observers.eventReceived(event.service(), event, EventOutcome.OVERLOADED);
      return WebhookResponse.text(503, "the bot is busy; try again");
    }
  }

  /**
   * Runs a call that did not come through the dialog chain; the access rules apply to it here. When the call is
   * done and its action has a follow-up, the follow-up is watched, its results delivered into the invocation's
   * conversation, if {@code deliverable}: the router has the event's service.
   */
  public CompletableFuture<InvocationResult> invoke(Invocation invocation, boolean deliverable) {
    return workers.runNow(() -> invoker.invokeWithOutcome(invocation)).thenApply(result -> {
      if (!deliverable || !result.done() || result.action().followUp().isEmpty()) {
        return result;
      }
      String ref = LogSafe.ref(invocation.event().service(), invocation.event().id());
      try {
        followUps.handle(invoker.slot(invocation.route().path()),
            Action.keepFollowing(result.action().followUp().get()), null, invocation.event().conversation(),
            invocation.event().id(), ref);
      } catch (RuntimeException e) {
        log.warn("event {}: could not follow {}: {}", ref, result.action().followUp().get().key(), e.toString());
        return result;
      }
      return new InvocationResult(result.outcome(), result.action(), true);
    });
  }

  /**
   * The route's access rule for the invocation's user, before anyone is asked to approve the call; see
   * {@code EventRouter.accessRefusal}. A refusal is audited as denied; nothing is sent.
   */
  public Optional<String> accessRefusal(Invocation invocation) {
    try {
      access.checkRule(invocation.event(), invocation.route().path());
    } catch (AccessRefusedException refused) {
      auditor.record(invocation.event(), invocation.route().path(), invocation.attributes(),
          AuditEntry.Outcome.DENIED, 0, refused.reason(), invocation.via());
      return Optional.of(refused.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Asks the invocation's user in its conversation to approve a call proposed outside chat; see
   * {@code EventRouter.askToApprove}. Returns the refusal when the route's access rule refuses the user, else
   * empty once the question was delivered.
   */
  public Optional<String> askToApprove(Invocation invocation) {
    Optional<String> refusal = accessRefusal(invocation);
    if (refusal.isPresent()) {
      return refusal;
    }
    Reply question = conversation.propose(invocation);
    delivery.deliver(invocation.event().conversation(), question,
        LogSafe.ref(invocation.event().service(), invocation.event().id()));
    return Optional.empty();
  }

  /**
   * Hands the events that a stopped router left unfinished (their lease ran out) to the workers, and takes
   * over the follow-ups it left. Runs at start (after one interval when the store is the router's own, new
   * in-memory one) and then every sweep interval.
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
        log.warn("event {}: found unfinished but no worker can take it now",
            LogSafe.ref(event.service(), event.id()));
        return;
      }
    }
    List<FollowUpJournal.Watch> watches;
    try {
      watches = followUpJournal.takeOverAbandoned(followUps::holds);
    } catch (RuntimeException e) {
      log.warn("could not look for abandoned follow-ups: {}", e.toString());
      return;
    }
    for (FollowUpJournal.Watch watch : watches) {
      plugins.stream().filter(p -> p.name().equals(watch.plugin())).findFirst().ifPresentOrElse(
          slot -> followUps.resume(slot, watch),
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

  public EventProcessor processor() {
    return processor;
  }

  public Hooks hooks() {
    return hooks;
  }

  public ConfigEndpoint configs() {
    return configs;
  }

  public StoredConfigs storedConfigs() {
    return storedConfigs;
  }

  public AuditLog auditLog() {
    return auditLog;
  }

  /** The router's observers, as one. */
  public Observers observers() {
    return observers;
  }

  /** Events waiting for a worker: the default pool's queue (0 for an executor that is not a pool). */
  public int queuedEvents() {
    return executor instanceof ThreadPoolExecutor ? ((ThreadPoolExecutor) executor).getQueue().size() : 0;
  }

  /** Workers processing an event now (for an executor that is not a pool: the work in flight). */
  public int busyWorkers() {
    return executor instanceof ThreadPoolExecutor ? ((ThreadPoolExecutor) executor).getActiveCount()
        : workers.inFlight();
  }

  public Workers workers() {
    return workers;
  }

  /** Whether a registered plugin serves {@code route}. */
  public boolean serves(Route route) {
    return invoker.serves(route.path());
  }

  /**
   * Waits up to the drain timeout for in-flight events, stops follow-ups (their watches stay in the store for
   * the next router), shuts down the executor if the engine created it, and closes the plugins. Idempotent.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!workers.awaitIdle(drainTimeout)) {
      log.warn("{} events still running after {}; closing anyway", workers.inFlight(), drainTimeout);
    }
    scheduler.shutdownNow();
    if (ownsExecutor) {
      executor.shutdownNow();
    }
    for (PluginSlot slot : plugins) {
      slot.close();
    }
  }
}
