package ai.chatops.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.test.RecordingService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Raw JSON-RPC at /mcp, as a hostile or broken client sends it: each a clear error, nothing run. */
class McpHostileRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
      + "{\"name\":\"jenkins_build\",\"arguments\":{\"ID\":\"api\"}}}";

  private final OpsPlugin jenkins = new OpsPlugin();
  private final EventRouter router = EventRouter.builder().service(RecordingService.create()).plugin(jenkins)
      .endpoint(McpEndpoint.builder().token("U1", McpServerTest.TOKEN_U1)
          .trainingSets(List.of(OpsPlugin.training())).build())
      .build();

  @AfterEach
  void close() {
    router.close();
  }

  private WebhookResponse post(String authorization, String contentType, String body) {
    WebhookRequest.Builder request = WebhookRequest.builder("POST", "/mcp").body(body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return router.handle(request.build());
  }

  private WebhookResponse post(String body) {
    return post("Bearer " + McpServerTest.TOKEN_U1, "application/json", body);
  }

  private static JsonNode json(WebhookResponse response) throws Exception {
    return JSON.readTree(new String(response.body(), StandardCharsets.UTF_8));
  }

  private static String text(WebhookResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void noTokenIsRefusedWithAChallengeBeforeTheBodyIsRead() {
    WebhookResponse response = post(null, "application/json", "{not json at all");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"chatops-mcp\"");
    assertThat(text(response)).isEqualTo("a valid bearer token is required");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void aWrongTokenOrAnotherSchemeIsRefused() {
    WebhookResponse wrong = post("Bearer token-of-nobody-0123456789", "application/json", CALL);
    WebhookResponse basic = post("Basic " + McpServerTest.TOKEN_U1, "application/json", CALL);

    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.headers()).containsEntry("WWW-Authenticate",
        "Bearer realm=\"chatops-mcp\", error=\"invalid_token\"");
    assertThat(basic.status()).isEqualTo(401);
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void aCallWithAValidTokenRuns() throws Exception {
    WebhookResponse response = post(CALL);

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).at("/result/content/0/text").asText()).isEqualTo("did build {ID=api}");
    assertThat(jenkins.invocations).hasSize(1);
  }

  @Test
  void aCallToAnUndeclaredToolIsAJsonRpcError() throws Exception {
    WebhookResponse response = post(CALL.replace("jenkins_build", "shell_exec"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(json(response).at("/error/message").asText()).isEqualTo("Unknown tool: invalid_tool_name");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void argumentsOfTheWrongTypeOrUndeclaredNamesAreToolErrors() throws Exception {
    WebhookResponse number = post(CALL.replace("\"ID\":\"api\"", "\"ID\":{\"$gt\":1}"));
    WebhookResponse undeclared = post(CALL.replace("\"ID\":\"api\"", "\"ID\":\"api\",\"CMD\":\"rm\""));

    assertThat(json(number).at("/result/isError").asBoolean()).isTrue();
    assertThat(json(undeclared).at("/result/isError").asBoolean()).isTrue();
    assertThat(json(undeclared).at("/result/content/0/text").asText()).contains("CMD");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void anOversizedRequestIsRefusedUnread() {
    WebhookResponse response = post(CALL.replace("\"api\"", "\"" + "a".repeat(70_000) + "\""));

    assertThat(response.status()).isEqualTo(413);
    assertThat(text(response)).isEqualTo("an MCP request may have at most 65536 bytes");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void malformedJsonRpcIsAParseError() throws Exception {
    for (String body : List.of("{", "[]", "[" + CALL + "]", "42", "{\"jsonrpc\":\"2.0\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/list\"}", "[".repeat(5000),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}")) {
      WebhookResponse response = post(body);

      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(json(response).at("/error/code").asInt()).as(body).isIn(-32700, -32600);
      assertThat(json(response).at("/jsonrpc").asText()).isEqualTo("2.0");
    }
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void paramsTheSdkWouldNotCheckAreInvalidParams() throws Exception {
    for (String body : List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[1]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}")) {
      WebhookResponse response = post(body);

      assertThat(response.status()).as(body).isEqualTo(200);
      assertThat(json(response).at("/error/code").asInt()).as(body).isEqualTo(-32602);
    }
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void paramsOfTheWrongJsonTypeAreInvalidParamsNamingTheField() throws Exception {
    // Found by McpRequestFuzzTest (seed tool-arguments-string): the SDK failed reading it, answered 500.
    WebhookResponse arguments = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"jenkins_build\",\"arguments\":\"2.0\"}}");
    WebhookResponse meta = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"jenkins_build\",\"arguments\":{},\"_meta\":[1]}}");
    WebhookResponse cursor = post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\","
        + "\"params\":{\"cursor\":{}}}");

    assertThat(arguments.status()).isEqualTo(200);
    assertThat(json(arguments).at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(json(arguments).at("/error/message").asText())
        .startsWith("params.arguments of tools/call does not have the type the protocol gives it");
    assertThat(json(meta).at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(json(meta).at("/error/message").asText()).startsWith("params._meta of tools/call");
    assertThat(json(cursor).at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(json(cursor).at("/error/message").asText()).startsWith("params.cursor of tools/list");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void anUnknownMethodIsMethodNotFound() throws Exception {
    WebhookResponse response = post("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"admin/shutdown\"}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32601);
  }

  @Test
  void aNotificationIsAccepted() {
    WebhookResponse response = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

    assertThat(response.status()).isEqualTo(202);
  }

  @Test
  void anotherContentTypeOrMethodIsRefused() {
    WebhookResponse form = post("Bearer " + McpServerTest.TOKEN_U1, "application/x-www-form-urlencoded", CALL);
    WebhookResponse get = router.handle(WebhookRequest.builder("GET", "/mcp")
        .header("Authorization", "Bearer " + McpServerTest.TOKEN_U1).build());

    assertThat(form.status()).isEqualTo(415);
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.headers()).containsEntry("Allow", "POST");
  }

  @Test
  void tokensAreCheckedAsTheHostGivesThem() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> McpEndpoint.builder().tokens("U1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("CHATOPS_MCP_TOKENS: pair 1 is not user=token");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> McpEndpoint.builder().tokens("U1=short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the MCP token of U1 must be at least 16 characters");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> McpEndpoint.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }
}
