package ai.chatops.examples.http;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.access.AccessPolicy;
import ai.chatops.WebhookResponse;
import ai.chatops.nlu.NluEngine;
import ai.chatops.dialogflow.DialogFlowNlu;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.mcp.McpEndpoint;
import ai.chatops.mcp.McpServlet;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Status;
import ai.chatops.slack.SlackService;
import ai.chatops.slack.SlackSocketMode;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.store.datastore.DatastoreStore;
import ai.chatops.store.dynamodb.DynamoDbStore;
import ai.chatops.teams.TeamsService;
import ai.chatops.messenger.MessengerService;
import ai.chatops.x.XService;
import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * A Slack bot on an embedded Jetty server that bounds every client ({@link RouterServer}): mounts the router at {@code /slack/events} (events, slash
 * commands and buttons), answers {@code GET /healthz} with each plugin's health check, and is configured
 * by environment variables only (see {@link Settings}). With {@code SLACK_APP_TOKEN} set it receives
 * through Socket Mode instead, and keeps serving {@code /healthz}. Jenkins is enabled when
 * {@code JENKINS_URL}, {@code JENKINS_USER} and {@code JENKINS_API_TOKEN} are set; otherwise its commands
 * answer which of them are missing. {@code CHATOPS_STORE} chooses where events are journalled (memory,
 * DynamoDB or Datastore) and {@code CHATOPS_NLU} what understands free text (the local engine or DialogFlow).
 * {@code CHATOPS_ADMIN_TOKEN} or {@code CHATOPS_ADMIN_SECRET} enable the configuration endpoint
 * {@code /v1/yaml}, and {@code CHATOPS_KEYS} or {@code CHATOPS_KEYS_FILE} give the keys that encrypt the
 * credentials it stores (docs/configuration.md). With {@code TEAMS_APP_ID} and {@code TEAMS_APP_PASSWORD} set it
 * also serves Microsoft Teams at {@code /api/messages}, beside Slack or alone (docs/teams.md); with the
 * {@code MESSENGER_*} variables Facebook Messenger at {@code /messenger/webhook} (docs/messenger.md), and with the
 * {@code X_*} variables X direct messages at {@code /x/webhook} (docs/x.md), in any combination.
 *
 * <pre>
 * SLACK_SIGNING_SECRET=... SLACK_BOT_TOKEN=xoxb-... java -jar chatops-http-server.jar
 * </pre>
 */
