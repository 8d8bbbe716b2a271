package ai.chatops.mcp.internal;

import ai.chatops.WebhookResponse;
import ai.chatops.toolkit.LogSafe;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The POST path of the Streamable HTTP servlet, checked before the SDK's transport reads it: an {@code Accept}
 * naming both answer types, a body within the limit holding one JSON-RPC 2.0 message whose params have the
 * protocol's types, and, for anything but {@code initialize}, a session of the caller's. The SDK answers such
 * mistakes with a 500 or with its exception serialized, stack trace and all; these are answered as the
 * stateless endpoint answers them. Thread-safe.
 */
public final class StreamablePosts {
  private static final String SESSION = "Mcp-Session-Id";

  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private final int maxRequestBytes;

  /** A POST that passed: its body and its message, to be handed on. */
  public record Accepted(byte[] body, McpSchema.JSONRPCMessage message) {
    /** Whether the message opens a session. */
    public boolean initialize() {
      return message instanceof McpSchema.JSONRPCRequest call && McpSchema.METHOD_INITIALIZE.equals(call.method());
    }

    /** Whether the message answers a request of the server's (an elicitation). */
    public boolean response() {
      return message instanceof McpSchema.JSONRPCResponse;
    }
  }

  public StreamablePosts(int maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * Reads and checks a POST; the answer to send instead of handing it on when it fails a check.
   *
   * @param enterSession enters a session: whether its id names an open session of the caller's, which the
   *     request then uses until the caller ends that use (asked last, so a request it lets in is accepted)
   */
  public Checked check(HttpServletRequest request, Predicate<String> enterSession) throws IOException {
    String accept = request.getHeader("Accept");
    if (accept == null || !accept.contains("application/json") || !accept.contains("text/event-stream")) {
      return refused(McpRequests.error(json, 400, McpSchema.ErrorCodes.INVALID_REQUEST,
          "the Accept header must name application/json and text/event-stream"));
    }
    byte[] body = read(request.getInputStream());
    if (body.length > maxRequestBytes) {
      return refused(WebhookResponse.text(413, "an MCP request may have at most " + maxRequestBytes + " bytes"));
    }
    Object parsed;
    try {
      parsed = json.readValue(body, Object.class);
    } catch (IOException | RuntimeException e) {
      return refused(McpRequests.error(json, 400, McpSchema.ErrorCodes.PARSE_ERROR,
          "not JSON: " + McpRequests.reason(e)));
    }
    if (!(parsed instanceof Map<?, ?> fields)) {
      return refused(McpRequests.error(json, 400, McpSchema.ErrorCodes.INVALID_REQUEST,
          "a message must be one JSON object (this server takes no batches)"));
    }
    Optional<String> malformed = malformed(fields);
    if (malformed.isPresent()) {
      return refused(McpRequests.error(json, 400, McpSchema.ErrorCodes.INVALID_REQUEST, malformed.get()));
    }
    McpSchema.JSONRPCMessage message;
    try {
      message = message(fields);
    } catch (RuntimeException e) {
      return refused(McpRequests.error(json, 400, McpSchema.ErrorCodes.INVALID_REQUEST,
          "not a JSON-RPC 2.0 message: " + McpRequests.reason(e)));
    }
    Optional<WebhookResponse> invalid = invalidParams(message);
    if (invalid.isPresent()) {
      return refused(invalid.get());
    }
    Accepted accepted = new Accepted(body, message);
    if (!accepted.initialize()) {
      String session = request.getHeader(SESSION);
      if (session == null || session.isBlank()) {
        return refused(McpRequests.error(json, 400, McpSchema.ErrorCodes.INVALID_REQUEST,
            "an Mcp-Session-Id header is required: initialize opens a session"));
      }
      if (!enterSession.test(session)) {
        return refused(WebhookResponse.text(404, "no such session"));
      }
    }
    return new Checked(Optional.empty(), Optional.of(accepted));
  }

  /** The answer to a client's response that no request of the server's waits for (the SDK failed on it). */
  public WebhookResponse unexpected(Accepted response) {
    Object id = ((McpSchema.JSONRPCResponse) response.message()).id();
    return McpRequests.error(json, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "no request of this server waits "
        + "for an answer with id " + LogSafe.clean(String.valueOf(id), 60));
  }

  /**
   * The answer to an {@code initialize} past the cap on a user's sessions, every one of which has a request
   * open: 429 and a JSON-RPC error naming the limit.
   */
  public WebhookResponse tooManySessions(Accepted initialize, int maxPerUser) throws IOException {
    Object id = ((McpSchema.JSONRPCRequest) initialize.message()).id();
    return WebhookResponse.json(429, json.writeValueAsString(McpSchema.JSONRPCResponse.error(id,
        new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_REQUEST, "this user holds "
            + maxPerUser + " MCP sessions, the most allowed (maxSessionsPerUser), and each has a call in "
            + "progress: end one (DELETE) or initialize again when a call has ended", null))));
  }

