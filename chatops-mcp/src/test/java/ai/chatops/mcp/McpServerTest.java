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
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MCP SDK's own client against our server, served by the router behind a loopback HTTP host. */
class McpServerTest {
  static final String TOKEN_U1 = "token-of-user-one-0123456789";
  static final String TOKEN_U2 = "token-of-user-two-0123456789";

  private final RecordingService chat = RecordingService.create();
  private final OpsPlugin jenkins = new OpsPlugin();
  private EventRouter router;
  private LoopbackHost host;
  private McpSyncClient client;

  @BeforeEach
  void start() throws Exception {
    McpEndpoint mcp = McpEndpoint.builder().tokens("U1=" + TOKEN_U1 + ", U2=" + TOKEN_U2)
        .approvals(Conversation.of(RecordingService.DEFAULT_NAME, RecordingService.DEFAULT_WORKSPACE,
            RecordingService.DEFAULT_CHANNEL))
        .trainingSets(List.of(OpsPlugin.training()))
        .build();
    router = EventRouter.builder().service(chat).plugin(jenkins).endpoint(mcp).build();
    host = new LoopbackHost(router);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    host.close();
    router.close();
  }

  private McpSyncClient client(String token) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(host.url())
        .endpoint("/mcp")
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
        .build();
    client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
    client.initialize();
    return client;
  }

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  private List<AuditEntry> audit() {
    assertThat(router.awaitIdle(Duration.ofSeconds(10))).isTrue();
    return router.auditLog().recent(10);
  }

  @Test
  void listsEveryRouteAsAToolWithItsSchema() {
    McpSchema.ListToolsResult tools = client(TOKEN_U1).listTools();

    assertThat(tools.tools()).extracting(McpSchema.Tool::name).containsExactly("jenkins_build", "jenkins_stop");
    McpSchema.Tool build = tools.tools().get(0);
    assertThat(build.description()).isEqualTo("Queues a build of job ID");
    assertThat(build.inputSchema()).containsEntry("required", List.of("ID"))
        .containsEntry("additionalProperties", false);
    assertThat(build.inputSchema().get("properties").toString())
        .contains("ENV={type=string, enum=[staging, production]");
  }

  @Test
  void callsJenkinsBuildAsTheTokensUserThroughThePolicyPath() {
    McpSchema.CallToolResult result = client(TOKEN_U1).callTool(
        call("jenkins_build", Map.of("ID", "api", "ENV", "staging")));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("did build {ENV=staging, ID=api}");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "done", "text",
        "did build {ENV=staging, ID=api}"));
    assertThat(jenkins.invocations).extracting(Invocation::user, Invocation::via).containsExactly(tuple("U1", "mcp"));
    assertThat(audit()).extracting(AuditEntry::user, AuditEntry::route, AuditEntry::outcome, AuditEntry::via)
        .containsExactly(tuple("U1", "/v1/jenkins/build", AuditEntry.Outcome.DONE, "mcp"));
    assertThat(chat.pendingReplies()).isEmpty();
  }

  @Test
  void theAccessRulesApplyToTheTokensUser() {
    McpSchema.CallToolResult result = client(TOKEN_U2).callTool(
        call("jenkins_build", Map.of("ID", "api")));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("Sorry, you may not run /v1/jenkins/build: the rule Access.build allows "
        + "only U1.");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "denied"));
    assertThat(jenkins.invocations).isEmpty();
    assertThat(audit()).extracting(AuditEntry::user, AuditEntry::outcome, AuditEntry::via)
        .containsExactly(tuple("U2", AuditEntry.Outcome.DENIED, "mcp"));
  }

  @Test
  void jenkinsStopWaitsForTheHumansYesInChat() {
    McpSchema.CallToolResult result = client(TOKEN_U1).callTool(
        call("jenkins_stop", Map.of("ID", "api")));

    assertThat(text(result)).isEqualTo("Approval pending: U1 was asked in chat to approve jenkins stop. It runs "
        + "only after they say yes there, and its result is posted there; a no, or no answer, runs nothing.");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "pending_approval", "approver", "U1"));
    assertThat(chat.nextReply().text()).isEqualTo("Run jenkins stop ID=api? (mcp asks on your behalf)\n"
        + "[yes] [no]");
    assertThat(jenkins.invocations).isEmpty();

    router.handle(chat.request("U1", "yes"));

    assertThat(chat.nextReply().text()).isEqualTo("did stop {ID=api}");
    assertThat(jenkins.invocations).extracting(Invocation::user, Invocation::via).containsExactly(tuple("U1", "mcp"));
    assertThat(audit()).extracting(AuditEntry::route, AuditEntry::via)
        .containsExactly(tuple("/v1/jenkins/stop", "mcp"));
  }

  @Test
  void aUserTheRuleRefusesIsNotAskedToApproveAndGetsAnError() {
    McpSchema.CallToolResult result = client(TOKEN_U2).callTool(
        call("jenkins_stop", Map.of("ID", "api")));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("Sorry, you may not run /v1/jenkins/stop: the rule Access.stop allows "
        + "only U1.");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "denied"));
    assertThat(chat.pendingReplies()).isEmpty();
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void anotherUsersYesDoesNotApproveAndARefusalRunsNothing() {
    client(TOKEN_U1).callTool(call("jenkins_stop", Map.of("ID", "api")));
    chat.nextReply();

    router.handle(chat.request("U2", "yes"));
    assertThat(chat.nextReply().text()).isEqualTo("Sorry, I didn't understand that. Say `help` to see what I can do.");
    router.handle(chat.request("U1", "no"));

    assertThat(chat.nextReply().text()).isEqualTo("OK, I won't run jenkins stop.");
    assertThat(router.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void argumentsOfTheWrongTypeOrUndeclaredNamesAreRefusedBeforeAnythingRuns() {
    McpSyncClient agent = client(TOKEN_U1);

    McpSchema.CallToolResult wrongType = agent.callTool(
        call("jenkins_build", Map.of("ID", List.of("a", "b"))));
    McpSchema.CallToolResult undeclared = agent.callTool(
        call("jenkins_build", Map.of("ID", "api", "FORCE", "yes")));
    McpSchema.CallToolResult outsideEnum = agent.callTool(
        call("jenkins_build", Map.of("ID", "api", "ENV", "qa")));
    McpSchema.CallToolResult missing = agent.callTool(
        call("jenkins_build", Map.of()));

    assertThat(List.of(wrongType, undeclared, outsideEnum, missing)).allSatisfy(r ->
        assertThat(r.isError()).isTrue());
    assertThat(text(wrongType)).contains("/ID");
    assertThat(text(undeclared)).contains("FORCE");
    assertThat(text(outsideEnum)).contains("/ENV");
    assertThat(text(missing)).contains("'ID'");
    assertThat(jenkins.invocations).isEmpty();
  }
}
