package ai.chatops.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.chatops.EventRouter;
import ai.chatops.audit.AuditEntry;
import ai.chatops.plugin.Invocation;
import ai.chatops.service.Conversation;
import ai.chatops.test.RecordingService;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Approval through MCP elicitation: {@link McpServlet} in a real Jetty 12 (EE 11) on loopback, the MCP SDK's
 * own client declaring the capability (or not) and answering as the human would.
 */
class McpElicitationTest {
  private static final String TOKEN_U1 = "token-of-user-one-0123456789";
  private static final String TOKEN_U2 = "token-of-user-two-0123456789";

  private final RecordingService chat = RecordingService.create();
  private final DeployPlugin deploy = new DeployPlugin();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final CountDownLatch humanAway = new CountDownLatch(1);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private EventRouter router;
  private String url;

  @AfterEach
  void stop() throws Exception {
    humanAway.countDown();
    deploy.release.countDown();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private void serve(Duration approvalTimeout) throws Exception {
    serve(approvalTimeout, null);
  }

  /** Serves the deploy plugin, and {@code jenkins} (routes with access rules) when not null. */
  private void serve(Duration approvalTimeout, OpsPlugin jenkins) throws Exception {
    McpEndpoint.Builder endpoint = McpEndpoint.builder().token("U1", TOKEN_U1).token("U2", TOKEN_U2)
        .approvals(Conversation.of(RecordingService.DEFAULT_NAME, RecordingService.DEFAULT_WORKSPACE,
            RecordingService.DEFAULT_CHANNEL))
        .approvalTimeout(approvalTimeout);
    if (jenkins != null) {
      endpoint.trainingSets(List.of(OpsPlugin.training()));
    }
    McpEndpoint mcp = endpoint.build();
    EventRouter.Builder builder = EventRouter.builder().service(chat).plugin(deploy).endpoint(mcp);
    if (jenkins != null) {
      builder.plugin(jenkins);
    }
    router = builder.build();
    toClose.add(router);
    ServletHost host = ServletHost.start(McpServlet.create(mcp, router));
    toClose.add(host);
    url = host.url();
  }

  /** A client whose human answers each elicitation with {@code answer}; none declares no capability. */
  private McpSyncClient agent(String token, Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> human) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(url)
        .endpoint(McpEndpoint.PATH)
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
        .build();
    McpClient.SyncSpec spec = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10));
    if (human != null) {
      spec.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
          .elicitation(request -> {
            asked.add(request.message());
            return human.apply(request);
          });
    }
    McpSyncClient client = spec.build();
    toClose.add(client::closeGracefully);
    client.initialize();
    return client;
  }

  private static Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> answering(
      McpSchema.ElicitResult.Action action) {
    return request -> new McpSchema.ElicitResult(action, Map.of());
  }

  private static McpSchema.CallToolResult restart(McpSyncClient client) {
    return client.callTool(McpSchema.CallToolRequest.builder("deploy_restart").arguments(Map.of("SERVICE", "api"))
        .build());
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  @Test
  void theHumansAcceptRunsTheConfirmRouteThroughThePolicyPath() throws Exception {
    serve(Duration.ofSeconds(10));

    McpSchema.CallToolResult result = restart(agent(TOKEN_U1, answering(McpSchema.ElicitResult.Action.ACCEPT)));

    assertThat(asked).containsExactly("Run deploy restart SERVICE=api? An agent asks on behalf of U1; accept to "
        + "run it, decline to refuse.");
    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("deployed {SERVICE=api}");
    assertThat(deploy.invocations).extracting(Invocation::user, Invocation::via).containsExactly(tuple("U1", "mcp"));
    assertThat(router.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(router.auditLog().recent(10)).extracting(AuditEntry::route, AuditEntry::outcome, AuditEntry::via)
        .containsExactly(tuple("/v1/deploy/restart", AuditEntry.Outcome.DONE, "mcp"));
    assertThat(chat.pendingReplies()).isEmpty();
  }

  @Test
  void aDeclineRunsNothingAndIsAnError() throws Exception {
    serve(Duration.ofSeconds(10));

    McpSchema.CallToolResult result = restart(agent(TOKEN_U1, answering(McpSchema.ElicitResult.Action.DECLINE)));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("The approval of deploy restart SERVICE=api was declined; nothing ran.");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "approval_declined"));
    assertThat(deploy.invocations).isEmpty();
  }

  @Test
  void aCancelRunsNothingAndIsAnError() throws Exception {
    serve(Duration.ofSeconds(10));

    McpSchema.CallToolResult result = restart(agent(TOKEN_U1, answering(McpSchema.ElicitResult.Action.CANCEL)));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("The approval of deploy restart SERVICE=api was cancelled; nothing ran.");
    assertThat(deploy.invocations).isEmpty();
  }

  @Test
  void noAnswerWithinTheApprovalTimeoutRunsNothing() throws Exception {
    serve(Duration.ofMillis(500));

    McpSchema.CallToolResult result = restart(agent(TOKEN_U1, request -> {
      try {
        humanAway.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of());
    }));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("No answer came to the approval of deploy restart SERVICE=api; nothing ran.");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "approval_expired"));
    assertThat(deploy.invocations).isEmpty();
  }

  @Test
  void aClientWithoutTheCapabilityGetsTheApprovalInChat() throws Exception {
    serve(Duration.ofSeconds(10));

    McpSchema.CallToolResult result = restart(agent(TOKEN_U1, null));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).startsWith("Approval pending: U1 was asked in chat to approve deploy restart.");
    assertThat(chat.nextReply().text()).isEqualTo("Run deploy restart SERVICE=api? (mcp asks on your behalf)\n"
        + "[yes] [no]");
    assertThat(deploy.invocations).isEmpty();

    router.handle(chat.request("U1", "yes"));

    assertThat(chat.nextReply().text()).isEqualTo("deployed {SERVICE=api}");
    assertThat(deploy.invocations).extracting(Invocation::user).containsExactly("U1");
  }

  @Test
  void aUserTheAccessRuleRefusesIsRefusedWithoutBeingAsked() throws Exception {
    OpsPlugin jenkins = new OpsPlugin();
    serve(Duration.ofSeconds(10), jenkins);

    McpSchema.CallToolResult result = agent(TOKEN_U2, answering(McpSchema.ElicitResult.Action.ACCEPT))
        .callTool(McpSchema.CallToolRequest.builder("jenkins_stop").arguments(Map.of("ID", "api")).build());

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("Sorry, you may not run /v1/jenkins/stop: the rule Access.stop allows "
        + "only U1.");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "denied"));
    assertThat(asked).isEmpty();
    assertThat(jenkins.invocations).isEmpty();
    assertThat(chat.pendingReplies()).isEmpty();
    assertThat(router.auditLog().recent(10)).extracting(AuditEntry::user, AuditEntry::route, AuditEntry::outcome,
        AuditEntry::via).containsExactly(tuple("U2", "/v1/jenkins/stop", AuditEntry.Outcome.DENIED, "mcp"));
  }

  @Test
  void aUserTheAccessRuleAllowsIsAskedAndRunsOnAccept() throws Exception {
    OpsPlugin jenkins = new OpsPlugin();
    serve(Duration.ofSeconds(10), jenkins);

    McpSchema.CallToolResult result = agent(TOKEN_U1, answering(McpSchema.ElicitResult.Action.ACCEPT))
        .callTool(McpSchema.CallToolRequest.builder("jenkins_stop").arguments(Map.of("ID", "api")).build());

    assertThat(asked).containsExactly("Run jenkins stop ID=api? An agent asks on behalf of U1; accept to run it, "
        + "decline to refuse.");
    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("did stop {ID=api}");
    assertThat(jenkins.invocations).extracting(Invocation::user, Invocation::via).containsExactly(tuple("U1", "mcp"));
  }

  @Test
  void aNonConfirmRouteRunsWithoutAsking() throws Exception {
    serve(Duration.ofSeconds(10));

    McpSchema.CallToolResult result = agent(TOKEN_U1, answering(McpSchema.ElicitResult.Action.DECLINE))
        .callTool(McpSchema.CallToolRequest.builder("deploy_service").arguments(Map.of("SERVICE", "api", "ENV",
            "staging")).build());

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("deployed {ENV=staging, SERVICE=api}");
    assertThat(asked).isEmpty();
  }

  @Test
  void noTokenIsRefusedBeforeAnyJsonRpcIsRead() throws Exception {
    serve(Duration.ofSeconds(10));
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(url + McpEndpoint.PATH))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json"))
        .build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(url + McpEndpoint.PATH))
        .header("Authorization", "Bearer not-a-token-of-anyone-here").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"chatops-mcp\"");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"chatops-mcp\", error=\"invalid_token\"");
  }

  @Test
  void aSessionCannotBeUsedWithAnotherUsersToken() throws Exception {
    serve(Duration.ofSeconds(10));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> initialized = http.send(post(TOKEN_U1, null, "{\"jsonrpc\":\"2.0\",\"id\":1,"
        + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
        + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"), HttpResponse.BodyHandlers.ofString());
    String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();

    HttpResponse<String> borrowed = http.send(post(TOKEN_U2, session, "{\"jsonrpc\":\"2.0\",\"id\":2,"
        + "\"method\":\"tools/list\"}"), HttpResponse.BodyHandlers.ofString());

    assertThat(initialized.statusCode()).isEqualTo(200);
    assertThat(borrowed.statusCode()).isEqualTo(404);
    assertThat(borrowed.body()).isEqualTo("no such session");
  }

  private HttpRequest post(String token, String session, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + McpEndpoint.PATH))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    return request.build();
  }
}