public final class HttpServerMain {
  private static final Logger log = LoggerFactory.getLogger(HttpServerMain.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServerMain() {}

  public static void main(String[] args) {
    Host host;
    try {
      host = start(System.getenv());
    } catch (ConfigurationException e) {
      System.err.println("chatops-http-server: " + e.getMessage());
      System.exit(2);
      return;
    } catch (IOException | UncheckedIOException e) {
      System.err.println("chatops-http-server: cannot listen: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(host::close, "chatops-shutdown"));
  }

  /**
   * Starts the host with these environment variables.
   *
   * @throws ConfigurationException naming the variable that is missing or invalid
   * @throws IOException when the port cannot be bound
   */
  static Host start(Map<String, String> env) throws IOException {
    return start(env, JenkinsPlugin.builder());
  }

  /**
   * Starts the host with these environment variables and the Jenkins plugin's options (tests shorten the
   * poll intervals).
   */
  static Host start(Map<String, String> env, JenkinsPlugin.Builder jenkins) throws IOException {
    return start(env, jenkins, RouterServer.Limits.defaults());
  }

  /** Starts the host with these limits on each client (tests shorten the deadlines). */
  static Host start(Map<String, String> env, JenkinsPlugin.Builder jenkins, RouterServer.Limits limits)
      throws IOException {
    Settings settings = Settings.fromEnv(env);
    List<AutoCloseable> resources = new ArrayList<>();
    Optional<Store> store;
    try {
      store = store(settings.store(), resources);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
    SlackService slack = settings.slackEnabled() ? slack(settings, store) : null;
    if (!settings.jenkinsConfigured()) {
      log.warn("Jenkins is not configured: set JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN to enable it;"
          + " until then its commands answer that it cannot run");
    }
    EventRouter router;
    Optional<McpEndpoint> mcp;
    try {
      Map<Plugin, Map<String, String>> plugins = plugins(settings, jenkins);
      // Issue #19: the MCP server (CHATOPS_MCP_TOKENS), served by McpServlet beside the router's handler.
      mcp = ModelWiring.mcp(env, List.copyOf(plugins.keySet()));
      router = router(env, settings, slack, plugins, store, resources);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
    RouterServer server;
    try {
      server = RouterServer.start(settings.bindAddress(), settings.port(), router,
          () -> health(router.healthChecks()), limits, mcp.map(endpoint -> McpServlet.create(endpoint, router)));
    } catch (UncheckedIOException e) {
      router.close();
      closeAll(resources);
      throw e;
    }
    SlackSocketMode socketMode = null;
    if (slack != null && !settings.appToken().isEmpty()) {
      socketMode = SlackSocketMode.builder().appToken(settings.appToken()).service(slack).router(router).build();
      socketMode.start();
    }
    Host host = new Host(server, router, socketMode, resources);
    log.info("chatops-http-server listening on http://{}:{} ({}); plugins: {}",
        settings.bindAddress().getHostAddress(), host.port(), entryPoints(settings, slack, socketMode != null,
            mcp.isPresent()),
        // The catalog, not healthChecks(): listing names must not call every plugin's backend at start-up.
        router.catalog().plugins().stream().map(PluginConfig::name).collect(Collectors.joining(", ")));
    return host;
  }

  /** The Slack service of these settings; a follow-up resumed after a restart edits its message in place. */
  private static SlackService slack(Settings settings, Optional<Store> store) {
    SlackService.Builder slack = SlackService.builder()
        .botToken(settings.botToken())
        .apiUrl(settings.apiUrl());
    if (!settings.signingSecret().isEmpty()) {
      slack.signingSecret(settings.signingSecret());
    }
    store.ifPresent(slack::messageStore);
    return slack.build();
  }

  /**
   * The plugins with their credentials: the bot's own and Jenkins first, then those discovered on the class
   * path. Jenkins is registered with the credentials that are set: when some are missing, its connect names
   * them and the router tells the user "the jenkins plugin cannot run: ...".
   */
  private static Map<Plugin, Map<String, String>> plugins(Settings settings, JenkinsPlugin.Builder jenkins) {
    Map<Plugin, Map<String, String>> plugins = new LinkedHashMap<>();
    plugins.put(BotPlugin.create(), Map.of());
    plugins.put(jenkins.build(), settings.jenkins());
    for (Plugin p : ServiceLoader.load(Plugin.class, HttpServerMain.class.getClassLoader())) {
      if (plugins.keySet().stream().noneMatch(existing -> existing.name().equals(p.name()))) {
        plugins.put(p, Map.of());
      }
    }
    return plugins;
  }

  /** The router of these settings; the services and engines it opens are added to {@code resources}. */
  private static EventRouter router(Map<String, String> env, Settings settings, SlackService slack,
      Map<Plugin, Map<String, String>> plugins, Optional<Store> store, List<AutoCloseable> resources) {
    EventRouter.Builder builder = EventRouter.builder();
    if (slack != null) {
      builder.service(slack);
    }
    plugins.forEach(builder::plugin);
    // Microsoft Teams (docs/teams.md): its conversation references go to the router's store.
    if (settings.teams().isPresent()) {
      store = Optional.of(store.orElseGet(InMemoryStore::create));
      TeamsService teams = teams(settings.teams().get(), store.get());
      resources.add(teams);
      builder.service(teams);
    }
    // Facebook Messenger and X direct messages (docs/messenger.md, docs/x.md).
    if (settings.messenger().isPresent()) {
      MessengerService messenger = messenger(settings.messenger().get());
      resources.add(messenger);
      builder.service(messenger);
    }
    settings.x().map(HttpServerMain::x).ifPresent(builder::service);
    store.ifPresent(builder::store);
    List<Plugin> pluginList = List.copyOf(plugins.keySet());
    nlu(settings.nlu(), pluginList, resources).ifPresent(builder::nlu);
    // Issue #19: a language model (CHATOPS_NLU=llm or local,llm).
    ModelWiring.nlu(env, pluginList).ifPresent(builder::nlu);
    settings.lease().ifPresent(builder::lease);
    settings.sweepInterval().ifPresent(builder::sweepInterval);
    settings.admin().token().ifPresent(builder::adminToken);
    settings.admin().secret().ifPresent(builder::adminSecret);
    settings.admin().keys().ifPresent(builder::keyProvider);
    access(settings.access(), builder);
    return builder.build();
  }

  /** Where the host receives each platform's traffic, for the start-up log line. */
  private static String entryPoints(Settings settings, SlackService slack, boolean socketMode, boolean mcp) {
    return (slack == null ? "no Slack" : socketMode ? "Slack through Socket Mode" : "Slack requests at "
        + slack.path()) + (settings.teams().isPresent() ? ", Teams activities at /api/messages" : "")
        + (settings.messenger().isPresent() ? ", Messenger at /messenger/webhook" : "")
        + (settings.x().isPresent() ? ", X direct messages at /x/webhook" : "")
        + (mcp ? ", MCP at " + McpEndpoint.PATH : "");
  }

  /** The Teams service of these settings, keeping its conversation references in {@code store}. */
  static TeamsService teams(Settings.Teams settings, Store store) {
    TeamsService.Builder teams = TeamsService.builder()
        .appId(settings.appId())
        .appPassword(settings.appPassword())
        .allowedTenants(settings.allowedTenants())
        .openIdMetadataUrl(settings.openIdMetadataUrl())
        .store(store);
    settings.tenantId().ifPresent(teams::tenantId);
    settings.tokenUrl().ifPresent(teams::tokenUrl);
    return teams.build();
  }

  /** The Messenger service of these settings. */
  static MessengerService messenger(Settings.Messenger settings) {
    MessengerService.Builder messenger = MessengerService.builder()
        .appSecret(settings.appSecret())
        .verifyToken(settings.verifyToken())
        .pageToken(settings.pageToken())
        .apiUrl(settings.apiUrl());
    settings.pageId().ifPresent(messenger::pageId);
    return messenger.build();
  }

  /** The X direct-message service of these settings. */
  static XService x(Settings.X settings) {
    return XService.builder()
        .consumerSecret(settings.consumerSecret())
        .botToken(settings.botToken())
        .botUserId(settings.botUserId())
        .apiUrl(settings.apiUrl())
        .build();
  }

  /**
   * Builds the store the settings name, or empty for the router's in-memory store; the clients it opens are
   * added to {@code resources}.
   */
  static Optional<Store> store(Settings.StoreSettings settings, List<AutoCloseable> resources) {
    if (settings instanceof Settings.DynamoDb) {
      Settings.DynamoDb dynamo = (Settings.DynamoDb) settings;
      DynamoDbClientBuilder client = DynamoDbClient.builder()
          .region(Region.of(dynamo.region()))
          .httpClient(UrlConnectionHttpClient.builder().build());
      dynamo.endpoint().ifPresent(client::endpointOverride);
      if (dynamo.dummyCredentials()) {
        // dynalite and other local DynamoDB implementations accept any signature; without this the SDK's
        // default chain would fail for want of credentials on a developer's machine.
        client.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      }
      DynamoDbClient dynamoDb = client.build();
      resources.add(dynamoDb);
      DynamoDbStore store = DynamoDbStore.builder().client(dynamoDb).table(dynamo.table()).build();
      if (dynamo.createTable()) {
        log.info("DYNAMODB_CREATE_TABLE: creating DynamoDB table \"{}\" with TTL at {} unless it exists",
            dynamo.table(), dynamo.endpoint().map(Object::toString).orElse(dynamo.region()));
        store.createTableForDevelopment();
      }
      log.info("events are journalled in DynamoDB table \"{}\" ({})", dynamo.table(),
          dynamo.endpoint().map(Object::toString).orElse(dynamo.region()));
      return Optional.of(store);
    }
    if (settings instanceof Settings.Datastore) {
      Settings.Datastore datastore = (Settings.Datastore) settings;
      DatastoreOptions.Builder options = DatastoreOptions.newBuilder().setProjectId(datastore.projectId());
      if (!datastore.namespace().isEmpty()) {
        options.setNamespace(datastore.namespace());
      }
      // The client's default transport is HTTP, which honours the emulator host; its gRPC transport in 2.33.0
      // would replace the emulator's channel with one to production (docs/stores.md).
      datastore.emulatorHost().ifPresent(host ->
          options.setHost("http://" + host).setCredentials(NoCredentials.getInstance()));
      Datastore client = options.build().getService();
      resources.add(client);
      log.info("events are journalled in Datastore project {}{}{}", datastore.projectId(),
          datastore.namespace().isEmpty() ? "" : ", namespace " + datastore.namespace(),
          datastore.emulatorHost().map(h -> ", emulator at " + h).orElse(""));
      return Optional.of(DatastoreStore.builder().datastore(client).build());
    }
    log.info("events are journalled in memory: unfinished events do not survive a restart (set CHATOPS_STORE)");
    return Optional.empty();
  }

  /**
   * Builds the engine the settings name, or empty for the router's default (the local engine trained on the
   * plugins). DialogFlow answers with the local engine as its fallback.
   */
  static Optional<NluEngine> nlu(Settings.NluSettings settings, List<Plugin> plugins, List<AutoCloseable> resources) {
    if (!(settings instanceof Settings.DialogFlow)) {
      return Optional.empty();
    }
    Settings.DialogFlow dialogFlow = (Settings.DialogFlow) settings;
    List<TrainingSet> training = new ArrayList<>();
    for (Plugin p : plugins) {
      p.trainingSet().ifPresent(training::add);
    }
    DialogFlowNlu.Builder nlu = DialogFlowNlu.builder()
        .projectId(dialogFlow.projectId())
        .languageCode(dialogFlow.language())
        .fallback(LocalNlu.train(training));
    dialogFlow.credentialsFile().ifPresent(nlu::credentialsFile);
    DialogFlowNlu engine = nlu.build();
    resources.add(engine);
    log.info("free text goes to DialogFlow project {} ({}), with the local engine as the fallback",
        dialogFlow.projectId(), dialogFlow.language());
    return Optional.of(engine);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("closing {} failed", resource, e);
      }
    }
  }

  /**
   * A liveness answer: 200 whenever the process serves, with {@code status} {@code ok} when every plugin is
   * good and {@code degraded} otherwise, and each plugin's state. A plugin that is not configured (Jenkins in
   * a Slack-only deployment) must not make a load balancer take the whole bot out of service.
   */
  private static WebhookResponse health(Map<String, Status> checks) {
    ObjectNode body = JSON.createObjectNode();
    boolean good = checks.values().stream().allMatch(s -> s.state().isGood());
    body.put("status", good ? "ok" : "degraded");
    ObjectNode plugins = body.putObject("plugins");
    for (Map.Entry<String, Status> e : checks.entrySet()) {
      plugins.putObject(e.getKey()).put("state", e.getValue().state().name()).put("detail", e.getValue().detail());
    }
    return WebhookResponse.json(200, body.toString());
  }

  /** Access rules' groups, the default policy, the audit admins, rate limits and retention (docs/access.md). */
  static void access(Settings.AccessSettings access, EventRouter.Builder builder) {
    AccessPolicy.Builder policy = AccessPolicy.builder();
    access.groups().forEach((name, users) -> policy.group(name, users.toArray(String[]::new)));
    policy.admins(access.admins().toArray(String[]::new)).defaultAccess(access.defaultAllow());
    access.userRateLimit().ifPresent(limit -> policy.userRateLimit(limit.capacity(), limit.period()));
    access.routeRateLimit().ifPresent(limit -> policy.routeRateLimit(limit.capacity(), limit.period()));
    builder.access(policy.build());
    access.auditRetention().ifPresent(builder::auditRetention);
  }

  /** A running host. {@link #close()} stops it. */
  static final class Host implements AutoCloseable {
    private final RouterServer server;
    private final EventRouter router;
    private final SlackSocketMode socketMode;
    private final List<AutoCloseable> resources;

    Host(RouterServer server, EventRouter router, SlackSocketMode socketMode, List<AutoCloseable> resources) {
      this.server = server;
      this.router = router;
      this.socketMode = socketMode;
      this.resources = List.copyOf(resources);
    }

    /** The port the server is bound to. */
    int port() {
      return server.port();
    }

    /** The router's audit log, for exports and tests. */
    ai.chatops.audit.AuditLog auditLog() {
      return router.auditLog();
    }

    /** Waits until the router has no event in flight. */
    boolean awaitIdle(Duration timeout) {
      return router.awaitIdle(timeout);
    }

    @Override
    public void close() {
      if (socketMode != null) {
        socketMode.close();
      }
      server.close();
      router.close();
      // After the router: it may still write to the store while draining.
      closeAll(resources);
    }
  }
}
