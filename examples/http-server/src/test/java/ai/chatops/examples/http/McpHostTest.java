package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.chatops.audit.AuditEntry;
import ai.chatops.jenkins.JenkinsPlugin;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /mcp} of the example host served by {@code McpServlet}, for real on loopback: the MCP SDK's client
 * with the elicitation capability approves or declines {@code jenkins_stop} at the client; hostile and stalled
 * clients get the host's limits as every other path does.
 */
class McpHostTest {
  private static final String TOKEN = "agent-token-of-u1-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
      + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private final MockWebServer slack = new MockWebServer();
  private final MockWebServer jenkins = new MockWebServer();
  private final List<String> jenkinsCalls = new CopyOnWriteArrayList<>();
  private final List<String> slackPosts = new CopyOnWriteArrayList<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<McpSyncClient> clients = new ArrayList<>();
  private HttpServerMain.Host host;

  private void start(RouterServer.Limits limits) throws Exception {
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        slackPosts.add(request.getBody() == null ? "" : request.getBody().utf8());
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"D1\",\"ts\":\"1700000100.000900\"}").build();
      }
    });
    jenkins.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String line = request.getMethod() + " " + request.getUrl().encodedPath();
        jenkinsCalls.add(line);
        return switch (line) {
          case "GET /jenkins/job/api/api/json" -> new MockResponse.Builder()
              .addHeader("Content-Type", "application/json")
              .body("{\"_class\":\"hudson.model.FreeStyleProject\",\"name\":\"api\",\"color\":\"blue\","
                  + "\"buildable\":true,\"url\":\"http://ci/job/api/\",\"property\":[],\"builds\":[]}").build();
          case "POST /jenkins/job/api/12/stop" -> new MockResponse.Builder().code(200).build();
          default -> new MockResponse.Builder().code(404).build();
        };
      }
    });
    slack.start();
    jenkins.start();
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("SLACK_SIGNING_SECRET", "test-signing-secret");
    env.put("SLACK_BOT_TOKEN", "xoxb-test-token");
    env.put("SLACK_API_URL", slack.url("/api/").toString());
    env.put("JENKINS_URL", jenkins.url("/jenkins/").toString());
    env.put("JENKINS_USER", "chatops-bot");
    env.put("JENKINS_API_TOKEN", "11aa22bb33cc");
    env.put("CHATOPS_MCP_TOKENS", "U1=" + TOKEN);
    env.put("CHATOPS_MCP_APPROVAL_CHANNEL", "U1=T1/D1");
    host = HttpServerMain.start(env, JenkinsPlugin.builder(), limits);
  }

  @AfterEach
  void stop() throws IOException {
    for (McpSyncClient client : clients) {
      client.closeGracefully();
    }
    for (Socket s : sockets) {
      s.close();
    }
    if (host != null) {
      host.close();
    }
    slack.close();
    jenkins.close();
  }

  /** An agent whose human answers every elicitation with {@code answer}. */
  private McpSyncClient agent(McpSchema.ElicitResult.Action answer) {
    return agent(answer, Duration.ZERO);
  }

  /** An agent whose human answers every elicitation with {@code answer}, after thinking for {@code thinking}. */
  private McpSyncClient agent(McpSchema.ElicitResult.Action answer, Duration thinking) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + host.port())
        .endpoint("/mcp")
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN))
        .build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(WAIT)
        .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
        .elicitation(request -> {
          asked.add(request.message());
          try {
            Thread.sleep(thinking.toMillis()); // a human who takes their time; nothing is awaited here
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new McpSchema.ElicitResult(answer, Map.of());
        })
        .build();
    clients.add(client);
    client.initialize();
    return client;
  }

  private static McpSchema.CallToolRequest jenkinsStop() {
    return McpSchema.CallToolRequest.builder("jenkins_stop").arguments(Map.of("ID", "api", "NUMBER", 12)).build();
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  @Test
  void theHumansAcceptAtTheClientRunsJenkinsStopOnceAuditedViaMcp() throws Exception {
    start(RouterServer.Limits.defaults());

    McpSchema.CallToolResult result = agent(McpSchema.ElicitResult.Action.ACCEPT).callTool(jenkinsStop());

    assertThat(asked).containsExactly("Run jenkins stop ID=api NUMBER=12? An agent asks on behalf of U1; accept to "
        + "run it, decline to refuse.");
    assertThat(result.isError()).isFalse();
    assertThat(jenkinsCalls.stream().filter("POST /jenkins/job/api/12/stop"::equals)).hasSize(1);
    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(host.auditLog().recent(10)).extracting(AuditEntry::user, AuditEntry::route, AuditEntry::outcome,
        AuditEntry::via).containsExactly(tuple("U1", "/v1/jenkins/stop", AuditEntry.Outcome.DONE, "mcp"));
    // Approved at the client: nobody was asked in chat.
    assertThat(slackPosts).noneMatch(p -> p.contains("Run jenkins stop"));
  }

  @Test
  void aHumanWhoAnswersAfterTheConnectionsIdleTimeoutStillRunsIt() throws Exception {
    // The call's event stream is silent while the human decides; the host's idle timeout must not end it.
    start(new RouterServer.Limits(Duration.ofMillis(500), Duration.ofSeconds(20), 8192, 100, 32));

    McpSchema.CallToolResult result = agent(McpSchema.ElicitResult.Action.ACCEPT, Duration.ofMillis(2_000))
        .callTool(jenkinsStop());

    assertThat(result.isError()).isFalse();
    assertThat(jenkinsCalls.stream().filter("POST /jenkins/job/api/12/stop"::equals)).hasSize(1);
  }

  @Test
  void theHumansDeclineAtTheClientRunsNothingAndIsAnError() throws Exception {
    start(RouterServer.Limits.defaults());

    McpSchema.CallToolResult result = agent(McpSchema.ElicitResult.Action.DECLINE).callTool(jenkinsStop());

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("The approval of jenkins stop ID=api NUMBER=12 was declined; nothing ran.");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "approval_declined"));
    assertThat(jenkinsCalls).doesNotContain("POST /jenkins/job/api/12/stop");
    assertThat(slackPosts).noneMatch(p -> p.contains("Run jenkins stop"));
  }

  @Test
  void aMissingOrWrongTokenIs401BeforeAnyJsonRpcIsRead() throws Exception {
    start(RouterServer.Limits.defaults());

    HttpResponse<String> missing = http.send(post(null, "{not json"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrong = http.send(post("not-a-token-of-anyone-here", "{not json"),
        HttpResponse.BodyHandlers.ofString());

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"chatops-mcp\"");
    assertThat(missing.body()).isEqualTo("a valid bearer token is required");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"chatops-mcp\", error=\"invalid_token\"");
  }

  @Test
  void aClientThatWritesItsWholeOversizedBodyBeforeReadingSeesThe413() throws Exception {
    start(RouterServer.Limits.defaults());
    Socket socket = connect();
    byte[] body = new byte[3 * 1024 * 1024];
    Arrays.fill(body, (byte) 'a');
    OutputStream out = socket.getOutputStream();
    out.write(("POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    // The whole body first, as Python's urllib does: the refusal is drained, so the client sees its status.
    out.write(body);
    out.flush();

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 413 ").contains("Connection: close")
        .endsWith("an MCP request may have at most 65536 bytes");
  }

  @Test
  void anOversizedRequestWithoutATokenIs401() throws Exception {
    start(RouterServer.Limits.defaults());
    Socket socket = connect();
    socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 999999999999\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 401 ").contains("Connection: close")
        .contains("WWW-Authenticate: Bearer realm=\"chatops-mcp\"").endsWith("a valid bearer token is required");
  }

  @Test
  void anMcpBodyThatDoesNotArriveWithinItsDeadlineIs408() throws Exception {
    start(new RouterServer.Limits(Duration.ofSeconds(20), Duration.ofMillis(300), 8192, 100, 32));
    Socket socket = connect();
    socket.getOutputStream().write((head(INITIALIZE) + INITIALIZE.substring(0, 10)).getBytes(StandardCharsets.UTF_8));

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 408 ").contains("Connection: close")
        .endsWith("the request body did not arrive in time");
  }

  @Test
  void tooManyHeadersOnMcpIs431() throws Exception {
    start(RouterServer.Limits.defaults());
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      headers.append("X-H").append(i).append(": v\r\n");
    }
    Socket socket = connect();
    socket.getOutputStream().write(head(INITIALIZE).replace("Host: x\r\n", "Host: x\r\n" + headers)
        .concat(INITIALIZE).getBytes(StandardCharsets.UTF_8));

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 431 ").endsWith("too many request headers: at most 100");
  }

  @Test
  void malformedJsonRpcIs400AndRunsNothing() throws Exception {
    start(RouterServer.Limits.defaults());

    HttpResponse<String> notJson = http.send(post(TOKEN, "{not json"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> noMethod = http.send(post(TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1}"),
        HttpResponse.BodyHandlers.ofString());

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
        + "\"message\":\"not JSON: ").doesNotContain("stackTrace");
    assertThat(noMethod.statusCode()).isEqualTo(400);
    assertThat(noMethod.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
        + "\"message\":\"a message needs a method (a request or a notification) or a result or an error "
        + "(a response)\"}}");
    assertThat(jenkinsCalls).isEmpty();
  }

  @Test
  void answersMcpAndHealthWhileMoreStalledMcpBodiesThanThreadsWait() throws Exception {
    // Sixteen threads and forty clients stalled in their MCP bodies: were each to hold a thread, nothing else
    // would be served. Deadlines long enough that they are all still there at the end, on a busy machine.
    start(new RouterServer.Limits(Duration.ofMinutes(2), Duration.ofMinutes(2), 8192, 100, 16));
    for (int i = 0; i < 40; i++) {
      Socket socket = connect();
      socket.getOutputStream().write((head(INITIALIZE) + INITIALIZE.substring(0, 10))
          .getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
    }

    assertThat(agent(McpSchema.ElicitResult.Action.DECLINE).listTools().tools()).extracting(McpSchema.Tool::name)
        .contains("jenkins_build", "jenkins_stop");
    assertThat(http.send(HttpRequest.newBuilder(uri("/healthz")).timeout(WAIT).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    // The stalled bodies were held open all along: finished now, each opens its session.
    for (Socket socket : List.copyOf(sockets)) {
      socket.getOutputStream().write(INITIALIZE.substring(10).getBytes(StandardCharsets.UTF_8));
      assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 200 ").contains("\"serverInfo\"");
    }
  }

  // ---- helpers

  private HttpRequest post(String token, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/mcp")).timeout(WAIT)
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  private static String head(String body) {
    return "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept: application/json, "
        + "text/event-stream\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), host.port());
    // Bounds a read that would otherwise hang the build if the server never answered; not an assertion.
    socket.setSoTimeout((int) WAIT.toMillis());
    sockets.add(socket);
    return socket;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + host.port() + path);
  }
}
