package ai.chatops.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.test.RecordingService;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw HTTP at {@link McpServlet}, as a hostile or broken client sends it: each a 4xx or a JSON-RPC error that
 * says what was wrong, never a 500 or the SDK's exception with its stack trace, nothing run. The first ones are
 * the findings of {@link McpServletFuzzTest}, each kept there as a seed of the same name.
 */
class McpServletHostileRequestsTest {
  private static final String TOKEN_U1 = "token-of-user-one-0123456789";
  private static final String TOKEN_U2 = "token-of-user-two-0123456789";
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
      + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
  private static final String ACCEPT = "application/json, text/event-stream";

  private final OpsPlugin jenkins = new OpsPlugin();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private EventRouter router;
  private ServletHost host;
  private URI mcp;

  @BeforeEach
  void serve() throws Exception {
    McpEndpoint endpoint = McpEndpoint.builder().token("U1", TOKEN_U1).token("U2", TOKEN_U2).maxRequestBytes(1024)
        .trainingSets(List.of(OpsPlugin.training())).build();
    router = EventRouter.builder().service(RecordingService.create()).plugin(jenkins).endpoint(endpoint).build();
    host = ServletHost.start(McpServlet.create(endpoint, router));
    mcp = host.mcp();
  }

  @AfterEach
  void stop() throws Exception {
    host.close();
    router.close();
  }

  private HttpRequest.Builder request(String token, String session) {
    HttpRequest.Builder request = HttpRequest.newBuilder(mcp).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").header("Accept", ACCEPT);
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    return request;
  }

  private HttpResponse<String> post(String token, String session, String body) throws Exception {
    return http.send(request(token, session).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String initialize(String token) throws Exception {
    HttpResponse<String> opened = post(token, null, INITIALIZE);
    assertThat(opened.statusCode()).isEqualTo(200);
    return opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
  }

  private static String error(int code, String message) {
    return "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"}}";
  }

  @Test
  void anUnknownSessionIsA404WithoutTheSdksStackTrace() throws Exception {
    HttpResponse<String> response = post(TOKEN_U1, "00000000-0000-0000-0000-000000000000", LIST);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("no such session");
  }

  @Test
  void aResponseToNoRequestOfTheServersIsA400() throws Exception {
    String session = initialize(TOKEN_U1);

    HttpResponse<String> response = post(TOKEN_U1, session, "{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":{}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(error(-32600, "no request of this server waits for an answer with id 8"));
  }

  @Test
  void aRequestWithoutAMethodIsA400() throws Exception {
    String session = initialize(TOKEN_U1);

    HttpResponse<String> response = post(TOKEN_U1, session, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":null}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(error(-32600, "method must be a string"));
  }

  @Test
  void aNotificationWithoutAMethodIsA400() throws Exception {
    String session = initialize(TOKEN_U1);

    HttpResponse<String> response = post(TOKEN_U1, session, "{\"jsonrpc\":\"2.0\",\"method\":null}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(error(-32600, "method must be a string"));
  }

  @Test
  void anIdThatIsAnObjectIsA400() throws Exception {
    String session = initialize(TOKEN_U1);

    HttpResponse<String> response = post(TOKEN_U1, session, "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},"
        + "\"method\":\"tools/list\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(error(-32600, "id must be a string or a number"));
  }

  @Test
  void anInitializeWithoutParamsIsInvalidParamsAndOpensNoSession() throws Exception {
    HttpResponse<String> response = post(TOKEN_U1, null, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"initialize\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
    assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32602,"
        + "\"message\":\"initialize needs params with a protocolVersion\"}}");
  }

  @Test
  void wrongTypedArgumentsAreInvalidParamsNamingTheFieldAndRunNothing() throws Exception {
    String session = initialize(TOKEN_U1);

    HttpResponse<String> response = post(TOKEN_U1, session, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":"
        + "\"tools/call\",\"params\":{\"name\":\"jenkins_build\",\"arguments\":\"2.0\"}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32602,"
        + "\"message\":\"params.arguments of tools/call does not have the type the protocol gives it: ");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void aMessageWithoutASessionIsA400() throws Exception {
    HttpResponse<String> response = post(TOKEN_U1, null, LIST);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(error(-32600,
        "an Mcp-Session-Id header is required: initialize opens a session"));
  }

  @Test
  void aBodyThatIsNotJsonIsA400WithoutAStackTrace() throws Exception {
    String session = initialize(TOKEN_U1);

    HttpResponse<String> response = post(TOKEN_U1, session, "{not json");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
        + "\"message\":\"not JSON: ").doesNotContain("stackTrace");
  }

  @Test
  void aBatchIsA400() throws Exception {
    String session = initialize(TOKEN_U1);

    HttpResponse<String> response = post(TOKEN_U1, session, "[" + LIST + "]");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(error(-32600,
        "a message must be one JSON object (this server takes no batches)"));
  }

  @Test
  void anObjectWithNeitherMethodNorResultIsA400() throws Exception {
    String session = initialize(TOKEN_U1);

    HttpResponse<String> response = post(TOKEN_U1, session, "{\"jsonrpc\":\"2.0\",\"id\":3}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(error(-32600, "a message needs a method (a request or a notification) "
        + "or a result or an error (a response)"));
  }

  @Test
  void anAcceptWithoutTheEventStreamIsA400() throws Exception {
    HttpResponse<String> response = http.send(request(TOKEN_U1, null).setHeader("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(error(-32600,
        "the Accept header must name application/json and text/event-stream"));
  }

  @Test
  void anUndeclaredBodyOverTheLimitIsA413() throws Exception {
    String session = initialize(TOKEN_U1);
    byte[] body = ("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\",\"params\":{\"pad\":\"" + "x".repeat(2000)
        + "\"}}").getBytes(StandardCharsets.UTF_8);

    // Chunked: no Content-Length to refuse it by, so the limit holds while the body is read.
    HttpResponse<String> response = http.send(request(TOKEN_U1, session).POST(HttpRequest.BodyPublishers
        .ofInputStream(() -> new ByteArrayInputStream(body))).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).isEqualTo("an MCP request may have at most 1024 bytes");
  }

  @Test
  void anInitializeCarryingASessionIdBindsTheSessionItOpensToItsUser() throws Exception {
    String first = initialize(TOKEN_U1);
    HttpResponse<String> again = post(TOKEN_U1, first, INITIALIZE);
    String second = again.headers().firstValue("Mcp-Session-Id").orElseThrow();

    HttpResponse<String> borrowed = post(TOKEN_U2, second, LIST);
    HttpResponse<String> own = post(TOKEN_U1, second, LIST);

    assertThat(second).isNotEqualTo(first);
    assertThat(borrowed.statusCode()).isEqualTo(404);
    assertThat(borrowed.body()).isEqualTo("no such session");
    assertThat(own.statusCode()).isEqualTo(200);
  }

  @Test
  void aStreamOrDeleteWithoutAKnownSessionIsRefused() throws Exception {
    HttpResponse<String> stream = http.send(request(TOKEN_U1, null).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> delete = http.send(request(TOKEN_U1, "no-such-session").DELETE().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(stream.statusCode()).isEqualTo(400);
    assertThat(stream.body()).isEqualTo("an Mcp-Session-Id header is required: initialize opens a session");
    assertThat(delete.statusCode()).isEqualTo(404);
    assertThat(delete.body()).isEqualTo("no such session");
  }
}
