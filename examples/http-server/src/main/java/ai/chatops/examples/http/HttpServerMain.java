package ai.chatops.examples.http;

import ai.chatops.BadRequestException;
import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Status;
import ai.chatops.slack.SlackService;
import ai.chatops.slack.SlackSocketMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Slack bot on the JDK's own HTTP server: mounts the router at {@code /slack/events} (events, slash
 * commands and buttons), answers {@code GET /healthz} with each plugin's health check, and is configured
 * by environment variables only (see {@link Settings}). With {@code SLACK_APP_TOKEN} set it receives
 * through Socket Mode instead, and keeps serving {@code /healthz}. Jenkins is enabled when
 * {@code JENKINS_URL}, {@code JENKINS_USER} and {@code JENKINS_API_TOKEN} are set; otherwise its commands
 * answer which of them are missing.
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
    Settings settings = Settings.fromEnv(env);
    SlackService.Builder slackBuilder = SlackService.builder()
        .botToken(settings.botToken())
        .apiUrl(settings.apiUrl());
    if (!settings.signingSecret().isEmpty()) {
      slackBuilder.signingSecret(settings.signingSecret());
    }
    SlackService slack = slackBuilder.build();
    if (!settings.jenkinsConfigured()) {
      log.warn("Jenkins is not configured: set JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN to enable it;"
          + " until then its commands answer that it cannot run");
    }
    EventRouter router = EventRouter.builder()
        .service(slack)
        .plugin(BotPlugin.create())
        // Registered before discovery, with the credentials that are set: when some are missing, the plugin's
        // connect names them and the router tells the user "the jenkins plugin cannot run: ...".
        .plugin(jenkins.build(), settings.jenkins())
        .discoverPlugins(HttpServerMain.class.getClassLoader())
        .build();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 64);
    } catch (IOException e) {
      router.close();
      throw e;
    }
    ThreadPoolExecutor threads = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(256), r -> {
          Thread t = new Thread(r, "chatops-http");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(threads);
    server.createContext("/", exchange -> serve(exchange, router));
    server.start();
    SlackSocketMode socketMode = null;
    if (!settings.appToken().isEmpty()) {
      socketMode = SlackSocketMode.builder().appToken(settings.appToken()).service(slack).router(router).build();
      socketMode.start();
    }
    Host host = new Host(server, threads, router, socketMode);
    log.info("chatops-http-server listening on http://{}:{} ({}); plugins: {}",
        settings.bindAddress().getHostAddress(), host.port(),
        socketMode != null ? "Socket Mode" : "Slack requests at " + slack.path(),
        // The catalog, not healthChecks(): listing names must not call every plugin's backend at start-up.
        router.catalog().plugins().stream().map(PluginConfig::name).collect(Collectors.joining(", ")));
    return host;
  }

  private static void serve(HttpExchange exchange, EventRouter router) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/healthz")) {
        if (!exchange.getRequestMethod().equals("GET")) {
          write(exchange, WebhookResponse.text(405, "use GET").withHeader("Allow", "GET"));
          return;
        }
        write(exchange, health(router.healthChecks()));
        return;
      }
      write(exchange, handle(exchange, router));
    } catch (RuntimeException e) {
      log.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
    }
  }

  private static WebhookResponse handle(HttpExchange exchange, EventRouter router) {
    WebhookRequest.Builder request = WebhookRequest.builder(exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath());
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      request.query(query);
    }
    exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
    try {
      request.body(exchange.getRequestBody(), router.maxBodyBytes());
    } catch (BadRequestException e) {
      log.warn("refused {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          e.getMessage());
      return WebhookResponse.text(e.status(), e.getMessage());
    } catch (UncheckedIOException e) {
      return WebhookResponse.text(400, "the request body could not be read");
    }
    return router.handle(request.build());
  }

  private static WebhookResponse health(Map<String, Status> checks) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode plugins = body.putObject("plugins");
    boolean good = true;
    for (Map.Entry<String, Status> e : checks.entrySet()) {
      plugins.putObject(e.getKey()).put("state", e.getValue().state().name()).put("detail", e.getValue().detail());
      good &= e.getValue().state().isGood();
    }
    body.put("status", good ? "ok" : "degraded");
    return WebhookResponse.json(good ? 200 : 503, body.toString());
  }

  private static void write(HttpExchange exchange, WebhookResponse response) throws IOException {
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().put(name, List.of(value)));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** A running host. {@link #close()} stops it. */
  static final class Host implements AutoCloseable {
    private final HttpServer server;
    private final ThreadPoolExecutor threads;
    private final EventRouter router;
    private final SlackSocketMode socketMode;

    Host(HttpServer server, ThreadPoolExecutor threads, EventRouter router, SlackSocketMode socketMode) {
      this.server = server;
      this.threads = threads;
      this.router = router;
      this.socketMode = socketMode;
    }

    /** The port the server is bound to. */
    int port() {
      return server.getAddress().getPort();
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
      server.stop(0);
      threads.shutdownNow();
      router.close();
    }
  }
}
