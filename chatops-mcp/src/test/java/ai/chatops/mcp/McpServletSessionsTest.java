package ai.chatops.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.EventRouter;
import ai.chatops.service.Conversation;
import ai.chatops.test.MutableClock;
import ai.chatops.test.RecordingService;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bounds on {@link McpServlet}'s sessions, in a real Jetty on loopback: the idle timeout (driven by a
 * {@link MutableClock}, never by waiting) and the cap on one user's sessions.
 */
class McpServletSessionsTest {
  private static final String TOKEN_U1 = "token-of-user-one-0123456789";
  private static final String TOKEN_U2 = "token-of-user-two-0123456789";
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
      + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final DeployPlugin deploy = new DeployPlugin();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final CountDownLatch asked = new CountDownLatch(1);
  private final CountDownLatch humanAnswers = new CountDownLatch(1);
  /** Counted down each time a GET has left the servlet (its event stream is registered by then). */
  private final CountDownLatch streamOpened = new CountDownLatch(1);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private McpServlet servlet;
  private String url;

  @AfterEach
  void stop() throws Exception {
    humanAnswers.countDown();
    deploy.release.countDown();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private void serve(int maxSessionsPerUser) throws Exception {
    McpEndpoint mcp = McpEndpoint.builder().token("U1", TOKEN_U1).token("U2", TOKEN_U2)
        .approvals(Conversation.of(RecordingService.DEFAULT_NAME, RecordingService.DEFAULT_WORKSPACE,
            RecordingService.DEFAULT_CHANNEL))
        .approvalTimeout(Duration.ofSeconds(30)).clock(clock)
        .sessionIdleTimeout(Duration.ofMinutes(30)).maxSessionsPerUser(maxSessionsPerUser).build();
    EventRouter router = EventRouter.builder().service(RecordingService.create()).plugin(deploy).endpoint(mcp)
        .build();
    toClose.add(router);
    servlet = McpServlet.create(mcp, router);
    Filter streams = (request, response, chain) -> {
      chain.doFilter(request, response);
      if ("GET".equals(((HttpServletRequest) request).getMethod())) {
        streamOpened.countDown();
      }
    };
    ServletHost host = ServletHost.start(servlet, streams);
    toClose.add(host);
    url = host.url();
  }

  @Test
  void anIdleSessionIsClosedAndThenAnswers404() throws Exception {
    serve(32);
    String session = initialize(TOKEN_U1);

    clock.advance(Duration.ofMinutes(29));
    HttpResponse<String> used = post(TOKEN_U1, session, TOOLS_LIST);
    clock.advance(Duration.ofMinutes(29));
    HttpResponse<String> stillUsed = post(TOKEN_U1, session, TOOLS_LIST);
    clock.advance(Duration.ofMinutes(30));
    HttpResponse<String> expired = post(TOKEN_U1, session, TOOLS_LIST);

    assertThat(used.statusCode()).isEqualTo(200);
    assertThat(used.body()).contains("deploy_restart");
    assertThat(stillUsed.statusCode()).isEqualTo(200);
    assertThat(expired.statusCode()).isEqualTo(404);
    assertThat(expired.body()).isEqualTo("no such session");
    assertThat(servlet.openSessions()).isZero();
    String again = initialize(TOKEN_U1);
    assertThat(again).isNotEqualTo(session);
    assertThat(post(TOKEN_U1, again, TOOLS_LIST).statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredSessionIsClosedInTheSdkToo() throws Exception {
    serve(32);
    String session = initialize(TOKEN_U1);
    CompletableFuture<HttpResponse<String>> stream = http.sendAsync(HttpRequest.newBuilder(
        URI.create(url + McpEndpoint.PATH)).header("Authorization", "Bearer " + TOKEN_U1)
        .header("Accept", "text/event-stream").header("Mcp-Session-Id", session).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(streamOpened.await(30, TimeUnit.SECONDS)).as("the GET reached the SDK").isTrue();
    assertThat(stream).isNotDone();

    clock.advance(Duration.ofMinutes(30));
    initialize(TOKEN_U2); // any request sweeps

    // The SDK ends the session's event stream as it deletes the session; a session left open would hang here.
    HttpResponse<String> ended = stream.get(30, TimeUnit.SECONDS);
    assertThat(ended.statusCode()).isEqualTo(200);
    assertThat(ended.body()).isEmpty();
    assertThat(servlet.openSessions()).isEqualTo(1);
  }

  @Test
  void aSessionWaitingForTheHumansApprovalIsNotIdle() throws Exception {
    serve(32);
    String idle = initialize(TOKEN_U1);
    McpSyncClient agent = agent(TOKEN_U1);
    CompletableFuture<McpSchema.CallToolResult> call = CompletableFuture.supplyAsync(() -> restart(agent));
    assertThat(asked.await(30, TimeUnit.SECONDS)).as("the human was asked").isTrue();

    clock.advance(Duration.ofHours(2));
    initialize(TOKEN_U2); // any request sweeps
    humanAnswers.countDown();
    McpSchema.CallToolResult result = call.get(30, TimeUnit.SECONDS);

    assertThat(post(TOKEN_U1, idle, TOOLS_LIST).statusCode()).as("the idle session of the same user").isEqualTo(404);
    assertThat(result.isError()).isFalse();
    assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("deployed {SERVICE=api}");
    assertThat(deploy.invocations).hasSize(1);
    clock.advance(Duration.ofMinutes(29));
    assertThat(agent.listTools().tools()).extracting(McpSchema.Tool::name).contains("deploy_restart");
  }

  @Test
  void pastTheCapTheUsersLeastRecentlyUsedSessionIsClosedAndNoOtherUsers() throws Exception {
    serve(2);
    String other = initialize(TOKEN_U2);
    String first = initialize(TOKEN_U1);
    clock.advance(Duration.ofSeconds(1));
    String second = initialize(TOKEN_U1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(post(TOKEN_U1, first, TOOLS_LIST).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));

    String third = initialize(TOKEN_U1);

    assertThat(post(TOKEN_U1, second, TOOLS_LIST).statusCode()).isEqualTo(404);
    assertThat(post(TOKEN_U1, first, TOOLS_LIST).statusCode()).isEqualTo(200);
    assertThat(post(TOKEN_U1, third, TOOLS_LIST).statusCode()).isEqualTo(200);
    assertThat(post(TOKEN_U2, other, TOOLS_LIST).statusCode()).isEqualTo(200);
    assertThat(servlet.openSessions()).isEqualTo(3);
  }

  @Test
  void pastTheCapWithACallInEverySessionInitializeIsRefusedNamingTheLimit() throws Exception {
    serve(1);
    McpSyncClient agent = agent(TOKEN_U1);
    CompletableFuture<McpSchema.CallToolResult> call = CompletableFuture.supplyAsync(() -> restart(agent));
    assertThat(asked.await(30, TimeUnit.SECONDS)).as("the human was asked").isTrue();

    HttpResponse<String> refused = post(TOKEN_U1, null, INITIALIZE);
    HttpResponse<String> otherUser = post(TOKEN_U2, null, INITIALIZE);
    humanAnswers.countDown();

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Mcp-Session-Id")).isEmpty();
    assertThat(refused.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,\"message\":"
        + "\"this user holds 1 MCP sessions, the most allowed (maxSessionsPerUser), and each has a call in "
        + "progress: end one (DELETE) or initialize again when a call has ended\"}}");
    assertThat(otherUser.statusCode()).isEqualTo(200);
    assertThat(call.get(30, TimeUnit.SECONDS).isError()).isFalse();
  }

  @Test
  void rejectsLimitsThatCouldNotServeAnyone() {
    assertThatThrownBy(() -> McpEndpoint.builder().sessionIdleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionIdleTimeout must be positive but was PT0S");
    assertThatThrownBy(() -> McpEndpoint.builder().maxSessionsPerUser(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSessionsPerUser must be at least 1 but was 0");
  }

  /** An SDK client declaring elicitation, whose human accepts once the test lets them answer. */
  private McpSyncClient agent(String token) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(url)
        .endpoint(McpEndpoint.PATH)
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
        .build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
        .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
        .elicitation(request -> {
          asked.countDown();
          try {
            humanAnswers.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of());
        })
        .build();
    toClose.add(client::closeGracefully);
    client.initialize();
    return client;
  }

  private static McpSchema.CallToolResult restart(McpSyncClient client) {
    return client.callTool(McpSchema.CallToolRequest.builder("deploy_restart").arguments(Map.of("SERVICE", "api"))
        .build());
  }

  private String initialize(String token) throws Exception {
    HttpResponse<String> response = post(token, null, INITIALIZE);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
  }

  private HttpResponse<String> post(String token, String session, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + McpEndpoint.PATH))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
