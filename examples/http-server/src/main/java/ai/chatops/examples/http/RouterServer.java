package ai.chatops.examples.http;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.mcp.McpEndpoint;
import ai.chatops.mcp.McpServlet;
import ai.chatops.toolkit.LogSafe;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
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
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
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
 *   <li>refusals close the connection gracefully: the response is written with {@code Connection: close}
 *       and the output shut down, then what the client still sends of its body is read and dropped, up to
 *       {@link Limits#discardBytes()} and for at most {@link Limits#discardTimeout()}, before the connection
 *       is closed. A client that writes its whole body before reading (Python's urllib, a plain socket) so
 *       sees the status: closing a socket with unread bytes makes the kernel answer what follows with a
 *       reset, which a client still writing gets as a broken pipe, and Jetty alone reads only what is
 *       already buffered (a few reads, {@code HttpConfiguration.getMaxUnconsumedRequestContentReads()})
 *       before it closes. A client that keeps sending past either bound is cut off.
 * </ul>
 *
 * <p>With an {@link McpServlet}, {@code /mcp} is served by it in a servlet context this handler wraps, behind
 * the same limits: its token and declared-length refusals are answered and drained here, and its body is read
 * here before the servlet runs.
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
   * @param discardBytes after a refusal, how many more body bytes are read and dropped so the client sees
   *     the status, at most; past them the connection is cut off
   * @param discardTimeout after a refusal, how long the rest of the body is read and dropped, at most
   */
  record Limits(Duration idleTimeout, Duration bodyTimeout, int maxHeaderBytes, int maxHeaders, int threads,
      long discardBytes, Duration discardTimeout) {
    /** A refused body of up to 8 MiB is drained: eight times the router's default limit. */
    static final long DEFAULT_DISCARD_BYTES = 8L * 1024 * 1024;
    /** Time for those bytes from a slow network, not for a client that trickles them. */
    static final Duration DEFAULT_DISCARD_TIMEOUT = Duration.ofSeconds(10);

    /** Slack's requests are small and quick; these leave room for a slow network, not for a slow client. */
    static Limits defaults() {
      return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(20), 8 * 1024, 100, 32);
    }

    /** These limits, with the default bounds on draining a refused body. */
    Limits(Duration idleTimeout, Duration bodyTimeout, int maxHeaderBytes, int maxHeaders, int threads) {
      this(idleTimeout, bodyTimeout, maxHeaderBytes, maxHeaders, threads, DEFAULT_DISCARD_BYTES,
          DEFAULT_DISCARD_TIMEOUT);
    }

    Limits {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(bodyTimeout, "bodyTimeout");
      Objects.requireNonNull(discardTimeout, "discardTimeout");
      if (threads < 8) {
        throw new IllegalArgumentException("threads must be at least 8, was " + threads);
      }
      if (discardBytes < 0) {
        throw new IllegalArgumentException("discardBytes must not be negative, was " + discardBytes);
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
    return start(address, port, router, health, limits, Optional.empty());
  }

  /**
   * Starts a server as above that also serves {@code mcp} at {@link McpEndpoint#PATH}, in a servlet context
   * behind the same limits: its token and declared-length refusals answered and drained as every refusal, its
   * body read before the servlet runs.
   */
  static RouterServer start(InetAddress address, int port, EventRouter router, Supplier<WebhookResponse> health,
      Limits limits, Optional<McpServlet> mcp) {
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
    RouterHandler handler = new RouterHandler(router, health, limits, mcp.orElse(null));
    mcp.ifPresent(servlet -> {
      ServletContextHandler context = new ServletContextHandler("/");
      ServletHolder holder = new ServletHolder(servlet);
      // The SDK's transport answers a tools/call as a server-sent event stream, through an AsyncContext.
      holder.setAsyncSupported(true);
      context.addServlet(holder, McpEndpoint.PATH);
      handler.setHandler(context);
    });
    server.setHandler(handler);
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

  /**
   * Hands requests to the router once their body is in, without holding a thread while it arrives; with an
   * MCP servlet, requests to {@link McpEndpoint#PATH} go to the servlet context it wraps, the same way.
   */
  private static final class RouterHandler extends Handler.Wrapper {
    private final EventRouter router;
    private final Supplier<WebhookResponse> health;
    private final Limits limits;
    private final McpServlet mcp;

    RouterHandler(EventRouter router, Supplier<WebhookResponse> health, Limits limits, McpServlet mcp) {
      this.router = router;
      this.health = health;
      this.limits = limits;
      this.mcp = mcp;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String method = request.getMethod();
      String path = request.getHttpURI().getPath();
      if (request.getHeaders().size() > limits.maxHeaders()) {
        log.warn("refused {} {}: {} headers, more than {}", LogSafe.clean(method), LogSafe.clean(path),
            request.getHeaders().size(), limits.maxHeaders());
        refuse(request, response, callback, WebhookResponse.text(431, "too many request headers: at most "
            + limits.maxHeaders()), true);
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
      if (mcp != null && McpEndpoint.PATH.equals(path)) {
        return mcp(request, response, callback);
      }
      int max = router.maxBodyBytes();
      long declared = request.getLength();
      if (declared > max) {
        // Answered from the header alone, before any byte of the body is read; what follows is drained.
        log.warn("refused {} {}: declared body of {} bytes exceeds the limit of {}", LogSafe.clean(method),
            LogSafe.clean(path), declared, max);
        refuse(request, response, callback, WebhookResponse.text(413, "request body exceeds the limit of " + max
            + " bytes"), true);
        return true;
      }
      // Stops reading at the limit without failing the request, so the refusal can drain the rest.
      CompletableFuture<byte[]> body = new BodyReader(request, max).start();
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

    /**
     * An MCP request: refused from its headers alone (token, declared length) and drained like every refusal,
     * else handed to the servlet once its body is in, so a stalled body holds no thread.
     */
    private boolean mcp(Request request, Response response, Callback callback) {
      Optional<WebhookResponse> refusal = mcp.refusal(request.getHeaders().get(HttpHeader.AUTHORIZATION),
          request.getLength());
      if (refusal.isPresent()) {
        refuse(request, response, callback, refusal.get(), true);
        return true;
      }
      new BodyReader(request, router.maxBodyBytes()).start()
          .orTimeout(limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((bytes, failure) -> {
            if (failure != null) {
              bodyFailed(request, response, callback, failure);
              return;
            }
            try {
              if (!super.handle(new ReadRequest(request, bytes), response, callback)) {
                write(response, callback, WebhookResponse.text(404, "no such path"), false);
              }
            } catch (Exception e) {
              log.error("MCP request {} failed", LogSafe.clean(request.getMethod()), e);
              callback.failed(e);
            }
          });
      return true;
    }

    private void bodyFailed(Request request, Response response, Callback callback, Throwable failure) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      String method = LogSafe.clean(request.getMethod());
      String path = LogSafe.clean(request.getHttpURI().getPath());
      if (cause instanceof BodyTooLarge) {
        // A body without a Content-Length (chunked) that went past the limit.
        log.warn("refused {} {}: body exceeds the limit of {} bytes", method, path, router.maxBodyBytes());
        refuse(request, response, callback, WebhookResponse.text(413,
            "request body exceeds the limit of " + router.maxBodyBytes() + " bytes"), true);
      } else if (cause instanceof TimeoutException) {
        log.warn("refused {} {}: the body did not arrive within {} ms", method, path,
            limits.bodyTimeout().toMillis());
        // Not drained: the read that timed out is still pending, and this client is the slow kind anyway.
        refuse(request, response, callback, WebhookResponse.text(408, "the request body did not arrive in time"),
            false);
      } else {
        // The client went away or stalled past the idle timeout: there may be nobody left to answer.
        log.warn("{} {}: the request body could not be read: {}", method, path,
            LogSafe.clean(String.valueOf(cause.getMessage())));
        refuse(request, response, callback, WebhookResponse.text(400, "the request body could not be read"), true);
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

    /**
     * Answers with {@code Connection: close}, then, when {@code drain}, reads and drops what the client still
     * sends of its body within the limits before the connection closes: a client still writing would
     * otherwise get a reset instead of the status.
     */
    private void refuse(Request request, Response response, Callback callback, WebhookResponse answer,
        boolean drain) {
      // A client that sent "Expect: 100-continue" waits for the status and sends no body; reading would make
      // Jetty send the 100 that invites it.
      if (!drain || request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())) {
        write(response, callback, answer, true);
        return;
      }
      write(response, Callback.from(() -> new Drain(request, callback, limits.discardBytes()).start(
          request.getComponents().getScheduler(), limits.discardTimeout()), callback::failed), answer, true);
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
   * Reads a request body of at most {@code max} bytes as it arrives, without holding a thread while it waits.
   * Past {@code max} it stops reading and fails with {@link BodyTooLarge}, leaving the request itself intact
   * (Jetty's {@code Content.Source.asByteArrayAsync} fails the request, after which nothing more can be read
   * and the refusal could not drain the rest). Once its future is done, by its own end or by the body
   * deadline, it reads no more.
   */
  private static final class BodyReader implements Runnable, Invocable {
    private final Request request;
    private final int max;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes;

    BodyReader(Request request, int max) {
      this.request = request;
      this.max = max;
      long declared = request.getLength();
      this.bytes = new ByteArrayOutputStream(declared >= 0 ? (int) declared : Math.min(max, 8192));
    }

    CompletableFuture<byte[]> start() {
      run();
      return body;
    }

    @Override
    public void run() {
      try {
        while (!body.isDone()) {
          Content.Chunk chunk = request.read();
          if (chunk == null) {
            request.demand(this);
            return;
          }
          if (Content.Chunk.isFailure(chunk)) {
            body.completeExceptionally(chunk.getFailure());
            return;
          }
          ByteBuffer buffer = chunk.getByteBuffer();
          boolean last = chunk.isLast();
          if (bytes.size() + buffer.remaining() > max) {
            chunk.release();
            body.completeExceptionally(new BodyTooLarge());
            return;
          }
          byte[] copy = new byte[buffer.remaining()];
          buffer.get(copy);
          chunk.release();
          bytes.write(copy, 0, copy.length);
          if (last) {
            body.complete(bytes.toByteArray());
            return;
          }
        }
      } catch (RuntimeException e) {
        body.completeExceptionally(e);
      }
    }

    /** BLOCKING: completing the body runs the router's ack path, which writes to the store. */
    @Override
    public Invocable.InvocationType getInvocationType() {
      return Invocable.InvocationType.BLOCKING;
    }
  }

  /** A request whose body was read already: the servlet reads it from memory, all of it at once. */
  private static final class ReadRequest extends Request.Wrapper {
    private final AtomicReference<Content.Chunk> body;
    private final long length;

    ReadRequest(Request request, byte[] bytes) {
      super(request);
      this.body = new AtomicReference<>(Content.Chunk.from(ByteBuffer.wrap(bytes), true));
      this.length = bytes.length;
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public Content.Chunk read() {
      return body.getAndSet(Content.Chunk.EOF);
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run(); // the body is all here: a read never waits
    }

    @Override
    public boolean consumeAvailable() {
      body.set(Content.Chunk.EOF);
      return true;
    }
  }

  /** A body without a declared length that went past the router's limit. */
  private static final class BodyTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("request body exceeds the limit", null, false, false);
    }
  }

  /**
   * Reads and drops the rest of a refused request's body, then completes its callback: at the body's end,
   * when the client fails or goes away, past {@code maxBytes}, or at the deadline, whichever comes first.
   * Completing with body bytes still unread makes Jetty close the connection at once, which cuts the client
   * off. Holds no thread while it waits for bytes.
   */
  private static final class Drain implements Runnable, Invocable {
    private final Request request;
    private final Callback callback;
    private final long maxBytes;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Scheduler.Task deadline;
    private long dropped; // only read and written by run(), which Jetty's demand serialises

    Drain(Request request, Callback callback, long maxBytes) {
      this.request = request;
      this.callback = callback;
      this.maxBytes = maxBytes;
    }

    void start(Scheduler scheduler, Duration timeout) {
      deadline = scheduler.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
      run();
    }

    @Override
    public void run() {
      try {
        while (!done.get()) {
          Content.Chunk chunk = request.read();
          if (chunk == null) {
            request.demand(this);
            return;
          }
          if (Content.Chunk.isFailure(chunk)) {
            finish(); // the client went away or stalled past the idle timeout: nobody left to protect
            return;
          }
          dropped += chunk.remaining();
          boolean last = chunk.isLast();
          chunk.release();
          if (last) {
            finish();
            return;
          }
          if (dropped > maxBytes) {
            log.warn("cut off {} {}: it kept sending after its refusal, past {} bytes",
                LogSafe.clean(request.getMethod()), LogSafe.clean(request.getHttpURI().getPath()), maxBytes);
            finish();
            return;
          }
        }
      } catch (RuntimeException e) {
        // The request ended under us (the deadline completed it while a read was in progress).
        finish();
      }
    }

    private void expire() {
      if (done.compareAndSet(false, true)) {
        log.warn("cut off {} {}: it was still sending its refused body at the deadline",
            LogSafe.clean(request.getMethod()), LogSafe.clean(request.getHttpURI().getPath()));
        callback.succeeded();
      }
    }

    private void finish() {
      if (done.compareAndSet(false, true)) {
        Scheduler.Task task = deadline;
        if (task != null) {
          task.cancel();
        }
        callback.succeeded();
      }
    }

    @Override
    public Invocable.InvocationType getInvocationType() {
      return Invocable.InvocationType.NON_BLOCKING;
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