  /** Either the refusal to send or the message to hand on. */
  public record Checked(Optional<WebhookResponse> refusal, Optional<Accepted> accepted) {}

  private static Checked refused(WebhookResponse refusal) {
    return new Checked(Optional.of(refusal), Optional.empty());
  }

  /** What is wrong with a JSON object as a JSON-RPC 2.0 message, as the SDK would fail on it; empty if nothing. */
  private static Optional<String> malformed(Map<?, ?> fields) {
    if (!"2.0".equals(fields.get("jsonrpc"))) {
      return Optional.of("jsonrpc must be \"2.0\"");
    }
    if (fields.containsKey("method")) {
      if (!(fields.get("method") instanceof String)) {
        return Optional.of("method must be a string");
      }
      Object id = fields.get("id");
      if (fields.containsKey("id") && !(id instanceof String || id instanceof Number)) {
        return Optional.of("id must be a string or a number");
      }
      return Optional.empty();
    }
    if (!fields.containsKey("result") && !fields.containsKey("error")) {
      return Optional.of("a message needs a method (a request or a notification) or a result or an error "
          + "(a response)");
    }
    return Optional.empty();
  }

  /** The message of a JSON object that passed {@link #malformed}, told apart as the SDK tells them apart. */
  private McpSchema.JSONRPCMessage message(Map<?, ?> fields) {
    if (fields.containsKey("method")) {
      return fields.containsKey("id") ? json.convertValue(fields, McpSchema.JSONRPCRequest.class)
          : json.convertValue(fields, McpSchema.JSONRPCNotification.class);
    }
    return json.convertValue(fields, McpSchema.JSONRPCResponse.class);
  }

  /** The answer to a request whose params the SDK would fail on: invalid params, naming the field. */
  private Optional<WebhookResponse> invalidParams(McpSchema.JSONRPCMessage message) throws IOException {
    if (message instanceof McpSchema.JSONRPCRequest call) {
      Optional<String> malformed = McpRequests.malformedParams(call).or(() -> McpRequests.mistyped(json, call));
      if (malformed.isPresent()) {
        return Optional.of(WebhookResponse.json(200, json.writeValueAsString(McpSchema.JSONRPCResponse.error(
            call.id(), new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                malformed.get())))));
      }
    }
    return Optional.empty();
  }

  /** Reads at most one byte past the limit, so an oversized body is known without reading all of it. */
  private byte[] read(InputStream in) throws IOException {
    return in.readNBytes(maxRequestBytes + 1);
  }

  /** The request as the SDK reads it: {@code body} (already read from {@code request}), in UTF-8. */
  public static HttpServletRequest replay(HttpServletRequest request, byte[] body) {
    return new Replay(request, body);
  }

  /**
   * A response that keeps only its status: for the SDK's answer to a client's response, whose body (on
   * failure its exception, serialized) must not reach the client.
   */
  public static final class StatusOnly extends HttpServletResponseWrapper {
    private int status = HttpServletResponse.SC_OK;
    private final ServletOutputStream discard = new ServletOutputStream() {
      @Override
      public void write(int b) {
        // dropped
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {
        throw new IllegalStateException("a status-only response takes no asynchronous writes");
      }
    };
    private final PrintWriter writer = new PrintWriter(discard, false, StandardCharsets.UTF_8);

    public StatusOnly(HttpServletResponse response) {
      super(response);
    }

    /** The status the SDK set. */
    public int status() {
      return status;
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
    }

    @Override
    public void sendError(int sc) {
      status = sc;
    }

    @Override
    public void sendError(int sc, String msg) {
      status = sc;
    }

    @Override
    public void setContentType(String type) {
      // the real response gets its own
    }

    @Override
    public void setCharacterEncoding(String charset) {
      // the real response gets its own
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return discard;
    }

    @Override
    public PrintWriter getWriter() {
      return writer;
    }
  }

  private static final class Replay extends HttpServletRequestWrapper {
    private final ByteArrayInputStream body;

    Replay(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = new ByteArrayInputStream(body);
    }

    @Override
    public String getCharacterEncoding() {
      return StandardCharsets.UTF_8.name();
    }

    @Override
    public ServletInputStream getInputStream() {
      return new ServletInputStream() {
        @Override
        public int read() {
          return body.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return body.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return body.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body was read already; it is replayed synchronously");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }
  }
}
