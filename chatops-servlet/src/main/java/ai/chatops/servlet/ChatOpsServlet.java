package ai.chatops.servlet;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.toolkit.LogSafe;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every request under its mapping to {@link EventRouter#handle} and writes the router's
 * {@link WebhookResponse} back: the servlet-container host of the router, as the embedded Jetty host
 * of {@code examples/http-server} is for plain Java.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler();           // Jetty; Tomcat alike
 * context.addServlet(new ServletHolder(ChatOpsServlet.create(router)), "/*");
 * // Slack's request URL is then https://bot.example.com/slack/events
 * }</pre>
 *
 * <p>The router sees the path within the web application (the servlet path and the path info, without the
 * context path): map the servlet at {@code /*}, or at the router's own paths ({@code /slack/events},
 * {@code /v1/hooks/*}, {@code /v1/yaml}, {@code /v1/yaml/*}) beside other servlets; to serve the bot below a
 * prefix, give it its own context ({@code /chatops}, and Slack's request URL ends {@code /chatops/slack/events}). A body larger than {@link EventRouter#maxBodyBytes()} is answered 413 before it is read when the
 * client declares its length, and after reading at most one byte more than the limit otherwise. The 413 carries
 * {@code Connection: close} and is flushed at once; then what the client still sends of that body is read and
 * dropped, at most 8 MiB for at most 10 seconds, on the request's thread, before the
 * servlet returns. A client that writes its whole body before reading (Python's urllib) so sees the status:
 * a container that closes a connection with unread bytes makes the kernel answer the client's next bytes with
 * a reset, which a client still writing gets as a broken pipe. A client that keeps sending past those bounds
 * is cut off by the container when the servlet returns. Slow clients
 * are the container's to cut off (its idle or read timeout, which every container has): a request whose body
 * never arrives never reaches the router.
 *
 * <p>A servlet made by {@link #create} leaves the router to its owner; one made by {@link #owning} closes it
 * when the container destroys the servlet (which drains in-flight events). Declared in {@code web.xml} with
 * no argument, the servlet takes the router from the servlet context attribute {@link #ROUTER_ATTRIBUTE} at
 * {@code init} and leaves it open. Thread-safe, as servlets must be.
 */
public final class ChatOpsServlet extends HttpServlet {
  /** The servlet context attribute holding the {@link EventRouter} for a servlet declared without one. */
  public static final String ROUTER_ATTRIBUTE = EventRouter.class.getName();

  private static final long serialVersionUID = 1L;
  /** After a 413, how many more body bytes are read and dropped so the client sees it, at most. */
  private static final long DRAIN_BYTES = 8L * 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(ChatOpsServlet.class);
  /** After a 413, how long the rest of the body is read and dropped, at most. */
  private static final Duration DRAIN_TIME = Duration.ofSeconds(10);

  private transient volatile EventRouter router;
  private final boolean closesRouter;

  /** For containers that instantiate servlets from {@code web.xml}: the router comes from the context. */
  public ChatOpsServlet() {
    this.router = null;
    this.closesRouter = false;
  }

  private ChatOpsServlet(EventRouter router, boolean closesRouter) {
    this.router = Objects.requireNonNull(router, "router");
    this.closesRouter = closesRouter;
  }

  /** A servlet serving {@code router}, which its owner closes. */
  public static ChatOpsServlet create(EventRouter router) {
    return new ChatOpsServlet(router, false);
  }

  /** A servlet serving {@code router} that closes it (draining in-flight events) when it is destroyed. */
  public static ChatOpsServlet owning(EventRouter router) {
    return new ChatOpsServlet(router, true);
  }

  @Override
  public void init() throws ServletException {
    if (router == null) {
      Object attribute = getServletContext().getAttribute(ROUTER_ATTRIBUTE);
      if (!(attribute instanceof EventRouter)) {
        throw new ServletException("ChatOpsServlet needs an EventRouter: put one in the servlet context"
            + " attribute " + ROUTER_ATTRIBUTE + " before the servlet starts, or register"
            + " ChatOpsServlet.create(router)");
      }
      router = (EventRouter) attribute;
    }
  }

  /** The router this servlet serves. */
  public EventRouter router() {
    return router;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    EventRouter target = router;
    if (target == null) {
      write(response, WebhookResponse.text(503, "the bot is starting; try again"));
      return;
    }
    WebhookResponse answer = handle(request, target);
    if (answer.status() != 413) {
      write(response, answer);
      return;
    }
    // The body was refused unread, or read only up to the limit: say so, then drop the rest.
    response.setHeader("Connection", "close");
    write(response, answer);
    response.flushBuffer();
    drain(request, routerPath(request));
  }

  /**
   * Reads and drops what the client still sends of a refused body: to its end, or until the client fails,
   * or past {@link #DRAIN_BYTES}, or past {@link #DRAIN_TIME}. Each read waits at most the container's idle
   * timeout.
   */
  private static void drain(HttpServletRequest request, String path) {
    String expect = request.getHeader("Expect");
    if (expect != null && expect.toLowerCase(Locale.ROOT).contains("100-continue")) {
      return; // the client waits for the status and sends no body; reading would invite it with a 100
    }
    long deadline = System.nanoTime() + DRAIN_TIME.toNanos();
    byte[] buffer = new byte[8192];
    long dropped = 0;
    try {
      InputStream in = request.getInputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        dropped += n;
        if (dropped > DRAIN_BYTES || System.nanoTime() - deadline > 0) {
          log.warn("cut off {} {}: it was still sending its refused body after {} bytes",
              LogSafe.clean(request.getMethod()), LogSafe.clean(path), dropped);
          return;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // The client went away or stalled past the container's idle timeout: nobody left to protect.
    }
  }

  private static WebhookResponse handle(HttpServletRequest request, EventRouter router) {
    String path = routerPath(request);
    int limit = router.maxBodyBytes();
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      log.warn("refused {} {}: declared body of {} bytes exceeds the limit of {}", LogSafe.clean(request.getMethod()),
          LogSafe.clean(path), declared, limit);
      return WebhookResponse.text(413, "request body exceeds the limit of " + limit + " bytes");
    }
    WebhookRequest.Builder builder = WebhookRequest.builder(request.getMethod(), path);
    if (request.getQueryString() != null) {
      builder.query(request.getQueryString());
    }
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        builder.header(name, value);
      }
    }
    try {
      builder.body(request.getInputStream(), limit);
    } catch (BadRequestException e) {
      log.warn("refused {} {}: {}", LogSafe.clean(request.getMethod()), LogSafe.clean(path), e.getMessage());
      return WebhookResponse.text(e.status(), e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not read the body of {} {}: {}", LogSafe.clean(request.getMethod()), LogSafe.clean(path),
          LogSafe.clean(e.toString()));
      return WebhookResponse.text(400, "the request body could not be read");
    }
    return router.handle(builder.build());
  }

  /** The path within the web application: the servlet path, then the path info. */
  static String routerPath(HttpServletRequest request) {
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String info = request.getPathInfo() == null ? "" : request.getPathInfo();
    String path = servletPath + info;
    return path.isEmpty() ? "/" : path;
  }

  private static void write(HttpServletResponse response, WebhookResponse answer) throws IOException {
    response.setStatus(answer.status());
    for (Map.Entry<String, String> header : answer.headers().entrySet()) {
      response.setHeader(header.getKey(), header.getValue());
    }
    byte[] body = answer.body();
    response.setContentLength(body.length);
    if (body.length > 0) {
      OutputStream out = response.getOutputStream();
      out.write(body);
      out.flush();
    }
  }

  @Override
  public void destroy() {
    EventRouter target = router;
    if (closesRouter && target != null) {
      target.close();
    }
  }
}
