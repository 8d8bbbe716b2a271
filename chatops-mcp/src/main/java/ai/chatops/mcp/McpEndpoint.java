package ai.chatops.mcp;

import ai.chatops.Endpoint;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.mcp.internal.BearerTokens;
import ai.chatops.mcp.internal.McpRequests;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.service.Conversation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * An MCP server (Model Context Protocol, Streamable HTTP with JSON responses) mounted on the router, built on
 * the official MCP Java SDK: it lists every declared route as a tool ({@code <plugin>_<action>}, with the
 * schema of {@link ai.chatops.plugin.RouteTool}) and runs {@code tools/call} through
 * {@link EventRouter#invoke}, as the user its bearer token maps to: the route's access rule, the rate limits,
 * the audit entry ({@code via: mcp}) and the timeout apply as to a chat message, and the plugin's action is
 * the tool's result (its text, plus {@code structuredContent}).
 *
 * <p>A request without a known bearer token is refused with 401 and {@code WWW-Authenticate} before any
 * JSON-RPC is read. A {@code Confirm:} route never runs on an agent's word alone: the mapped user is asked
 * in the {@linkplain Builder#approvals approval conversation} (Yes/No, as in chat), the tool result says the
 * approval is pending, and the route runs only when that user says yes there (its reply goes there too).
 * A call that was refused or failed is a result with {@code isError} and the reason. A servlet container can
 * serve the same tools through {@link McpServlet}, which asks the human at the client (elicitation) where the
 * client can be asked.
 *
 * <pre>{@code
 * McpEndpoint mcp = McpEndpoint.builder()
 *     .token("U123", System.getenv("AGENT_TOKEN"))      // the host reads CHATOPS_MCP_TOKENS
 *     .approvals(Conversation.of("slack", "T1", "C-ops"))
 *     .trainingSets(sets)
 *     .build();
 * EventRouter router = EventRouter.builder().endpoint(mcp)...build();   // serves POST /mcp
 * }</pre>
 *
 * <p>Thread-safe; one per router.
 */
public final class McpEndpoint implements Endpoint {
  /** The path the endpoint is mounted at. */
  public static final String PATH = "/mcp";

  private final McpRequests requests;
  // What a servlet container's McpServlet serves with too.
  final BearerTokens tokens;
  final List<TrainingSet> trainingSets;
  final Function<String, Conversation> approvals;
  final int maxRequestBytes;
  final Clock clock;
  final Duration callTimeout;
  final Duration approvalTimeout;
  final Duration sessionIdleTimeout;
  final int maxSessionsPerUser;

  private McpEndpoint(Builder b) {
    Map<String, Conversation> byUser = Map.copyOf(b.approvalsByUser);
    Conversation fallback = b.approvals;
    this.tokens = new BearerTokens(b.tokens);
    this.trainingSets = List.copyOf(b.trainingSets);
    this.approvals = user -> byUser.getOrDefault(user, fallback);
    this.maxRequestBytes = b.maxRequestBytes;
    this.clock = b.clock;
    this.callTimeout = b.callTimeout;
    this.approvalTimeout = b.approvalTimeout;
    this.sessionIdleTimeout = b.sessionIdleTimeout;
    this.maxSessionsPerUser = b.maxSessionsPerUser;
    this.requests = new McpRequests(tokens, trainingSets, approvals, maxRequestBytes, clock, callTimeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String path() {
    return PATH;
  }

  /** POST carries JSON-RPC; GET (a server-sent event stream) and DELETE (end a session) get 405. */
  @Override
  public java.util.Set<String> methods() {
    return java.util.Set.of("POST");
  }

  @Override
  public WebhookResponse answer(WebhookRequest request, EventRouter router) {
    return requests.answer(request, router);
  }

  @Override
  public String toString() {
    return "McpEndpoint{" + PATH + "}";
  }

  /** Configures an {@link McpEndpoint}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final List<TrainingSet> trainingSets = new ArrayList<>();
    private Conversation approvals;
    private final Map<String, Conversation> approvalsByUser = new LinkedHashMap<>();
    private int maxRequestBytes = 64 * 1024;
    private Clock clock = Clock.systemUTC();
    private Duration callTimeout = Duration.ofSeconds(60);
    private Duration approvalTimeout = Duration.ofMinutes(5);
    private Duration sessionIdleTimeout = Duration.ofMinutes(30);
    private int maxSessionsPerUser = 32;

    private Builder() {}

    /**
     * Maps a bearer token to the chat user it acts as: the platform id the access rules name, such as a
     * Slack user id. A token maps to one user; a user may have several tokens.
     *
     * @throws IllegalArgumentException when the token is shorter than 16 characters or already mapped
     */
    public Builder token(String user, String token) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(token, "token");
      if (user.isBlank()) {
        throw new IllegalArgumentException("the user of an MCP token must not be blank");
      }
      if (token.length() < 16) {
        throw new IllegalArgumentException("the MCP token of " + user + " must be at least 16 characters");
      }
      if (tokens.putIfAbsent(token, user) != null) {
        throw new IllegalArgumentException("an MCP token is mapped twice (the second time for " + user + ")");
      }
      return this;
    }

    /**
     * Parses the host's {@code CHATOPS_MCP_TOKENS} form: {@code user=token} pairs, comma-separated.
     *
     * @throws IllegalArgumentException naming the position of a pair that is not {@code user=token}; the
     *     message never contains a token
     */
    public Builder tokens(String pairs) {
      String[] items = Objects.requireNonNull(pairs, "pairs").split(",");
      for (int i = 0; i < items.length; i++) {
        String item = items[i].trim();
        if (item.isEmpty()) {
          continue;
        }
        int eq = item.indexOf('=');
        if (eq <= 0 || eq == item.length() - 1) {
          throw new IllegalArgumentException("CHATOPS_MCP_TOKENS: pair " + (i + 1)
              + " is not user=token");
        }
        token(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
      }
      return this;
    }

    /**
     * Where the mapped users are asked to approve {@code Confirm:} routes, and the service, workspace and
     * channel that the access rules see for MCP calls. Without it, a {@code Confirm:} route over MCP is
     * refused, and calls are made as in channel {@code mcp} of a service named {@code mcp}.
     */
    public Builder approvals(Conversation conversation) {
      this.approvals = Objects.requireNonNull(conversation, "conversation");
      return this;
    }

    /**
     * Where {@code user} in particular is asked to approve, overriding {@link #approvals(Conversation)}: for
     * Slack, the user's direct-message channel with the bot (an answer to a top-level channel message arrives
     * in a thread, where it would not find the question).
     */
    public Builder approvals(String user, Conversation conversation) {
      approvalsByUser.put(Objects.requireNonNull(user, "user"), Objects.requireNonNull(conversation,
          "conversation"));
      return this;
    }

    /** The plugins' training material, for the enums and required attributes of the tool schemas. */
    public Builder trainingSets(List<TrainingSet> sets) {
      trainingSets.addAll(sets);
      return this;
    }

    /** The largest JSON-RPC request accepted; 64 KiB by default. Larger ones get 413 and are not read. */
    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxRequestBytes must be at least 1024 but was " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /** How long one request may wait for the router's answer; 60 s by default (the plugin timeout is less). */
    public Builder callTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("callTimeout must be positive but was " + timeout);
      }
      this.callTimeout = timeout;
      return this;
    }

    /**
     * How long a {@code Confirm:} route waits for the human's answer when it is asked through the client's
     * elicitation ({@link McpServlet} only); 5 minutes by default. No answer in time runs nothing.
     */
    public Builder approvalTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("approvalTimeout must be positive but was " + timeout);
      }
      this.approvalTimeout = timeout;
      return this;
    }

    /**
     * How long a session of {@link McpServlet} lives with no request; 30 minutes by default. A session with a
     * request open (a call waiting for the human's approval) is not idle. An expired session is closed and
     * forgotten: its id then answers 404, and the client initializes a new one, as the MCP specification says.
     */
    public Builder sessionIdleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("sessionIdleTimeout must be positive but was " + timeout);
      }
      this.sessionIdleTimeout = timeout;
      return this;
    }

    /**
     * How many sessions of {@link McpServlet} one user may hold; 32 by default. Past it, an {@code initialize}
     * closes the user's least recently used session that has no request open; when every one of them has one,
     * it is refused with 429 and a JSON-RPC error naming the limit. Other users' sessions are not touched.
     */
    public Builder maxSessionsPerUser(int sessions) {
      if (sessions < 1) {
        throw new IllegalArgumentException("maxSessionsPerUser must be at least 1 but was " + sessions);
      }
      this.maxSessionsPerUser = sessions;
      return this;
    }

    /** The clock for the events' times and the sessions' idle times; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the endpoint.
     *
     * @throws IllegalStateException when no token is mapped: nobody could call it
     */
    public McpEndpoint build() {
      if (tokens.isEmpty()) {
        throw new IllegalStateException("an MCP endpoint needs at least one token (CHATOPS_MCP_TOKENS)");
      }
      return new McpEndpoint(this);
    }
  }
}
