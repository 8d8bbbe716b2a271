package ai.chatops.mcp.internal;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.RouteTool;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.service.Conversation;
import ai.chatops.toolkit.LogSafe;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The request path of {@code /mcp}: authentication first (401 before any JSON is read), then the size and
 * the content type, then one JSON-RPC message handed to the MCP SDK's stateless server, whose answer is the
 * response body. The SDK server is built on the first request, once the router (and so its catalog) exists.
 * Thread-safe.
 */
public final class McpRequests {
  private static final Logger log = LoggerFactory.getLogger(McpRequests.class);
  static final String USER = "chatops.user";
  private static final String CHALLENGE = "Bearer realm=\"chatops-mcp\"";
  /** The field a failed read names in its reference chain: {@code ...CallToolRequest["arguments"]}. */
  private static final Pattern FIELD = Pattern.compile("\\[\"([^\"]{1,60})\"\\]\\)");

  private final BearerTokens tokens;
  private final List<TrainingSet> trainingSets;
  private final Function<String, Conversation> approvals;
  private final int maxRequestBytes;
  private final Clock clock;
  private final Duration callTimeout;
  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private volatile Served served;

  /** The SDK server of one router, with the transport that feeds it. */
  private record Served(EventRouter router, McpStatelessSyncServer server, Transport transport) {}

  public McpRequests(BearerTokens tokens, List<TrainingSet> trainingSets,
      Function<String, Conversation> approvals,
      int maxRequestBytes, Clock clock, Duration callTimeout) {
    this.tokens = tokens;
    this.trainingSets = trainingSets;
    this.approvals = approvals;
    this.maxRequestBytes = maxRequestBytes;
    this.clock = clock;
    this.callTimeout = callTimeout;
  }

