package ai.chatops.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.test.RecordingService;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the API Gateway adapter with events of both payload formats whose method, path, headers, query,
 * cookies, body and base64 flag are the fuzzer's (what a caller controls through API Gateway). Every event
 * must be answered with a status the router documents, never an exception, and the response must be one
 * API Gateway can return. Seeds under {@code ApiGatewayFuzzTestInputs/apiGatewayEvent}.
 */
class ApiGatewayFuzzTest {
  private static final Set<Integer> STATUSES = Set.of(200, 400, 401, 404, 405, 413, 415);
  private static final EventRouter ROUTER = EventRouter.builder()
      .service(RecordingService.create())
      .plugin(BotPlugin.create())
      .executor(new LambdaFuzzing.DiscardingExecutor())
      .maxBodyBytes(64 * 1024)
      .drainTimeout(Duration.ZERO)
      .build();
  private static final ApiGatewayAdapter ADAPTER = ApiGatewayAdapter.create(() -> ROUTER).withBasePath("/prod");

  @AfterAll
  static void closeRouter() {
    ROUTER.close();
  }

  @FuzzTest(maxDuration = LambdaFuzzing.DURATION)
  void apiGatewayEvent(FuzzedDataProvider data) {
    boolean rest = data.consumeBoolean();
    String method = data.pickValue(new String[] {"POST", "GET", "PUT", "", "post", "POST\n"});
    String path = data.consumeBoolean() ? "/prod/test/events" : data.consumeString(200);
    Map<String, String> headers = new HashMap<>();
    int count = data.consumeInt(0, 8);
    for (int i = 0; i < count; i++) {
      headers.put(data.pickValue(new String[] {"x-test-event-id", "x-test-user", "x-test-channel", "Content-Type",
          "content-length", "X-Test-Event-Id", data.consumeString(20)}), data.consumeString(100));
    }
    String query = data.consumeString(100);
    boolean base64 = data.consumeBoolean();
    String body = data.consumeBoolean() ? null : data.consumeRemainingAsString();

    int status;
    if (rest) {
      Map<String, List<String>> multi = new HashMap<>();
      headers.forEach((name, value) -> multi.put(name, new ArrayList<>(List.of(value, value))));
      APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod(method).withPath(path)
          .withMultiValueHeaders(multi).withQueryStringParameters(Map.of("q", query))
          .withBody(body).withIsBase64Encoded(base64);
      var response = ADAPTER.handle(event);
      status = response.getStatusCode();
      assertThat(response.getIsBase64Encoded() || response.getBody() != null).isTrue();
    } else {
      APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
          .withRawPath(path)
          .withRawQueryString(query)
          .withHeaders(headers)
          .withCookies(List.of(query))
          .withBody(body)
          .withIsBase64Encoded(base64)
          .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
              .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
              .build())
          .build();
      var response = ADAPTER.handle(event);
      status = response.getStatusCode();
      assertThat(response.getIsBase64Encoded() || response.getBody() != null).isTrue();
    }
    assertThat(status).isIn(STATUSES);
  }
}
