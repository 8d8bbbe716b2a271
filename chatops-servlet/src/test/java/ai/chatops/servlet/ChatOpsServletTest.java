package ai.chatops.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.slack.SlackService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet in a real Jetty 12.1 (EE 11, Servlet 6.1) on loopback, in front of a router with the Slack
 * service, driven over HTTP with requests signed here: the Slack host's hostile cases get the same answers
 * as from the JDK host.
 */
class ChatOpsServletTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newHttpClient();
  private MockWebServer slackApi;
  private EventRouter router;
  private Server jetty;
  private int port;

  @BeforeEach
  void start() throws Exception {
    slackApi = new MockWebServer();
    slackApi.start();
    router = EventRouter.builder()
        .service(SlackService.builder().signingSecret(Slack.SECRET).botToken(Slack.TOKEN)
            .apiUrl(slackApi.url("/api/").toString()).build())
        .plugin(BotPlugin.create())
        .maxBodyBytes(64 * 1024)
        .build();
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(1_000); // the container cuts off slow clients
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(ChatOpsServlet.owning(router)), "/*");
    // Beside other servlets: mapped at the router's own paths, in a web application below a prefix.
    ServletContextHandler prefixed = new ServletContextHandler("/chatops");
    prefixed.addServlet(new ServletHolder(ChatOpsServlet.create(router)), "/slack/events");
    prefixed.addServlet(new ServletHolder(ChatOpsServlet.create(router)), "/v1/hooks/*");
    jetty.setHandler(new org.eclipse.jetty.server.handler.ContextHandlerCollection(context, prefixed));
    jetty.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
    router.close();
    slackApi.close();
  }

  private HttpResponse<String> post(String path, String contentType, String body, long timestamp, String signature)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (timestamp != 0) {
      request.header("X-Slack-Request-Timestamp", Long.toString(timestamp));
    }
    if (signature != null) {
      request.header("X-Slack-Signature", signature);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signed(String path, String contentType, String body) throws Exception {
    long now = Instant.now().getEpochSecond();
    return post(path, contentType, body, now, Slack.sign(Slack.SECRET, now, body));
  }

  /**
   * Gives new connections the container's default idle timeout instead of this suite's 1 s: on a loaded
   * machine a cold servlet can take longer than that to start reading, and the client, blocked writing its
   * body meanwhile, would be closed for idling.
   */
  private void patientContainer() {
    ((ServerConnector) jetty.getConnectors()[0]).setIdleTimeout(30_000);
  }

  private void assertNoSlackCalls() {
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(slackApi.getRequestCount()).isZero();
  }

  @Test
  void answersAMentionThroughTheSlackApi() throws Exception {
    slackApi.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}").build());

    HttpResponse<String> ack = signed("/slack/events", "application/json", Slack.mention("Ev1", "bot ping"));

    assertThat(ack.statusCode()).isEqualTo(200);
    RecordedRequest post = slackApi.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(post).isNotNull();
    assertThat(post.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(post.getHeaders().get("Authorization")).isEqualTo("Bearer " + Slack.TOKEN);
    assertThat(post.getBody().utf8()).contains("\"channel\":\"C1\"").contains("pong");
  }

  @Test
  void answersTheChallengeInAContextBelowAPrefix() throws Exception {
    HttpResponse<String> response = signed("/chatops/slack/events", "application/json",
        "{\"type\":\"url_verification\",\"challenge\":\"abc123\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("abc123");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
  }

  @Test
  void passesTheWholePathOfAWildcardMappingToTheRouter() throws Exception {
    // No hook secret is set for jenkins: the router's hook endpoint answers 404 without saying why.
    HttpResponse<String> hook = signed("/chatops/v1/hooks/jenkins", "application/json", "{}");

    assertThat(hook.statusCode()).isEqualTo(404);
    assertThat(hook.body()).isEqualTo(router.handle(ai.chatops.WebhookRequest.builder("POST", "/v1/hooks/jenkins")
        .body("{}").build()).bodyAsString());
  }

  @Test
  void refusesABadSignature() throws Exception {
    String body = "{\"type\":\"url_verification\",\"challenge\":\"x\"}";
    long now = Instant.now().getEpochSecond();

    HttpResponse<String> response = post("/slack/events", "application/json", body, now,
        Slack.sign("another-secret", now, body));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("X-Slack-Signature does not match the request");
  }

  @Test
  void refusesStaleFutureAndMissingTimestamps() throws Exception {
    String body = "{\"type\":\"url_verification\",\"challenge\":\"x\"}";
    long stale = Instant.now().getEpochSecond() - 900;
    long future = Instant.now().getEpochSecond() + 900;

    HttpResponse<String> old = post("/slack/events", "application/json", body, stale, Slack.sign(Slack.SECRET, stale, body));
    HttpResponse<String> ahead = post("/slack/events", "application/json", body, future,
        Slack.sign(Slack.SECRET, future, body));
    HttpResponse<String> missing = post("/slack/events", "application/json", body, 0, Slack.sign(Slack.SECRET, 0, body));

    assertThat(old.statusCode()).isEqualTo(401);
    assertThat(old.body()).isEqualTo("X-Slack-Request-Timestamp is more than 5 minutes old");
    assertThat(ahead.statusCode()).isEqualTo(401);
    assertThat(ahead.body()).isEqualTo("X-Slack-Request-Timestamp is more than 5 minutes in the future");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).isEqualTo("missing X-Slack-Request-Timestamp header");
    assertNoSlackCalls();
  }

  @Test
  void refusesMalformedBodiesWithClearStatuses() throws Exception {
    HttpResponse<String> broken = signed("/slack/events", "application/json", "{\"type\": \"event_callback\",");
    HttpResponse<String> text = signed("/slack/events", "text/plain", "hello");
    HttpResponse<String> unknown = signed("/slack/events", "application/json", "{\"type\":\"something_new\"}");
    HttpResponse<String> badPayload = signed("/slack/events", "application/x-www-form-urlencoded",
        "payload=%7Bnot-json");

    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).startsWith("the body is not valid JSON");
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("unknown Events API request type 'something_new'");
    assertThat(badPayload.statusCode()).isEqualTo(400);
    assertThat(badPayload.body()).startsWith("the payload field is not valid JSON");
    assertNoSlackCalls();
  }

  @Test
  void refusesAnOversizedBodyWhetherItsLengthIsDeclaredOrNot() throws Exception {
    String huge = "{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}";

    HttpResponse<String> declared = signed("/slack/events", "application/json", huge);
    HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/slack/events"))
        .header("Content-Type", "application/json")
        // A publisher of unknown length: the client sends the body chunked, without Content-Length.
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).isEqualTo("request body exceeds the limit of 65536 bytes");
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).isEqualTo("request body exceeds the limit of 65536 bytes");
    assertNoSlackCalls();
  }

  @Test
  void aClientThatWritesItsWholeOversizedBodyBeforeReadingSeesThe413() throws Exception {
    patientContainer();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      // Bounds a read that would otherwise hang the build if the server never answered; not an assertion.
      socket.setSoTimeout((int) WAIT.toMillis());
      byte[] body = new byte[3 * 1024 * 1024];
      java.util.Arrays.fill(body, (byte) 'a');
      OutputStream out = socket.getOutputStream();
      out.write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      // As Python's urllib does: the whole body first, the response after.
      out.write(body);
      out.flush();

      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(answer).startsWith("HTTP/1.1 413 ").contains("Connection: close")
          .endsWith("request body exceeds the limit of 65536 bytes");
    }
    assertNoSlackCalls();
  }

  @Test
  void cutsOffAClientThatKeepsSendingItsRefusedBodyPastTheDrainLimit() throws Exception {
    patientContainer();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      // Sends until the connection fails: past the 8 MiB the servlet drops after a 413, it is cut off.
      java.util.concurrent.CompletableFuture<Long> sent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        byte[] block = new byte[64 * 1024];
        long total = 0;
        try {
          OutputStream out = socket.getOutputStream();
          while (total < 1024L * 1024 * 1024) {
            out.write(block);
            total += block.length;
          }
        } catch (IOException e) {
          return total;
        }
        return -1L; // never cut off
      });

      String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);

      assertThat(head).isEqualTo("HTTP/1.1 413");
      assertThat(sent.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isPositive();
    }
    HttpResponse<String> next = signed("/slack/events", "application/json", "{\"type\":\"url_verification\","
        + "\"challenge\":\"still-here\"}");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body()).contains("still-here");
  }

  @Test
  void answersUnknownPathsAndWrongMethodsAsTheRouterDoes() throws Exception {
    HttpResponse<String> unknown = signed("/nothing/here", "application/json", "{}");
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/slack/events")).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("nothing is mounted at /nothing/here");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void aClientThatStopsSendingItsBodyNeverReachesTheRouter() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{\"type\":").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      // The container's idle timeout ends the request; whatever it answers, it is not the router's 200.
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).doesNotStartWith("HTTP/1.1 200");
    }
    assertNoSlackCalls();
  }

  @Test
  void closesTheRouterItOwnsWhenTheContainerStops() throws Exception {
    jetty.stop();

    assertThat(router.handle(ai.chatops.WebhookRequest.builder("POST", "/slack/events").build()).status())
        .isEqualTo(503);
  }

  @Test
  void takesTheRouterFromTheServletContextWhenDeclaredWithoutOne() throws Exception {
    Server other = new Server();
    ServerConnector connector = new ServerConnector(other);
    connector.setHost("127.0.0.1");
    other.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.setAttribute(ChatOpsServlet.ROUTER_ATTRIBUTE, router);
    context.addServlet(new ServletHolder(new ChatOpsServlet()), "/*");
    other.setHandler(context);
    other.start();
    try {
      HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + connector.getLocalPort() + "/slack/events")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
    } finally {
      other.stop();
    }
    assertThat(router.handle(ai.chatops.WebhookRequest.builder("GET", "/slack/events").build()).status())
        .as("the router was not closed: the context's servlet does not own it").isEqualTo(405);
  }

  @Test
  void stopsTheContainerStartingWhenDeclaredWithoutARouter() {
    Server other = new Server();
    ServerConnector connector = new ServerConnector(other);
    connector.setHost("127.0.0.1");
    other.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(new ChatOpsServlet());
    holder.setInitOrder(0);
    context.addServlet(holder, "/*");
    other.setHandler(context);

    assertThatThrownBy(other::start).hasMessage("ChatOpsServlet needs an EventRouter: put one in the servlet"
        + " context attribute ai.chatops.EventRouter before the servlet starts, or register"
        + " ChatOpsServlet.create(router)");
    assertThatCode(other::stop).doesNotThrowAnyException();
  }
}
