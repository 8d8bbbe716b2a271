package ai.chatops.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.Announcement;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.test.RecordingService;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiGatewayAdapterTest {
  private static final String SECRET = "0123456789abcdef-hook";
  private final RecordingService chat = RecordingService.create();
  private final EventRouter router = EventRouter.builder().service(chat).plugin(BotPlugin.create())
      .plugin(new Announcing()).hookSecret("alerts", SECRET).build();
  private final ApiGatewayAdapter adapter = ApiGatewayAdapter.create(() -> router);

  /** Announces each hook's body in channel C9. */
  static final class Announcing implements Plugin {
    @Override
    public String name() {
      return "alerts";
    }

    @Override
    public PluginConfig config() {
      return PluginConfig.parse("alerts", "Version: v1\nRoutes:\n  - /v1/alerts/list\n");
    }

    @Override
    public ai.chatops.plugin.Action trigger(ai.chatops.plugin.Invocation invocation) {
      return ai.chatops.plugin.Action.reply("listed");
    }

    @Override
    public List<Announcement> hook(WebhookRequest request) {
      return List.of(new Announcement(Conversation.of("test", "W1", "C9"),
          Reply.text("hook said: " + request.bodyAsString())));
    }
  }

  @AfterEach
  void close() {
    router.close();
  }

  @Test
  void mapsTheDocumentedRestProxyEventKeepingMultiValueHeadersAndQuery() {
    APIGatewayProxyRequestEvent event = Events.load("apigateway-rest-proxy.json", APIGatewayProxyRequestEvent.class);

    WebhookRequest request = adapter.toRequest(event);

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/test/events");
    assertThat(request.query()).isEqualTo("parameter1=value1&parameter1=value2&parameter2=a+b");
    assertThat(request.headers().get("header1")).containsExactly("value1", "value2");
    assertThat(request.header("X-TEST-EVENT-ID")).contains("Ev-rest-1");
    assertThat(request.bodyAsString()).isEqualTo("bot ping");
  }

  @Test
  void usesSingleValueHeadersWhenMultiValueHeadersAreAbsent() {
    APIGatewayProxyRequestEvent event = Events.load("apigateway-rest-proxy.json", APIGatewayProxyRequestEvent.class)
        .withMultiValueHeaders(null).withMultiValueQueryStringParameters(null);

    WebhookRequest request = adapter.toRequest(event);

    assertThat(request.headers().get("header1")).containsExactly("value2");
    assertThat(request.header("x-test-user")).contains("U1");
    assertThat(request.query()).contains("parameter2=a+b");
  }

  @Test
  void mapsTheDocumentedHttpApiEventDecodingItsBase64BodyAndCookies() {
    APIGatewayV2HTTPEvent event = Events.load("apigateway-http-api.json", APIGatewayV2HTTPEvent.class);

    WebhookRequest request = adapter.withBasePath("/prod").toRequest(event);

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/test/events");
    assertThat(request.query()).isEqualTo("parameter1=value1&parameter1=value2&parameter2=value");
    assertThat(request.header("Cookie")).contains("cookie1; cookie2");
    assertThat(request.header("Header1")).contains("value1,value2");
    assertThat(request.bodyAsString()).isEqualTo("bot ping");
  }

  @Test
  void aRestProxyEventIsAnsweredAndTheBotReplies() {
    APIGatewayProxyRequestEvent event = Events.load("apigateway-rest-proxy.json", APIGatewayProxyRequestEvent.class);

    APIGatewayProxyResponseEvent response = adapter.handle(event);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getIsBase64Encoded()).isFalse();
    assertThat(chat.nextReply().text()).isEqualTo("pong");
  }

  @Test
  void anHttpApiEventIsAnsweredAndTheBotReplies() {
    APIGatewayV2HTTPEvent event = Events.load("apigateway-http-api.json", APIGatewayV2HTTPEvent.class);

    APIGatewayV2HTTPResponse response = adapter.withBasePath("/prod").handle(event);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(chat.nextReply().text()).isEqualTo("pong");
  }

  @Test
  void withoutTheBasePathTheStagePrefixedPathIsNotFound() {
    APIGatewayV2HTTPEvent event = Events.load("apigateway-http-api.json", APIGatewayV2HTTPEvent.class);

    APIGatewayV2HTTPResponse response = adapter.handle(event);

    assertThat(response.getStatusCode()).isEqualTo(404);
    assertThat(response.getBody()).isEqualTo("nothing is mounted at /prod/test/events");
    assertThat(response.getHeaders()).containsEntry("Content-Type", "text/plain; charset=utf-8");
  }

  @Test
  void refusesAMalformedBasePath() {
    assertThatThrownBy(() -> adapter.withBasePath("prod/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a base path must start with / and not end with / but was prod/");
  }

  @Test
  void binaryResponseBodiesAreBase64EncodedAndTextIsNot() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1};
    ApiGatewayAdapter fixed = ApiGatewayAdapter.create(() -> router);
    EventRouter binary = EventRouter.builder().service(new Fixed(WebhookResponse.of(200,
        Map.of("Content-Type", "image/png"), png))).build();
    try {
      APIGatewayV2HTTPResponse response = ApiGatewayAdapter.create(() -> binary)
          .handle(httpEvent("POST", "/fixed", "x", Map.of()));
      assertThat(response.getIsBase64Encoded()).isTrue();
      assertThat(Base64.getDecoder().decode(response.getBody())).isEqualTo(png);
    } finally {
      binary.close();
    }
    APIGatewayV2HTTPResponse text = fixed.handle(httpEvent("POST", "/nowhere", "x", Map.of()));
    assertThat(text.getIsBase64Encoded()).isFalse();
  }

  @Test
  void aSignedHookThroughTheAdapterIsAcceptedAndAnnounced() {
    String body = "{\"alarm\":\"api-5xx\"}";

    APIGatewayProxyResponseEvent response = adapter.handle(restEvent("/v1/hooks/alerts", body,
        Map.of("x-chatops-signature", List.of(sign(body)), "x-chatops-timestamp", List.of(NOW))));

    assertThat(response.getStatusCode()).isEqualTo(202);
    RecordingService.Delivery delivery = chat.nextReply();
    assertThat(delivery.conversation()).isEqualTo(Conversation.of("test", "W1", "C9"));
    assertThat(delivery.text()).isEqualTo("hook said: " + body);
  }

  @Test
  void hooksWithABadOrMissingSignatureAreRefusedWith401() {
    String body = "{\"alarm\":\"api-5xx\"}";

    APIGatewayProxyResponseEvent bad = adapter.handle(restEvent("/v1/hooks/alerts", body,
        Map.of("X-Chatops-Signature", List.of(sign("{}")), "X-Chatops-Timestamp", List.of(NOW))));
    APIGatewayProxyResponseEvent missing = adapter.handle(restEvent("/v1/hooks/alerts", body, Map.of()));

    assertThat(bad.getStatusCode()).isEqualTo(401);
    assertThat(bad.getBody()).isEqualTo("bad X-Chatops-Signature");
    assertThat(missing.getStatusCode()).isEqualTo(401);
    assertThat(missing.getBody())
        .isEqualTo("missing X-Chatops-Signature: sha256=<hex HMAC of the timestamp, a dot and the body>");
    chat.assertNoReply(router);
  }

  @Test
  void aBase64HookBodyIsVerifiedOnItsDecodedBytes() {
    String body = "{\"alarm\":\"é\"}";
    APIGatewayV2HTTPEvent event = httpEvent("POST", "/v1/hooks/alerts",
        Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)),
        Map.of("X-CHATOPS-SIGNATURE", sign(body), "X-CHATOPS-TIMESTAMP", NOW));
    event.setIsBase64Encoded(true);

    assertThat(adapter.handle(event).getStatusCode()).isEqualTo(202);
    assertThat(chat.nextReply().text()).isEqualTo("hook said: " + body);
  }

  /** The hooks' timestamp: a hook is signed over it and the body. */
  private static final String NOW = Long.toString(java.time.Instant.now().getEpochSecond());

  static String sign(String body) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal((NOW + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static APIGatewayProxyRequestEvent restEvent(String path, String body, Map<String, List<String>> headers) {
    return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath(path).withBody(body)
        .withIsBase64Encoded(false).withMultiValueHeaders(new HashMap<>(headers));
  }

  static APIGatewayV2HTTPEvent httpEvent(String method, String path, String body, Map<String, String> headers) {
    return APIGatewayV2HTTPEvent.builder()
        .withRawPath(path)
        .withBody(body)
        .withHeaders(new HashMap<>(headers))
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
            .build())
        .build();
  }

  /** A service that answers every request with one fixed response. */
  static final class Fixed implements ai.chatops.service.ServiceHandler {
    private final WebhookResponse response;

    Fixed(WebhookResponse response) {
      this.response = response;
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public String path() {
      return "/fixed";
    }

    @Override
    public ai.chatops.service.Received receive(WebhookRequest request) {
      return ai.chatops.service.Received.respond(response);
    }

    @Override
    public void deliver(Conversation conversation, Reply reply) {}
  }
}
