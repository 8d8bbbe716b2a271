package ai.chatops.mcp.internal;

import ai.chatops.EventRouter;
import ai.chatops.plugin.RouteTool;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.service.Conversation;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The MCP server of a servlet container: the SDK's stateful Streamable HTTP transport, so a tool call can
 * ask the human at the client to approve a {@code Confirm:} route (elicitation) while the call is open.
 * Same tools and the same policy path as the stateless endpoint. Thread-safe.
 */
public final class StreamableMcp implements AutoCloseable {
  /** The request attribute carrying the bearer token's user, set once the token was checked. */
  public static final String USER_ATTRIBUTE = StreamableMcp.class.getName() + ".user";

  private final BearerTokens tokens;
  private final HttpServletStreamableServerTransportProvider transport;
  private final McpSyncServer server;

  public StreamableMcp(EventRouter router, BearerTokens tokens, List<TrainingSet> trainingSets,
      Function<String, Conversation> approvals, int maxRequestBytes, Clock clock, Duration callTimeout,
      Duration approvalTimeout, String path) {
    this.tokens = tokens;
    McpJsonMapper json = McpJsonDefaults.getMapper();
    this.transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(json)
        .mcpEndpoint(path)
        .maxRequestSize(maxRequestBytes)
        .contextExtractor(request -> {
          Map<String, Object> context = new HashMap<>();
          Object user = request.getAttribute(USER_ATTRIBUTE);
          if (user != null) {
            context.put(McpRequests.USER, user);
          }
          return McpTransportContext.create(context);
        })
        .build();
    ToolCalls calls = new ToolCalls(router, approvals, clock, callTimeout);
    McpServer.SyncSpecification<?> spec = McpServer.sync(transport)
        .serverInfo("chatops-java", "0.1.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .jsonMapper(json)
        .requestTimeout(approvalTimeout);
    for (RouteTool tool : RouteTool.of(router.catalog(), trainingSets)) {
      spec.toolCall(McpRequests.tool(tool), (exchange, call) -> calls.call(tool,
          (String) exchange.transportContext().get(McpRequests.USER), call, elicitor(exchange)));
    }
    this.server = spec.build();
  }

  /** The servlet that speaks the transport; requests reach it only after {@link #user} found their token. */
  public HttpServletStreamableServerTransportProvider servlet() {
    return transport;
  }

  /** The user of an {@code Authorization} header's bearer token; empty when missing or unknown. */
  public Optional<String> user(Optional<String> authorization) {
    return tokens.user(authorization);
  }

  /**
   * Closes a session in the SDK's transport and drops it from its memory, through the transport's own
   * {@code DELETE} path (the SDK offers no other way to end a session; its open event stream ends too).
   *
   * @param request any request to this servlet, whose address the {@code DELETE} takes; it is not changed
   * @param response its response, which gets nothing of the {@code DELETE}'s answer
   * @return the status the SDK answered: 200, or 404 when it had dropped the session already
   */
  public int close(String session, String user, HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    StreamablePosts.StatusOnly answer = new StreamablePosts.StatusOnly(response);
    transport.service(new Deletion(request, session, user), answer);
    return answer.status();
  }

  /** Asks through the client when it declared elicitation; null when it did not (approval goes to chat). */
  private static ToolCalls.Elicitor elicitor(McpSyncServerExchange exchange) {
    McpSchema.ClientCapabilities capabilities = exchange.getClientCapabilities();
    if (capabilities == null || capabilities.elicitation() == null) {
      return null;
    }
    // A form with no field: the answer is the human's accept, decline or cancel.
    return question -> exchange.createElicitation(McpSchema.ElicitFormRequest.builder(question,
        Map.of("type", "object", "properties", Map.of())).build()).action();
  }

  @Override
  public void close() {
    server.closeGracefully();
  }

  /** A {@code DELETE} of a session, at the address of a request in hand, with none of its headers or body. */
  private static final class Deletion extends HttpServletRequestWrapper {
    private static final String SESSION = "Mcp-Session-Id";
    private final String session;
    private final String user;

    Deletion(HttpServletRequest request, String session, String user) {
      super(request);
      this.session = session;
      this.user = user;
    }

    @Override
    public String getMethod() {
      return "DELETE";
    }

    @Override
    public String getHeader(String name) {
      return SESSION.equalsIgnoreCase(name) ? session : null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return Collections.enumeration(SESSION.equalsIgnoreCase(name) ? List.of(session) : List.of());
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(List.of(SESSION));
    }

    @Override
    public Object getAttribute(String name) {
      return USER_ATTRIBUTE.equals(name) ? user : super.getAttribute(name);
    }
  }
}
