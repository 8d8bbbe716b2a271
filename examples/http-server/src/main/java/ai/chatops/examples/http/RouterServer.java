package ai.chatops.examples.http;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.toolkit.LogSafe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example host's HTTP server: embedded Jetty 12 with a small handler that hands every request but
 * {@code /healthz} to {@link EventRouter#handle}. It bounds every client, so a few slow or hostile ones
 * cannot stall the others:
 *
 * <ul>
 *   <li>connections are served by Jetty's selector; a client that sends half a request line, or part of a
 *       body, holds no thread while it stalls, and is closed after {@link Limits#idleTimeout()} of silence;
 *   <li>a body must arrive whole within {@link Limits#bodyTimeout()} (408), however slowly it trickles;
 *   <li>a declared {@code Content-Length} above the router's limit is answered 413 before any byte of the
 *       body is read; a chunked body is cut off at the limit (413);
 *   <li>request headers above {@link Limits#maxHeaderBytes()} in all, or more than
 *       {@link Limits#maxHeaders()} of them, are answered 431;
 *   <li>refusals close the connection gracefully (the response is written, then the output shut down, then
 *       what the client still sends is read and discarded for a while), so a client that writes its whole
 *       body before reading sees the status instead of a reset.
 * </ul>
 *
 * <p>This is the plumbing a servlet adapter ({@code chatops-servlet}) will replace. Thread-safe; {@link
 * #close()} stops it.
 */
final class RouterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouterServer.class);

  /**
   * What the server allows each client.
   *
   * @param idleTimeout how long a connection may stay silent (half a request line, a stalled body, an idle
   *     keep-alive) before it is closed
   * @param bodyTimeout how long a request body may take to arrive in full, counted from its headers
   * @param maxHeaderBytes the request line and headers together, at most
   * @param maxHeaders the number of request headers, at most
   * @param threads the server's thread pool, selector and acceptor included
   */
  record Limits(Duration idleTimeout, Duration bodyTimeout, int maxHeaderBytes, int maxHeaders, int threads) {
    /** Slack's requests are small and quick; these leave room for a slow network, not for a slow client. */
    static Limits defaults() {
      return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(20), 8 * 1024, 100, 32);
    }

    Limits {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(bodyTimeout, "bodyTimeout");
      if (threads < 8) {
        throw new IllegalArgumentException("threads must be at least 8, was " + threads);
      }
    }
  }

  private final Server server;
  private final ServerConnector connector;

  private RouterServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts a server on this address answering {@code /healthz} with {@code health} and every other path with
   * {@code router}.
   *
   * @throws java.io.UncheckedIOException when the port cannot be bound
   */
  static RouterServer start(InetAddress address, int port, EventRouter router, Supplier<WebhookResponse> health,
      Limits limits) {
    QueuedThreadPool threads = new QueuedThreadPool(limits.threads(), 4);
    threads.setName("chatops-http");
    // Not daemon threads: they are what keeps the host's JVM running once main returns.
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // One acceptor and one selector: two cores serve thousands of idle connections from one selector.
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(address.getHostAddress());
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    server.addConnector(connector);
    server.setHandler(new RouterHandler(router, health, limits));
    server.setErrorHandler(new LoggingErrorHandler());
    server.setStopTimeout(2_000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new java.io.UncheckedIOException(new java.io.IOException(
          "cannot listen on " + new InetSocketAddress(address, port) + ": " + e.getMessage(), e));
    }
    return new RouterServer(server, connector);
  }

  /** The port the server is bound to. */
  int port() {
    return connector.getLocalPort();
  }

  /** Stops accepting, lets requests in progress finish for up to 2 s, then closes every connection. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping the HTTP server failed", e);
    }
  }

  /** Hands requests to the router once their body is in, without holding a thread while it arrives. */
  private static final class RouterHandler extends Handler.Abstract {
    private final EventRouter router;
    private final Supplier<WebhookResponse> health;
    private final Limits limits;

    RouterHandler(EventRouter router, Supplier<WebhookResponse> health, Limits limits) {
      this.router = router;
      this.health = health;
      this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String method = request.getMethod();
      String path = request.getHttpURI().getPath();
      if (request.getHeaders().size() > limits.maxHeaders()) {
        log.warn("refused {} {}: {} headers, more than {}", LogSafe.clean(method), LogSafe.clean(path),
            request.getHeaders().size(), limits.maxHeaders());
        refuse(response, callback, WebhookResponse.text(431, "too many request headers: at most "
            + limits.maxHeaders()));
        return true;
      }
      if ("/healthz".equals(path)) {
        if (!"GET".equals(method)) {
          write(response, callback, WebhookResponse.text(405, "use GET").withHeader("Allow", "GET"), false);
        } else {
          write(response, callback, health.get(), false);
        }
        return true;
      }
      int max = router.maxBodyBytes();
      long declared = request.getLength();
      if (declared > max) {
        // Answered from the header alone: the body is never read, whatever its declared size.
        log.warn("refused {} {}: declared body of {} bytes exceeds the limit of {}", LogSafe.clean(method),
            LogSafe.clean(path), declared, max);
        refuse(response, callback, WebhookResponse.text(413, "request body exceeds the limit of " + max + " bytes"));
        return true;
      }
      // Reads at most max + 1 bytes, so the router sees an oversized chunked body and answers 413 itself.
      // BLOCKING: the router's ack path writes to the store, so it runs on a pool thread, not the selector's.
      CompletableFuture<byte[]> body = new CompletableFuture<>();
      Content.Source.asByteArrayAsync(request, max + 1, Promise.Invocable.from(InvocationType.BLOCKING,
          (bytes, failure) -> {
            if (failure != null) {
              body.completeExceptionally(failure);
            } else {
              body.complete(bytes);
            }
          }));
      body.orTimeout(limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((bytes, failure) -> {
            if (failure != null) {
              bodyFailed(request, response, callback, failure);
              return;
            }
            WebhookResponse answer;
            try {
              answer = router.handle(webhookRequest(request, bytes));
            } catch (RuntimeException e) {
              log.error("request {} {} failed", LogSafe.clean(method), LogSafe.clean(path), e);
              answer = WebhookResponse.text(500, "the request could not be handled");
            }
            write(response, callback, answer, false);
          });
      return true;
    }

    private void bodyFailed(Request request, Response response, Callback callback, Throwable failure) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      String method = LogSafe.clean(request.getMethod());
      String path = LogSafe.clean(request.getHttpURI().getPath());
      if (cause instanceof IllegalStateException) {
        // Jetty's "Max size (n) exceeded" for a body without a Content-Length past max + 1 bytes (pinned by
        // HostLimitsTest.answers413ForAChunkedBodyPastTheLimit).
        log.warn("refused {} {}: body exceeds the limit of {} bytes", method, path, router.maxBodyBytes());
        refuse(response, callback, WebhookResponse.text(413,
            "request body exceeds the limit of " + router.maxBodyBytes() + " bytes"));
      } else if (cause instanceof TimeoutException) {
        log.warn("refused {} {}: the body did not arrive within {} ms", method, path,
            limits.bodyTimeout().toMillis());
        refuse(response, callback, WebhookResponse.text(408, "the request body did not arrive in time"));
      } else {
        // The client went away or stalled past the idle timeout: there may be nobody left to answer.
        log.warn("{} {}: the request body could not be read: {}", method, path,
            LogSafe.clean(String.valueOf(cause.getMessage())));
        refuse(response, callback, WebhookResponse.text(400, "the request body could not be read"));
      }
    }

    private static WebhookRequest webhookRequest(Request request, byte[] body) {
      WebhookRequest.Builder builder = WebhookRequest.builder(request.getMethod(), request.getHttpURI().getPath());
      String query = request.getHttpURI().getQuery();
      if (query != null) {
        builder.query(query);
      }
      for (HttpField field : request.getHeaders()) {
        builder.header(field.getName(), field.getValue());
      }
      return builder.body(body).build();
    }

    /** Answers and closes the connection; what the client still sends is discarded, not reset. */
    private static void refuse(Response response, Callback callback, WebhookResponse answer) {
      write(response, callback, answer, true);
    }

    private static void write(Response response, Callback callback, WebhookResponse answer, boolean close) {
      if (response.isCommitted()) {
        callback.failed(new IllegalStateException("response already committed"));
        return;
      }
      response.setStatus(answer.status());
      answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
      if (close) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      }
      byte[] body = answer.body();
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  /**
   * Jetty's own refusals (431 for headers past the limit, 400 for a malformed request line) as plain text,
   * each with a log line: a refusal nobody hears of cannot be told from an outage.
   */
  private static final class LoggingErrorHandler extends ErrorHandler {
    LoggingErrorHandler() {
      setShowStacks(false);
      setShowCauses(false);
      setDefaultResponseMimeType("text/plain");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Object status = request.getAttribute(ERROR_STATUS);
      Object message = request.getAttribute(ERROR_MESSAGE);
      log.warn("refused a request from {}: HTTP {} {}", Request.getRemoteAddr(request), status,
          LogSafe.clean(String.valueOf(message)));
      return super.handle(request, response, callback);
    }
  }
}
