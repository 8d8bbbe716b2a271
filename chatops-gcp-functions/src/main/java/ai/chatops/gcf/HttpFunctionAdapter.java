package ai.chatops.gcf;

import ai.chatops.toolkit.LogSafe;
import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a Google Cloud Functions {@link HttpRequest} to the router's {@link WebhookRequest} and the
 * {@link WebhookResponse} back onto the {@link HttpResponse}. {@link RouterFunction} is the usual way to use
 * it; use the adapter directly when the function class already extends something else:
 *
 * <pre>{@code
 * public final class Bot implements HttpFunction {
 *   private static final HttpFunctionAdapter ADAPTER = HttpFunctionAdapter.create(Routers.BOT::get);
 *
 *   public void service(HttpRequest request, HttpResponse response) throws IOException {
 *     ADAPTER.service(request, response);
 *   }
 * }
 * }</pre>
 *
 * <p>The body is read from the request stream up to the router's {@link EventRouter#maxBodyBytes()}: a larger
 * one (by {@code Content-Length} or by what arrives) is answered 413 without being held in memory. Header
 * names are matched case-insensitively; repeated headers keep every value. The body bytes are passed on
 * exactly as they arrived, so platform signatures verify. Headers and bodies are never logged.
 *
 * <p>Immutable and thread-safe; the Functions runtime calls one function instance from many threads. The
 * router is looked up through the supplier on each request, so it can be built by the first one.
 */
public final class HttpFunctionAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpFunctionAdapter.class);

  private final Supplier<EventRouter> router;
  private final String basePath;

  private HttpFunctionAdapter(Supplier<EventRouter> router, String basePath) {
    this.router = router;
    this.basePath = basePath;
  }

  /** An adapter that hands every request to the router the supplier returns. */
  public static HttpFunctionAdapter create(Supplier<EventRouter> router) {
    return new HttpFunctionAdapter(Objects.requireNonNull(router, "router"), "");
  }

  /**
   * Returns an adapter that removes {@code prefix} from request paths before routing, for deployments where
   * the path the function sees starts with the function's own route (for example {@code /chatops-bot} in
   * {@code /chatops-bot/slack/events}); services then keep their usual paths.
   *
   * @throws IllegalArgumentException when the prefix is not empty and does not start with {@code /}, or
   *     ends with {@code /}
   */
  public HttpFunctionAdapter withBasePath(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw new IllegalArgumentException("a base path must start with / and not end with / but was " + prefix);
    }
    return new HttpFunctionAdapter(router, prefix);
  }

  /** The prefix removed from request paths, or empty. */
  public String basePath() {
    return basePath;
  }

  /**
   * Handles one request: reads it, lets the router answer, and writes the answer. Refusals (413 for a body
   * over the limit, 400 for a body that could not be read) are written here without calling the router.
   *
   * @throws IOException when the response cannot be written (the caller has gone)
   */
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    EventRouter r = router.get();
    WebhookResponse answer;
    try {
      answer = r.handle(toRequest(request, r.maxBodyBytes()));
    } catch (BadRequestException e) {
      log.warn("refused {} {}: {} {}", LogSafe.clean(request.getMethod()), shown(request.getPath()), e.status(),
          LogSafe.clean(e.getMessage()));
      answer = WebhookResponse.text(e.status(), e.getMessage());
    } catch (UncheckedIOException e) {
      // The caller went away or the stream broke; the cause says which, the body is not shown.
      log.warn("could not read the body of {} {}: {}", LogSafe.clean(request.getMethod()), shown(request.getPath()),
          e.getCause().toString());
      answer = WebhookResponse.text(400, "the request body could not be read");
    }
    write(answer, response);
  }

  /**
   * The request a Functions request stands for: method, path without the base path, raw query string,
   * headers, and the body read up to {@code maxBodyBytes}.
   *
   * @throws BadRequestException with status 413 when the body is longer than {@code maxBodyBytes}
   * @throws UncheckedIOException when the body cannot be read
   */
  public WebhookRequest toRequest(HttpRequest request, int maxBodyBytes) {
    String path = request.getPath() == null || request.getPath().isEmpty() ? "/" : request.getPath();
    WebhookRequest.Builder b = WebhookRequest.builder(request.getMethod(), stripBase(path));
    b.query(request.getQuery().orElse(""));
    Map<String, List<String>> headers = request.getHeaders();
    if (headers != null) {
      headers.forEach((name, values) -> {
        if (name != null && values != null) {
          values.stream().filter(Objects::nonNull).forEach(v -> b.header(name, v));
        }
      });
    }
    long declared = request.getContentLength();
    if (declared > maxBodyBytes) {
      // Refused before reading: the declared length is enough, and reading it would only waste the budget.
      throw new BadRequestException(413, "request body exceeds the limit of " + maxBodyBytes + " bytes");
    }
    try (InputStream in = request.getInputStream()) {
      b.body(in, maxBodyBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the request body", e);
    }
    return b.build();
  }

  private String stripBase(String path) {
    if (!basePath.isEmpty() && (path.equals(basePath) || path.startsWith(basePath + "/"))) {
      String rest = path.substring(basePath.length());
      return rest.isEmpty() ? "/" : rest;
    }
    return path;
  }

  private static void write(WebhookResponse answer, HttpResponse response) throws IOException {
    response.setStatusCode(answer.status());
    for (Map.Entry<String, String> header : answer.headers().entrySet()) {
      if (header.getKey().equalsIgnoreCase("Content-Type")) {
        // The runtime keeps the content type apart from other headers; appending it would send it twice.
        response.setContentType(header.getValue());
      } else if (!header.getKey().equalsIgnoreCase("Content-Length")) {
        response.appendHeader(header.getKey(), header.getValue());
      }
    }
    byte[] body = answer.body();
    if (body.length > 0) {
      OutputStream out = response.getOutputStream();
      out.write(body);
      out.flush();
    }
  }

  /** A path as logged: at most 100 characters, control characters replaced. */
  static String shown(String path) {
    String p = path == null ? "" : path;
    String cut = p.length() > 100 ? p.substring(0, 100) + "..." : p;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }

  @Override
  public String toString() {
    return "HttpFunctionAdapter{basePath=" + basePath + "}";
  }
}
