package ai.chatops.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.chatops.EventRouter;
import ai.chatops.access.AccessPolicy;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an agent learns from a tool call through the MCP SDK's own client: typed schemas from the routes'
 * attribute declarations, {@code isError} with the reason for every call that was refused or failed, and the
 * follow-up of a call that started something, posted in chat.
 */
class McpOutcomesTest {
  private static final String TOKEN = "token-of-user-one-0123456789";

  private final RecordingService chat = RecordingService.create();
  private final DeployPlugin deploy = new DeployPlugin();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private EventRouter router;

  @AfterEach
  void stop() throws Exception {
    deploy.release.countDown();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private McpSyncClient agent(boolean approvals, Consumer<EventRouter.Builder> settings) throws Exception {
    McpEndpoint.Builder mcp = McpEndpoint.builder().token("U1", TOKEN);
    if (approvals) {
      mcp.approvals(Conversation.of(RecordingService.DEFAULT_NAME, RecordingService.DEFAULT_WORKSPACE,
          RecordingService.DEFAULT_CHANNEL));
    }
    EventRouter.Builder builder = EventRouter.builder().service(chat).plugin(deploy).endpoint(mcp.build());
    settings.accept(builder);
    router = builder.build();
    toClose.add(router);
    LoopbackHost host = new LoopbackHost(router);
    toClose.add(host);
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(host.url())
        .endpoint("/mcp")
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN))
        .build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
    toClose.add(client::closeGracefully);
    client.initialize();
    return client;
  }

  private McpSyncClient agent() throws Exception {
    return agent(true, b -> {});
  }

  private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
    return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object json) {
    return (Map<String, Object>) json;
  }

  private List<AuditEntry> audit() {
    assertThat(router.awaitIdle(Duration.ofSeconds(10))).isTrue();
    return router.auditLog().recent(10);
  }

  private static Map<String, Object> property(String type, String description) {
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("type", type);
    property.put("description", description);
    return property;
  }

  @Test
  void listsTypedAttributesAsTheirJsonSchemaTypes() throws Exception {
    McpSchema.Tool service = agent().listTools().tools().get(0);

    assertThat(service.name()).isEqualTo("deploy_service");
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("type", "string");
    env.put("enum", List.of("production", "staging"));
    env.put("description", "Where to deploy");
    assertThat(map(service.inputSchema().get("properties"))).containsExactly(
        Map.entry("SERVICE", property("string", "SERVICE")),
        Map.entry("ENV", env),
        Map.entry("REPLICAS", property("integer", "How many copies")),
        Map.entry("DRY_RUN", property("boolean", "DRY_RUN")),
        Map.entry("WAIT", property("string", "WAIT (a duration, such as 90s, 10m, 1h30m or PT10M)")),
        Map.entry("REGION", property("string", "REGION (such as eu-west-1, us-east-1)")));
    assertThat(service.inputSchema()).containsEntry("required", List.of("SERVICE", "ENV"))
        .containsEntry("additionalProperties", false);
  }

  @Test
  void typedArgumentsReachThePluginAsTheirCanonicalText() throws Exception {
    McpSchema.CallToolResult result = call(agent(), "deploy_service", Map.of("SERVICE", "api", "ENV", "staging",
        "REPLICAS", 3, "DRY_RUN", true, "WAIT", "10m", "REGION", "ireland"));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("deployed {DRY_RUN=true, ENV=staging, REGION=eu-west-1, REPLICAS=3, "
        + "SERVICE=api, WAIT=PT10M}");
    assertThat(map(result.structuredContent())).containsEntry("status", "done");
  }

  @Test
  void aValueItsTypeDoesNotTakeIsAnErrorNamingItAndRunsNothing() throws Exception {
    McpSyncClient agent = agent();

    McpSchema.CallToolResult duration = call(agent, "deploy_service", Map.of("SERVICE", "api", "ENV", "staging",
        "WAIT", "forever"));
    McpSchema.CallToolResult closed = call(agent, "deploy_service", Map.of("SERVICE", "api", "ENV", "qa"));
    McpSchema.CallToolResult missing = call(agent, "deploy_service", Map.of("SERVICE", "api"));

    assertThat(duration.isError()).isTrue();
    assertThat(text(duration)).isEqualTo("deploy_service: WAIT must be a duration, such as 90s, 10m or 1h30m "
        + "(not 'forever')");
    assertThat(duration.structuredContent()).isEqualTo(Map.of("status", "invalid_arguments"));
    assertThat(closed.isError()).isTrue();
    assertThat(text(closed)).isEqualTo("Tool (deploy_service) input validation failed: Validation failed: JSON "
        + "schema validation errors: [/ENV: does not have a value in the enumeration [\"production\", "
        + "\"staging\"]]");
    assertThat(missing.isError()).isTrue();
    assertThat(text(missing)).isEqualTo("Tool (deploy_service) input validation failed: Validation failed: JSON "
        + "schema validation errors: [: required property 'ENV' not found]");
    assertThat(deploy.invocations).isEmpty();
  }

  @Test
  void aPluginFailureIsAnErrorWithThePluginsMessage() throws Exception {
    McpSchema.CallToolResult result = call(agent(), "deploy_rollback", Map.of("SERVICE", "api"));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("Sorry, api has no earlier release.");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "failed"));
    assertThat(audit()).extracting(AuditEntry::outcome, AuditEntry::via)
        .containsExactly(tuple(AuditEntry.Outcome.FAILED, "mcp"));
  }

  @Test
  void aCallPastThePluginTimeoutIsAnErrorSayingSo() throws Exception {
    McpSchema.CallToolResult result = call(agent(true, b -> b.pluginTimeout(Duration.ofMillis(300))),
        "deploy_drain", Map.of());

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).startsWith("Sorry, deploy drain did not finish within 300 ms (event mcp-");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "timed_out"));
  }

  @Test
  void aRateLimitedCallIsAnErrorAndRunsNothing() throws Exception {
    McpSyncClient agent = agent(true, b -> b.access(AccessPolicy.builder()
        .userRateLimit(1, Duration.ofHours(1)).build()));

    McpSchema.CallToolResult first = call(agent, "deploy_service", Map.of("SERVICE", "api", "ENV",
        "production"));
    McpSchema.CallToolResult second = call(agent, "deploy_service", Map.of("SERVICE", "api", "ENV",
        "production"));

    assertThat(first.isError()).isFalse();
    assertThat(text(first)).isEqualTo("deployed {ENV=production, SERVICE=api}");
    assertThat(second.isError()).isTrue();
    assertThat(text(second)).startsWith("Sorry, you are going too fast: you may run 1 commands every 1 h.");
    assertThat(second.structuredContent()).isEqualTo(Map.of("status", "rate_limited"));
    assertThat(deploy.invocations).hasSize(1);
  }

  @Test
  void aFollowUpIsPostedToTheUserInChatAndTheResultSaysSo() throws Exception {
    McpSchema.CallToolResult result = call(agent(), "deploy_release", Map.of("SERVICE", "api"));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("Rolling out api\n\nThe bot follows the rollout of api and posts its "
        + "result to U1 in chat when it ends.");
    assertThat(map(result.structuredContent())).containsEntry("status", "done")
        .containsEntry("followUp", Map.of("description", "the rollout of api", "postedTo", "U1"));
    RecordingService.Delivery posted = chat.nextReply();
    assertThat(posted.text()).isEqualTo("the rollout of api finished: SUCCESS");
    assertThat(posted.conversation()).isEqualTo(Conversation.of(RecordingService.DEFAULT_NAME,
        RecordingService.DEFAULT_WORKSPACE, RecordingService.DEFAULT_CHANNEL));
    assertThat(deploy.invocations).extracting(Invocation::user, Invocation::via)
        .containsExactly(tuple("U1", "mcp"));
  }

  @Test
  void withoutAnApprovalConversationAFollowUpIsNotWatchedAndTheResultSaysSo() throws Exception {
    McpSchema.CallToolResult result = call(agent(false, b -> {}), "deploy_release", Map.of("SERVICE", "api"));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("Rolling out api\n\nThe bot does not follow the rollout of api for this "
        + "call: ask for its status later.");
    assertThat(map(result.structuredContent())).doesNotContainKey("followUp");
  }

  @Test
  void aConfirmRouteWithoutAnApprovalConversationIsAnErrorAndRunsNothing() throws Exception {
    McpSchema.CallToolResult result = call(agent(false, b -> {}), "deploy_restart", Map.of("SERVICE", "api"));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("deploy_restart needs a human's approval, and this bot has no approval "
        + "conversation configured; run it from chat instead");
    assertThat(result.structuredContent()).isEqualTo(Map.of("status", "approval_unavailable"));
    assertThat(deploy.invocations).isEmpty();
  }
}
