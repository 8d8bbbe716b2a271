package ai.chatops.gcf;

import ai.chatops.WebhookRequest;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
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
import java.util.TreeMap;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/** What the Cloud Functions fuzz targets share: a request and a response as the runtime hands them over. */
final class GcfFuzzing {
  /**
   * How long each target is fuzzed in fuzzing mode ({@code JAZZER_FUZZ=1}, as {@code .ci/run} does);
   * regression mode, in every {@code ./mvnw verify}, runs the seeds only and ignores it.
   */
  static final String DURATION = "15s";

  private GcfFuzzing() {}

  /** A request whose every part, the declared length included, is the caller's. */
  static HttpRequest request(String method, String path, String query, Map<String, List<String>> headers,
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

  /** A response that keeps what was written. */
  static final class Response implements HttpResponse {
    int status = 200;
    String contentType;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override public void setStatusCode(int code) { status = code; }
    @Override public void setStatusCode(int code, String message) { status = code; }
    @Override public void setContentType(String type) { contentType = type; }
    @Override public Optional<String> getContentType() { return Optional.ofNullable(contentType); }
    @Override public void appendHeader(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    @Override public Map<String, List<String>> getHeaders() { return headers; }
    @Override public OutputStream getOutputStream() { return body; }
    @Override public BufferedWriter getWriter() {
      return new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    }
  }

  /** A service named {@code test} that drops what it is asked to deliver, so a fuzzing run keeps nothing. */
  static final class DroppingService implements ServiceHandler {
    @Override public String name() { return "test"; }
    @Override public String path() { return "/test/events"; }
    @Override public Received receive(WebhookRequest request) { return Received.ack(); }
    @Override public void deliver(Conversation conversation, Reply reply) {}
  }

  /** An executor that accepts every task and runs none: the ack path's targets stop at the acknowledgement. */
  static final class DiscardingExecutor extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override public void execute(Runnable command) {}
    @Override public void shutdown() { shutdown = true; }
    @Override public List<Runnable> shutdownNow() { shutdown = true; return List.of(); }
    @Override public boolean isShutdown() { return shutdown; }
    @Override public boolean isTerminated() { return shutdown; }
    @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return true; }
  }
}
