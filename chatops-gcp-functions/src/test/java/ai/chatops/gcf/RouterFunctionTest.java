package ai.chatops.gcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterFunctionTest {
  private final List<EventRouter> built = new ArrayList<>();

  @AfterEach
  void close() {
    built.forEach(EventRouter::close);
  }

  /** Fails to build its router the first time, as a function with a missing setting would. */
  final class FlakyFunction extends RouterFunction {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    protected EventRouter createRouter() {
      if (calls.incrementAndGet() == 1) {
        throw new ConfigurationException("SLACK_SIGNING_SECRET is not set");
      }
      EventRouter router = EventRouter.builder().build();
      built.add(router);
      return router;
    }
  }

  private static HttpRequest get(String path) {
    return new HttpRequest() {
      @Override public String getMethod() { return "GET"; }
      @Override public String getUri() { return "http://localhost" + path; }
      @Override public String getPath() { return path; }
      @Override public Optional<String> getQuery() { return Optional.empty(); }
      @Override public Map<String, List<String>> getQueryParameters() { return Map.of(); }
      @Override public Map<String, HttpPart> getParts() { return Map.of(); }
      @Override public Optional<String> getContentType() { return Optional.empty(); }
      @Override public long getContentLength() { return 0; }
      @Override public Optional<String> getCharacterEncoding() { return Optional.empty(); }
      @Override public InputStream getInputStream() { return new ByteArrayInputStream(new byte[0]); }
      @Override public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
      }
      @Override public Map<String, List<String>> getHeaders() { return Map.of(); }
    };
  }

  /** Records what the function wrote. */
  static final class Recorded implements HttpResponse {
    int status = 200;
    String contentType;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override public void setStatusCode(int code) { status = code; }
    @Override public void setStatusCode(int code, String message) { status = code; }
    @Override public void setContentType(String type) { contentType = type; }
    @Override public Optional<String> getContentType() { return Optional.ofNullable(contentType); }
    @Override public void appendHeader(String name, String value) {
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    @Override public Map<String, List<String>> getHeaders() { return headers; }
    @Override public OutputStream getOutputStream() { return body; }
    @Override public BufferedWriter getWriter() {
      return new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRouterThatFailedToBuildIsBuiltAgainByTheNextRequest() throws Exception {
    FlakyFunction function = new FlakyFunction();

    assertThatThrownBy(() -> function.service(get("/x"), new Recorded()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("SLACK_SIGNING_SECRET is not set");
    assertThat(function.isRouterBuilt()).isFalse();

    Recorded response = new Recorded();
    function.service(get("/x"), response);
    function.service(get("/y"), new Recorded());

    assertThat(response.status).isEqualTo(404);
    assertThat(response.contentType).isEqualTo("text/plain; charset=utf-8");
    assertThat(response.headers).doesNotContainKey("Content-Type");
    assertThat(response.body.toString(StandardCharsets.UTF_8)).isEqualTo("nothing is mounted at /x");
    assertThat(function.calls).hasValue(2);
  }

  @Test
  void aFactoryReturningNullIsReported() {
    RouterFunction function = new RouterFunction() {
      @Override
      protected EventRouter createRouter() {
        return null;
      }
    };

    assertThatThrownBy(() -> function.service(get("/x"), new Recorded()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("createRouter() returned null");
  }
}
