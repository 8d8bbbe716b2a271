package ai.chatops.mcp;

import ai.chatops.EventRouter;
import ai.chatops.WebhookResponse;
import ai.chatops.mcp.internal.McpSessions;
import ai.chatops.mcp.internal.StreamableMcp;
import ai.chatops.mcp.internal.StreamablePosts;
import ai.chatops.toolkit.LogSafe;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server of an {@link McpEndpoint} for a servlet container, on the MCP SDK's stateful Streamable HTTP
 * transport (sessions, server-sent events): while a {@code tools/call} of a {@code Confirm:} route is open, the
 * server asks the human at the client to approve it (MCP elicitation) when the client declared that
 * capability; accept runs it through the same policy path as every call ({@link EventRouter#invoke}, audit
 * {@code via: mcp}), decline, cancel or no answer within {@link McpEndpoint.Builder#approvalTimeout} runs
 * nothing and the result is an error saying so. A client without the capability is answered as by the
 * endpoint: approval pending, the user asked in chat.
 *
 * <p>Every request needs a known bearer token, checked before any JSON-RPC is read (401 with
 * {@code WWW-Authenticate}); a body over {@link McpEndpoint.Builder#maxRequestBytes}, declared or not, is 413; a
 * session is bound to the user whose token opened it, so another token cannot use its id (404, as for an
 * unknown id). A POST is checked before the SDK reads it, as the endpoint checks it: one JSON-RPC 2.0 object
 * (else 400 naming what is wrong), params of the types the protocol gives them (else a JSON-RPC invalid-params
 * error naming the field), and for anything but {@code initialize}, a session of the caller's; a response to
 * no request of the server's is 400. The SDK's own error answers (a 500, or its exception serialized with its
 * stack trace) are not reached by client input.
 *
 * <p>Sessions are bounded: one with no request for {@link McpEndpoint.Builder#sessionIdleTimeout} (30 minutes by
 * default) is closed and forgotten, so its id then answers 404 and the client initializes again; a session with
 * a request open, such as a call waiting for the human's approval, is never idle. A user holds at most
 * {@link McpEndpoint.Builder#maxSessionsPerUser} sessions (32 by default): past it, an {@code initialize} closes
 * the least recently used of theirs with no request open, or, when each has one, is refused with 429. Expired
 * sessions are swept when any request comes, so memory stays within the cap per user.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler("/");
 * context.addServlet(new ServletHolder(McpServlet.create(mcp, router)), McpEndpoint.PATH);
 * context.addServlet(new ServletHolder(ChatOpsServlet.create(router)), "/*");
 * }</pre>
 *
 * <p>Mount it at {@link McpEndpoint#PATH}. Thread-safe; {@code destroy} closes its sessions.
 */
public final class McpServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(McpServlet.class);
  private static final String SESSION = "Mcp-Session-Id";
  /** The methods other than POST that the transport serves, each within a session. */
  private static final Set<String> SESSION_METHODS = Set.of("GET", "HEAD", "DELETE");

  private final transient StreamableMcp mcp;
  private final int maxRequestBytes;
  private final transient StreamablePosts posts;
  /** The user whose token opened each session, its last use and its open requests. */
  private final transient McpSessions sessions;

  private McpServlet(StreamableMcp mcp, int maxRequestBytes, McpSessions sessions) {
    this.mcp = mcp;
    this.maxRequestBytes = maxRequestBytes;
    this.posts = new StreamablePosts(maxRequestBytes);
    this.sessions = sessions;
  }

  /** The servlet serving {@code endpoint}'s tools, tokens and approvals for {@code router}. */
  public static McpServlet create(McpEndpoint endpoint, EventRouter router) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(router, "router");
    return new McpServlet(new StreamableMcp(router, endpoint.tokens, endpoint.trainingSets, endpoint.approvals,
        endpoint.maxRequestBytes, endpoint.clock, endpoint.callTimeout, endpoint.approvalTimeout,
        McpEndpoint.PATH), endpoint.maxRequestBytes, new McpSessions(endpoint.clock,
        endpoint.sessionIdleTimeout, endpoint.maxSessionsPerUser));
  }

  /** How many sessions are open, of every user: for tests. */
  int openSessions() {
    return sessions.size();
  }

  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    mcp.servlet().init(config);
  }

  /**
   * How a request is refused before any of its body is read, or empty when it may be served: without a bearer
   * token, with an unknown one or with another scheme, 401 with {@code WWW-Authenticate}; with a declared body
   * over {@link McpEndpoint.Builder#maxRequestBytes}, 413. {@link #service} applies it to every request; a host
   * that answers refusals itself (to read and drop the rest of a refused body before it closes the
   * connection, so the client sees the status) calls it first.
   *
   * @param authorization the request's {@code Authorization} header; null when it has none
   * @param declaredLength the request's {@code Content-Length}; negative when it declares none
   */
  public Optional<WebhookResponse> refusal(String authorization, long declaredLength) {
    Optional<String> header = Optional.ofNullable(authorization);
    return refusal(header, mcp.user(header), declaredLength);
  }

  private Optional<WebhookResponse> refusal(Optional<String> authorization, Optional<String> user,
      long declaredLength) {
    if (user.isEmpty()) {
      log.warn("refused an MCP request: {} bearer token", authorization.isPresent() ? "unknown" : "no");
      return Optional.of(WebhookResponse.text(401, "a valid bearer token is required").withHeader(
          "WWW-Authenticate", "Bearer realm=\"chatops-mcp\""
              + (authorization.isPresent() ? ", error=\"invalid_token\"" : "")));
    }
    if (declaredLength > maxRequestBytes) {
      log.warn("refused an MCP request of {}: {} bytes exceeds the limit of {}", LogSafe.clean(user.get()),
          declaredLength, maxRequestBytes);
      return Optional.of(WebhookResponse.text(413, "an MCP request may have at most " + maxRequestBytes
          + " bytes"));
    }
    return Optional.empty();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    Optional<String> authorization = Optional.ofNullable(request.getHeader("Authorization"));
    Optional<String> user = mcp.user(authorization);
    Optional<WebhookResponse> refused = refusal(authorization, user, request.getContentLengthLong());
    if (refused.isPresent()) {
      write(response, refused.get());
      return;
    }
    request.setAttribute(StreamableMcp.USER_ATTRIBUTE, user.get());
    close(sessions.expire(), request, response);
    if ("POST".equals(request.getMethod())) {
      post(request, response, user.get());
      return;
    }
    if (!SESSION_METHODS.contains(request.getMethod())) {
      mcp.servlet().service(request, response);
      return;
    }
    String session = request.getHeader(SESSION);
    if (session == null || !sessions.enter(user.get(), session)) {
      refuseSession(response, user.get(), session);
      return;
    }
    try {
      mcp.servlet().service(request, response);
    } finally {
      sessions.leave(session);
    }
    if ("DELETE".equals(request.getMethod())) {
      sessions.remove(session);
    }
  }

  /**
   * A JSON-RPC message, checked before the SDK reads it; an {@code initialize} opens a session of {@code user}'s
   * (within the cap), and only {@code user}'s sessions take any other message.
   */
  private void post(HttpServletRequest request, HttpServletResponse response, String user)
      throws ServletException, IOException {
    StreamablePosts.Checked checked = posts.check(request, session -> sessions.enter(user, session));
    if (checked.refusal().isPresent()) {
      if (checked.refusal().get().status() == 404) {
        log.warn("refused an MCP request of {}: not a session of theirs", LogSafe.clean(user));
      }
      write(response, checked.refusal().get());
      return;
    }
    StreamablePosts.Accepted accepted = checked.accepted().orElseThrow();
    HttpServletRequest replay = StreamablePosts.replay(request, accepted.body());
    if (accepted.initialize()) {
      initialize(replay, response, user, accepted);
      return;
    }
    String session = request.getHeader(SESSION);
    try {
      if (accepted.response()) {
        StreamablePosts.StatusOnly answer = new StreamablePosts.StatusOnly(response);
        mcp.servlet().service(replay, answer);
        write(response, answer.status() < 400 ? WebhookResponse.of(202, Map.of(), new byte[0])
            : posts.unexpected(accepted));
        return;
      }
      mcp.servlet().service(replay, response);
    } finally {
      sessions.leave(session);
    }
  }

  /**
   * Opens a session of {@code user}'s, after closing the least recently used idle one of theirs when they hold
   * as many as they may; refused with 429 when every one of those has a request open.
   */
  private void initialize(HttpServletRequest replay, HttpServletResponse response, String user,
      StreamablePosts.Accepted accepted) throws ServletException, IOException {
    McpSessions.Admission admission = sessions.admit(user);
    close(admission.closing(), replay, response);
    if (!admission.admitted()) {
      log.warn("refused an MCP initialize of {}: {} sessions, each with a call in progress", LogSafe.clean(user),
          sessions.maxPerUser());
      write(response, posts.tooManySessions(accepted, sessions.maxPerUser()));
      return;
    }
    Optional<String> opened = Optional.empty();
    try {
      mcp.servlet().service(replay, response);
      opened = Optional.ofNullable(response.getHeader(SESSION));
    } finally {
      sessions.opened(user, opened);
    }
  }

  /**
   * Closes sessions in the SDK that {@link #sessions} forgot. A failure is logged, not passed on: the request in
   * hand, maybe another user's, is not at fault.
   */
  private void close(List<McpSessions.Closing> closing, HttpServletRequest request, HttpServletResponse response) {
    for (McpSessions.Closing session : closing) {
      try {
        int status = mcp.close(session.id(), session.user(), request, response);
        log.info("closed an MCP session of {} ({}): the SDK answered {}", LogSafe.clean(session.user()),
            session.why(), status);
      } catch (ServletException | IOException | RuntimeException e) {
        log.warn("could not close an MCP session of {} ({}) in the SDK", LogSafe.clean(session.user()),
            session.why(), e);
      }
    }
  }

  private static void refuseSession(HttpServletResponse response, String user, String session) throws IOException {
    if (session == null) {
      text(response, 400, "an Mcp-Session-Id header is required: initialize opens a session");
      return;
    }
    log.warn("refused an MCP request of {}: not a session of theirs", LogSafe.clean(user));
    text(response, 404, "no such session");
  }

  private static void write(HttpServletResponse response, WebhookResponse answer) throws IOException {
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    response.getOutputStream().write(answer.body());
  }

  private static void text(HttpServletResponse response, int status, String message) throws IOException {
    write(response, WebhookResponse.text(status, message));
  }

  @Override
  public void destroy() {
    mcp.close();
    mcp.servlet().destroy();
    super.destroy();
  }
}