  public WebhookResponse answer(WebhookRequest request, EventRouter router) {
    Optional<String> user = tokens.user(request.header("Authorization"));
    if (user.isEmpty()) {
      String error = request.header("Authorization").isPresent() ? ", error=\"invalid_token\"" : "";
      log.warn("refused an MCP request: {} bearer token", request.header("Authorization").isPresent()
          ? "unknown" : "no");
      return WebhookResponse.text(401, "a valid bearer token is required").withHeader("WWW-Authenticate",
          CHALLENGE + error);
    }
    if (request.bodyLength() > maxRequestBytes) {
      log.warn("refused an MCP request of {}: {} bytes exceeds the limit of {}", LogSafe.clean(user.get()),
          request.bodyLength(), maxRequestBytes);
      return WebhookResponse.text(413, "an MCP request may have at most " + maxRequestBytes + " bytes");
    }
    String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      return WebhookResponse.text(415, "an MCP request must be application/json");
    }
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, new String(request.body(), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return error(400, McpSchema.ErrorCodes.PARSE_ERROR, "not a JSON-RPC 2.0 message: " + reason(e));
    }
    McpTransportContext context = McpTransportContext.create(Map.of(USER, user.get()));
    Transport transport = served(router).transport();
    try {
      if (message instanceof McpSchema.JSONRPCRequest call) {
        if (!"2.0".equals(call.jsonrpc()) || !(call.id() instanceof String || call.id() instanceof Number)) {
          return error(400, McpSchema.ErrorCodes.INVALID_REQUEST, "jsonrpc must be \"2.0\" and id a string "
              + "or a number");
        }
        Optional<String> malformed = malformedParams(call).or(() -> mistyped(json, call));
        if (malformed.isPresent()) {
          return json(McpSchema.JSONRPCResponse.error(call.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
              McpSchema.ErrorCodes.INVALID_PARAMS, malformed.get())));
        }
        McpSchema.JSONRPCResponse response = transport.handler().handleRequest(context, call)
            .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
            .block(callTimeout);
        if (response == null) {
          return error(500, McpSchema.ErrorCodes.INTERNAL_ERROR, "the request produced no answer");
        }
        return json(response);
      }
      if (message instanceof McpSchema.JSONRPCNotification notification) {
        transport.handler().handleNotification(context, notification)
            .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
            .block(callTimeout);
        return WebhookResponse.of(202, Map.of(), new byte[0]);
      }
      return error(400, McpSchema.ErrorCodes.INVALID_REQUEST, "this server takes requests and notifications "
          + "only");
    } catch (IOException | RuntimeException e) {
      log.error("an MCP request of {} failed", LogSafe.clean(user.get()), e);
      return error(500, McpSchema.ErrorCodes.INTERNAL_ERROR, "the request could not be handled");
    }
  }

  private WebhookResponse json(McpSchema.JSONRPCResponse response) throws IOException {
    return WebhookResponse.json(200, json.writeValueAsString(response));
  }

  /**
   * What is wrong with the params of a request the SDK would read without checking (it fails on a
   * {@code tools/call} without params, for one); empty when they may be handed on.
   */
  static Optional<String> malformedParams(McpSchema.JSONRPCRequest call) {
    if (call.method() == null) {
      return Optional.of("method must be a string");
    }
    Object params = call.params();
    if (params != null && !(params instanceof Map)) {
      return Optional.of("params must be an object");
    }
    Map<?, ?> fields = params == null ? Map.of() : (Map<?, ?>) params;
    switch (call.method()) {
      case "tools/call":
        return fields.get("name") instanceof String ? Optional.empty()
            : Optional.of("tools/call needs params with the tool's name");
      case "initialize":
        return fields.get("protocolVersion") instanceof String ? Optional.empty()
            : Optional.of("initialize needs params with a protocolVersion");
      default:
        return Optional.empty();
    }
  }

  /**
   * The SDK reads the params of the requests it serves into its own records and fails (as an internal
   * error) when a field has the wrong JSON type, {@code "arguments": "2.0"} for one; this reads them the
   * same way first, so such a request is answered as invalid params, naming the field.
   */
  static Optional<String> mistyped(McpJsonMapper json, McpSchema.JSONRPCRequest call) {
    Class<?> type = switch (call.method()) {
      case "tools/call" -> McpSchema.CallToolRequest.class;
      case "tools/list" -> McpSchema.PaginatedRequest.class;
      case "initialize" -> McpSchema.InitializeRequest.class;
      default -> null;
    };
    if (type == null || call.params() == null) {
      return Optional.empty();
    }
    try {
      json.convertValue(call.params(), type);
      return Optional.empty();
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      Matcher field = FIELD.matcher(message);
      String named = field.find() ? "params." + LogSafe.clean(field.group(1), 60) : "params";
      return Optional.of(named + " of " + call.method() + " does not have the type the protocol gives it: "
          + reason(e));
    }
  }

  private Served served(EventRouter router) {
    Served current = served;
    if (current != null && current.router() == router) {
      return current;
    }
    synchronized (this) {
      if (served == null || served.router() != router) {
        Transport transport = new Transport();
        List<RouteTool> tools = RouteTool.of(router.catalog(), trainingSets);
        McpServer.StatelessSyncSpecification spec = McpServer.sync(transport)
            .serverInfo("chatops-java", "0.1.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .jsonMapper(json)
            .requestTimeout(callTimeout)
            .immediateExecution(true);
        ToolCalls calls = new ToolCalls(router, approvals, clock, callTimeout);
        for (RouteTool tool : tools) {
          spec.toolCall(tool(tool), (context, call) -> calls.call(tool, (String) context.get(USER), call));
        }
        served = new Served(router, spec.build(), transport);
      }
      return served;
    }
  }

  /** The MCP tool of a route, the same for both transports. */
  static McpSchema.Tool tool(RouteTool tool) {
    return McpSchema.Tool.builder(tool.name(), tool.inputSchema()).title(tool.route().plugin() + " "
        + tool.route().action()).description(tool.description()).build();
  }

  private WebhookResponse error(int status, int code, String message) {
    return error(json, status, code, message);
  }

  /** A JSON-RPC error answer without an id, for a message that could not be read as far as its id. */
  static WebhookResponse error(McpJsonMapper json, int status, int code, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jsonrpc", "2.0");
    body.put("id", null);
    body.put("error", error);
    try {
      return WebhookResponse.json(status, json.writeValueAsString(body));
    } catch (IOException e) {
      return WebhookResponse.text(status, message);
    }
  }

  static String reason(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return LogSafe.clean(message.split("\n", 2)[0], 120);
  }

  /** The SDK's stateless transport, fed by {@link #answer} instead of a servlet. */
  static final class Transport implements McpStatelessServerTransport {
    private volatile McpStatelessServerHandler handler;

    @Override
    public void setMcpHandler(McpStatelessServerHandler mcpHandler) {
      this.handler = mcpHandler;
    }

    McpStatelessServerHandler handler() {
      return handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.empty();
    }
  }
}
