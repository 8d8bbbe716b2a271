package ai.chatops.gcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import com.google.cloud.functions.HttpRequest;
import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HttpFunctionAdapterTest {
  private final HttpFunctionAdapter adapter = HttpFunctionAdapter.create(() -> {
    throw new AssertionError("toRequest does not need the router");
  });

  /** A request as the runtime hands it over; headers in a case-insensitive map, like the invoker's. */
  private static HttpRequest request(String method, String path, String query, Map<String, List<String>> headers,
      byte[] body, long contentLength) {
    Map<String, List<String>> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseless.putAll(headers);
    return new HttpRequest() {
      @Override public String getMethod() { return method; }
      @Override public String getUri() { return "http://localhost" + path + (query == null ? "" : "?" + query); }
      @Override public String getPath() { return path; }
      @Override public Optional<String> getQuery() { return Optional.ofNullable(query); }
      @Override public Map<String, List<String>> getQueryParameters() { return Map.of(); }
      @Override public Map<String, HttpPart> getParts() { return Map.of(); }
      @Override public Optional<String> getContentType() { return getFirstHeader("Content-Type"); }
      @Override public long getContentLength() { return contentLength; }
      @Override public Optional<String> getCharacterEncoding() { return Optional.empty(); }
      @Override public InputStream getInputStream() { return new ByteArrayInputStream(body); }
      @Override public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
      }
      @Override public Map<String, List<String>> getHeaders() { return caseless; }
    };
  }

  @Test
  void mapsMethodPathQueryRepeatedHeadersAndTheExactBodyBytes() {
    byte[] body = {(byte) 0xff, 0, 'a'};
    HttpRequest in = request("post", "/test/events", "a=1&b=x%20y",
        Map.of("X-Test-Event-Id", List.of("Ev1"), "Accept", List.of("text/plain", "application/json")), body, 3);

    WebhookRequest out = adapter.toRequest(in, 10);

    assertThat(out.method()).isEqualTo("POST");
    assertThat(out.path()).isEqualTo("/test/events");
    assertThat(out.query()).isEqualTo("a=1&b=x%20y");
    assertThat(out.header("x-TEST-event-id")).contains("Ev1");
    assertThat(out.headers().get("accept")).containsExactly("text/plain", "application/json");
    assertThat(out.body()).containsExactly(body);
  }

  @Test
  void anAbsentQueryAndAnEmptyPathBecomeEmptyAndSlash() {
    WebhookRequest out = adapter.toRequest(request("GET", "", null, Map.of(), new byte[0], 0), 10);

    assertThat(out.path()).isEqualTo("/");
    assertThat(out.query()).isEmpty();
  }

  @Test
  void theBasePathIsRemovedOnlyWhenItIsAWholeSegment() {
    HttpFunctionAdapter prefixed = adapter.withBasePath("/bot");

    assertThat(prefixed.toRequest(request("POST", "/bot/test/events", null, Map.of(), new byte[0], 0), 10).path())
        .isEqualTo("/test/events");
    assertThat(prefixed.toRequest(request("POST", "/bot", null, Map.of(), new byte[0], 0), 10).path())
        .isEqualTo("/");
    assertThat(prefixed.toRequest(request("POST", "/botany/x", null, Map.of(), new byte[0], 0), 10).path())
        .isEqualTo("/botany/x");
  }

  @Test
  void refusesAMalformedBasePath() {
    assertThatThrownBy(() -> adapter.withBasePath("bot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a base path must start with / and not end with / but was bot");
    assertThatThrownBy(() -> adapter.withBasePath("/bot/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a base path must start with / and not end with / but was /bot/");
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() {
    HttpRequest in = request("POST", "/test/events", null, Map.of(), new byte[0], 11);

    assertThatThrownBy(() -> adapter.toRequest(in, 10))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(413))
        .hasMessage("request body exceeds the limit of 10 bytes");
  }

  @Test
  void anUndeclaredBodyOverTheLimitIsRefusedWhileReading() {
    HttpRequest in = request("POST", "/test/events", null, Map.of(), new byte[11], -1);

    assertThatThrownBy(() -> adapter.toRequest(in, 10))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(413))
        .hasMessage("request body exceeds the limit of 10 bytes");
  }

  @Test
  void showsItsBasePathButNoRouter() {
    EventRouter router = EventRouter.builder().build();
    try {
      assertThat(HttpFunctionAdapter.create(() -> router).withBasePath("/bot"))
          .hasToString("HttpFunctionAdapter{basePath=/bot}");
    } finally {
      router.close();
    }
  }
}
