package ai.chatops.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.service.Conversation;
import ai.chatops.test.RecordingService;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes {@link McpServlet} in a real Jetty on loopback: any bytes as an authenticated {@code POST /mcp}, in the
 * session a scripted {@code initialize} opened, in none, or in one the input names. Every input gets 200, 202,
 * 400 or 404, never a 500, a JSON-RPC internal error (client input is not the server's fault) or a stack trace,
 * and a refused one invokes nothing.
 *
 * <p>An input is a body, optionally after a first line {@code session: <which>}: {@code open} (the default),
 * {@code none}, or any other printable value sent as the {@code Mcp-Session-Id} itself. Seeds under
 * {@code McpServletFuzzTestInputs/post}. However many sessions the inputs open, at most {@link #MAX_SESSIONS} stay
 * open (the JVM once grew to 2 GB of them); the scripted session is opened again when the cap closed it.
 */
class McpServletFuzzTest {
  private static final Set<Integer> STATUSES = Set.of(200, 202, 400, 404);
  private static final int MAX_SESSIONS = 4;
  private static final String TOKEN = "token-of-user-one-0123456789";
  private static final byte[] PREFIX = "session: ".getBytes(StandardCharsets.US_ASCII);
  private static final OpsPlugin JENKINS = new OpsPlugin();
  private static EventRouter router;
  private static ServletHost host;
  private static HttpClient http;
  private static URI mcp;
  private static String session;
  private static McpServlet servlet;

  @BeforeAll
  static void serve() throws Exception {
    McpEndpoint endpoint = McpEndpoint.builder().token("U1", TOKEN)
        .approvals(Conversation.of(RecordingService.DEFAULT_NAME, RecordingService.DEFAULT_WORKSPACE,
            RecordingService.DEFAULT_CHANNEL))
        .trainingSets(List.of(OpsPlugin.training())).callTimeout(Duration.ofSeconds(5))
        .maxSessionsPerUser(MAX_SESSIONS).build();
    router = EventRouter.builder().service(RecordingService.create()).plugin(JENKINS).endpoint(endpoint)
        .drainTimeout(Duration.ZERO).build();
    servlet = McpServlet.create(endpoint, router);
    host = ServletHost.start(servlet);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    mcp = host.mcp();
    session = open();
  }

  /** A session opened and initialized as a client does. */
  private static String open() throws Exception {
    HttpResponse<String> opened = post(Optional.empty(), ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
        + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\","
        + "\"version\":\"1\"}}}").getBytes(StandardCharsets.UTF_8));
    String id = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
    assertThat(post(Optional.of(id), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"
        .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(202);
    return id;
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
    router.close();
  }

  @FuzzTest(maxDuration = "15s")
  void post(byte[] input) throws Exception {
    Optional<String> sessionId = Optional.of(session);
    byte[] body = input;
    int newline = indexOf(input, (byte) '\n');
    if (newline >= PREFIX.length && Arrays.equals(input, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
      String which = new String(input, PREFIX.length, newline - PREFIX.length, StandardCharsets.US_ASCII);
      sessionId = switch (which) {
        case "open" -> Optional.of(session);
        case "none" -> Optional.empty();
        default -> which.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? Optional.of(which) : Optional.empty();
      };
      body = Arrays.copyOfRange(input, newline + 1, input.length);
    }
    int invoked = JENKINS.invocations.size();

    HttpResponse<String> response = post(sessionId, body);

    assertThat(response.statusCode()).as(response.body()).isIn(STATUSES);
    assertThat(response.body()).doesNotContain("\"code\":-32603", "stackTrace");
    if (response.statusCode() >= 400) {
      assertThat(JENKINS.invocations).hasSize(invoked);
    }
    assertThat(servlet.openSessions()).isLessThanOrEqualTo(MAX_SESSIONS);
    if (response.statusCode() == 404 && sessionId.equals(Optional.of(session))) {
      session = open();
    }
  }

  private static HttpResponse<String> post(Optional<String> sessionId, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(mcp)
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    sessionId.ifPresent(id -> request.header("Mcp-Session-Id", id));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
