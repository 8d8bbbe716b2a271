package ai.chatops.slack;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.BadRequestException;
import ai.chatops.WebhookResponse;
import ai.chatops.http.ApiRequest;
import ai.chatops.http.Requester;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.toolkit.JsonLimits;
import ai.chatops.toolkit.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives Slack's events, slash commands and button clicks over a WebSocket instead of a public request
 * URL (Slack's Socket Mode), for bots behind a firewall. It calls {@code apps.connections.open} with the
 * app-level token ({@code xapp-...}, scope {@code connections:write}), connects to the URL Slack returns,
 * has the {@link SlackService} parse each envelope's payload as it parses the HTTP request Slack would have
 * sent (without a signature check: the WebSocket itself is authenticated by the app token), and hands the
 * events to {@link EventRouter#submit}, so that deduplication and processing are the same. The envelope is
 * acknowledged as soon as the router has taken it (well within Slack's 3 seconds), with a slash command's
 * immediate answer as its {@code payload}; one the router cannot take now (503) is left unacknowledged so
 * that Slack sends it again; a malformed one is acknowledged and logged. Replies still go through the Web
 * API with the bot token.
 *
 * <pre>{@code
 * SlackSocketMode socket = SlackSocketMode.builder()
 *     .appToken(System.getenv("SLACK_APP_TOKEN"))
 *     .service(slack)
 *     .router(router)
 *     .build();
 * socket.start();
 * }</pre>
 *
 * <p>When Slack asks to disconnect (a {@code disconnect} envelope, sent before it recycles a connection) a
 * new connection is opened at once; when the connection drops or cannot be opened, it is opened again
 * after a backoff that doubles from {@code initialBackoff} up to {@code maxBackoff} and resets once Slack
 * says {@code hello}. Thread-safe; {@link #close()} stops it. The app token never appears in
 * {@link #toString()} or logs.
 */
public final class SlackSocketMode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlackSocketMode.class);
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private final SlackService service;
  private final EventRouter router;
  private final Requester slack;
  private final OkHttpClient client;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final ScheduledThreadPoolExecutor scheduler;
  private final AtomicInteger generation = new AtomicInteger();
  private final Object lock = new Object();
  private int failures;
  private WebSocket socket;
  private boolean connected;
  private volatile boolean closed;

  private SlackSocketMode(Builder b) {
    this.service = b.service;
    this.router = b.router;
    this.client = b.okHttpClient != null ? b.okHttpClient : new OkHttpClient();
    String apiUrl = b.apiUrl != null ? b.apiUrl : b.service.api().apiUrl();
    try {
      this.slack = Requester.builder().baseUrl(apiUrl).bearerToken(b.appToken).okHttpClient(client)
          .maxRetries(0).userAgent("chatops-java-slack").build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("SlackSocketMode appToken is not a valid token: " + e.getMessage(), e);
    }
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "chatops-slack-socket-mode");
      t.setDaemon(true);
      return t;
    });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Opens the first connection in the background; returns at once. */
  public void start() {
    scheduler.execute(this::connect);
  }

  /** Whether a connection is open and Slack has said {@code hello} on it. */
  public boolean isConnected() {
    synchronized (lock) {
      return connected;
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    String url;
    try {
      JsonNode answer = slack.execute(ApiRequest.post("apps.connections.open").build()).json();
      if (!answer.path("ok").asBoolean(false)) {
        throw new SlackApiException("apps.connections.open", slack.baseUrl() + "apps.connections.open", 200,
            answer.path("error").asText("unknown_error"), answer.toString());
      }
      url = answer.path("url").asText("");
      if (url.isEmpty()) {
        throw new IllegalStateException("apps.connections.open answered without a url");
      }
    } catch (RuntimeException e) {
      log.warn("Socket Mode: could not open a connection: {}", e.getMessage());
      reconnectLater();
      return;
    }
    int mine = generation.incrementAndGet();
    WebSocket ws = client.newWebSocket(new Request.Builder().url(url).build(), new Listener(mine));
    synchronized (lock) {
      WebSocket previous = socket;
      socket = ws;
      connected = false;
      if (previous != null) {
        previous.close(1000, "replaced");
      }
    }
  }

  private void reconnectLater() {
    if (closed) {
      return;
    }
    long delay;
    synchronized (lock) {
      int doublings = Math.min(failures++, 20);
      delay = Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() << doublings);
      connected = false;
    }
    log.info("Socket Mode: reconnecting in {} ms", TimeUnit.NANOSECONDS.toMillis(delay));
    try {
      scheduler.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("Socket Mode: closed while scheduling a reconnection");
    }
  }

  private final class Listener extends WebSocketListener {
    private final int mine;

    Listener(int mine) {
      this.mine = mine;
    }

    private boolean current() {
      return generation.get() == mine && !closed;
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      JsonNode envelope;
      try {
        envelope = JSON.readTree(text);
      } catch (java.io.IOException e) {
        log.warn("Socket Mode: a frame that is not JSON was ignored");
        return;
      }
      String type = envelope.path("type").asText("");
      switch (type) {
        case "hello":
          synchronized (lock) {
            failures = 0;
            connected = true;
          }
          log.info("Socket Mode: connected");
          return;
        case "disconnect":
          log.info("Socket Mode: Slack asks to reconnect ({})", LogSafe.clean(envelope.path("reason").asText("")));
          if (current()) {
            scheduler.execute(SlackSocketMode.this::connect);
          }
          return;
        case "events_api":
        case "slash_commands":
        case "interactive":
          handle(webSocket, type, envelope);
          return;
        default:
          log.info("Socket Mode: ignoring an envelope of type '{}'", LogSafe.clean(type));
          String id = envelope.path("envelope_id").asText("");
          if (!id.isEmpty()) {
            webSocket.send(JSON.createObjectNode().put("envelope_id", id).toString());
          }
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      if (current()) {
        log.info("Socket Mode: the connection closed ({})", code);
        reconnectLater();
      }
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      if (current()) {
        log.warn("Socket Mode: the connection failed: {}", t.toString());
        reconnectLater();
      }
    }
  }

  private void handle(WebSocket webSocket, String type, JsonNode envelope) {
    String id = envelope.path("envelope_id").asText("");
    JsonNode payload = envelope.path("payload");
    if (id.isEmpty() || !payload.isObject()) {
      log.warn("Socket Mode: an {} envelope without envelope_id or payload was ignored", LogSafe.clean(type));
      return;
    }
    ObjectNode ack = JSON.createObjectNode().put("envelope_id", id);
    Received received;
    try {
      // No signature to check: the envelope came over the WebSocket the app token opened.
      received = service.receiveSocketEnvelope(type, payload, envelope.path("retry_attempt").asInt(0),
          envelope.path("retry_reason").asText(""));
    } catch (BadRequestException e) {
      // Slack would send a malformed envelope again and again: acknowledge it, and say why in the log.
      log.warn("Socket Mode: envelope {} refused: {} {}", LogSafe.clean(id), e.status(), LogSafe.clean(e.getMessage()));
      webSocket.send(ack.toString());
      return;
    } catch (RuntimeException e) {
      log.error("Socket Mode: envelope {} could not be handled", LogSafe.clean(id), e);
      webSocket.send(ack.toString());
      return;
    }
    if (!received.events().isEmpty()) {
      WebhookResponse taken;
      try {
        taken = router.submit(received.events().toArray(new ChatEvent[0]));
      } catch (IllegalArgumentException e) {
        log.error("Socket Mode: envelope {} dropped: {} (register the SlackService on the router)",
            LogSafe.clean(id), LogSafe.clean(e.getMessage()));
        webSocket.send(ack.toString());
        return;
      }
      if (taken.status() == 503) {
        log.warn("Socket Mode: envelope {} not acknowledged: {}; Slack will send it again",
            LogSafe.clean(id), LogSafe.clean(taken.bodyAsString()));
        return;
      }
    }
    WebhookResponse response = received.response();
    if (type.equals("slash_commands") && response.status() == 200
        && response.header("Content-Type").orElse("").startsWith("application/json")) {
      try {
        ack.set("payload", JSON.readTree(response.body()));
      } catch (java.io.IOException e) {
        log.debug("Socket Mode: the answer to envelope {} was not JSON", LogSafe.clean(id));
      }
    }
    webSocket.send(ack.toString());
  }

  /** Closes the connection and stops reconnecting. Idempotent. */
  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    synchronized (lock) {
      if (socket != null) {
        socket.close(1000, "closing");
        socket = null;
      }
      connected = false;
    }
  }

  @Override
  public String toString() {
    return "SlackSocketMode{" + slack.baseUrl() + ", connected=" + isConnected() + "}";
  }

  /** Builds a {@link SlackSocketMode}. Not thread-safe. */
  public static final class Builder {
    private String appToken;
    private SlackService service;
    private EventRouter router;
    private String apiUrl;
    private OkHttpClient okHttpClient;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);

    private Builder() {}

    /** The app-level token ({@code xapp-...}) with the {@code connections:write} scope; required. */
    public Builder appToken(String appToken) {
      this.appToken = Objects.requireNonNull(appToken, "appToken");
      return this;
    }

    /** The Slack service registered on the router; required. */
    public Builder service(SlackService service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /** The router the envelopes go to; required. */
    public Builder router(EventRouter router) {
      this.router = Objects.requireNonNull(router, "router");
      return this;
    }

    /** The Web API base URL; by default the service's. */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
      return this;
    }

    /** Shares the connection pool and threads of an existing client. */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The wait before the first reconnection; doubled after each failure. 1 s by default. */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = positive(backoff, "initialBackoff");
      return this;
    }

    /** The longest wait between reconnections; 60 s by default. */
    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = positive(backoff, "maxBackoff");
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
     * Builds the client; {@link #start()} connects it.
     *
     * @throws ConfigurationException when the app token, service or router is missing
     */
    public SlackSocketMode build() {
      if (appToken == null || appToken.isBlank()) {
        throw new ConfigurationException("SlackSocketMode needs an appToken (xapp-...)");
      }
      if (service == null || router == null) {
        throw new ConfigurationException("SlackSocketMode needs the SlackService and the EventRouter it feeds");
      }
      return new SlackSocketMode(this);
    }
  }
}
