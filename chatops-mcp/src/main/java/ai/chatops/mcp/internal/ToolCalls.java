package ai.chatops.mcp.internal;

import ai.chatops.ChatOpsException;
import ai.chatops.EventRouter;
import ai.chatops.InvocationResult;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.RouteTool;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.toolkit.LogSafe;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code tools/call}: the arguments checked against the route (the SDK checked them against the schema
 * already), then the call made as the token's user through {@link EventRouter#invoke}, or, for a
 * {@code Confirm:} route, the human asked to approve it first: at the client (elicitation) when it can be
 * asked, else in chat. Thread-safe.
 */
final class ToolCalls {
  private static final Logger log = LoggerFactory.getLogger(ToolCalls.class);
  static final String VIA = "mcp";

  private final EventRouter router;
  private final Function<String, Conversation> approvals;
  private final Clock clock;
  private final Duration callTimeout;

  ToolCalls(EventRouter router, Function<String, Conversation> approvals, Clock clock, Duration callTimeout) {
    this.router = router;
    this.approvals = approvals;
    this.clock = clock;
    this.callTimeout = callTimeout;
  }

  /**
   * Asks the human at the MCP client to approve a call, through the client's elicitation capability, and
   * waits for the answer.
   */
  @FunctionalInterface
  interface Elicitor {
    /**
     * The human's answer to {@code question}.
     *
     * @throws RuntimeException when no answer came in time or the client failed to ask
     */
    McpSchema.ElicitResult.Action ask(String question);
  }

  /** A call from a client that cannot be asked (the stateless transport): approval goes through chat. */
  McpSchema.CallToolResult call(RouteTool tool, String user, McpSchema.CallToolRequest request) {
    return call(tool, user, request, null);
  }

  /**
   * A call; a {@code Confirm:} route is approved through {@code elicitor} when there is one (the client
   * declared elicitation), else in chat.
   */
  McpSchema.CallToolResult call(RouteTool tool, String user, McpSchema.CallToolRequest request,
      Elicitor elicitor) {
    Map<String, String> arguments = new LinkedHashMap<>();
    Map<String, Object> given = request.arguments() == null ? Map.of() : request.arguments();
    for (Map.Entry<String, Object> argument : given.entrySet()) {
      Object value = argument.getValue();
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        return refused(argument.getKey() + " of " + tool.name() + " must be a single value, not "
            + (value instanceof List ? "a list" : value == null ? "null" : "an object"));
      }
      arguments.put(argument.getKey(), String.valueOf(value));
    }
    Optional<String> problem = tool.problem(arguments);
    if (problem.isPresent()) {
      return refused(problem.get());
    }
    // The plugin gets each value as its type's canonical text (ENV=prod is production, WAIT=10m is PT10M),
    // as from chat; a blank value is as if absent.
    arguments.replaceAll((name, value) -> value.isBlank() ? value : tool.route().attributeSpec(name)
        .map(spec -> spec.type().canonical(name, value)).orElse(value));
    arguments.values().removeIf(String::isBlank);
    List<String> missing = tool.required().stream().filter(a -> arguments.getOrDefault(a, "").isBlank())
        .collect(Collectors.toList());
    if (!missing.isEmpty()) {
      return refused(tool.name() + " needs " + String.join(", ", missing));
    }
    Invocation invocation = new Invocation(tool.route(), arguments, event(user, tool, arguments), VIA);
    if (tool.route().confirm()) {
      return elicitor == null ? approve(tool, user, invocation) : elicit(tool, user, invocation, elicitor);
    }
    return run(tool, user, invocation);
  }

  private McpSchema.CallToolResult run(RouteTool tool, String user, Invocation invocation) {
    InvocationResult result;
    try {
      result = router.invoke(invocation).toCompletableFuture().get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return refused("timed_out", tool.name() + " did not answer within " + callTimeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refused("failed", tool.name() + " was interrupted");
    } catch (ExecutionException e) {
      log.error("the MCP call of {} by {} failed", tool.name(), LogSafe.clean(user), e);
      return refused("failed", tool.name() + " failed");
    }
    if (!result.done()) {
      return refused(result.outcome().wireName(), result.action().toPlainText());
    }
    return result(result, user);
  }

  /**
   * Asks the human at the client (elicitation) once the route's access rule allows the user: accept runs the
   * call through the same policy path, anything else runs nothing.
   */
  private McpSchema.CallToolResult elicit(RouteTool tool, String user, Invocation invocation, Elicitor elicitor) {
    // A user the access rule refuses is refused without being asked, as in chat.
    Optional<String> refusal = router.accessRefusal(invocation);
    if (refusal.isPresent()) {
      return refused("denied", refusal.get());
    }
    String what = describe(invocation);
    McpSchema.ElicitResult.Action answer;
    try {
      answer = elicitor.ask("Run " + what + "? An agent asks on behalf of " + user + "; accept to run it, "
          + "decline to refuse.");
    } catch (RuntimeException e) {
      log.info("MCP approval of {} by {} got no answer: {}", tool.name(), LogSafe.clean(user), e.toString());
      return refused("approval_expired", "No answer came to the approval of " + what + "; nothing ran.");
    }
    if (answer == McpSchema.ElicitResult.Action.ACCEPT) {
      return run(tool, user, invocation);
    }
    return answer == McpSchema.ElicitResult.Action.DECLINE
        ? refused("approval_declined", "The approval of " + what + " was declined; nothing ran.")
        : refused("approval_cancelled", "The approval of " + what + " was cancelled; nothing ran.");
  }

  /** {@code deploy restart SERVICE=api}, as the chat question names a call. */
  private static String describe(Invocation invocation) {
    StringBuilder what = new StringBuilder(invocation.route().plugin()).append(' ').append(invocation.action());
    new java.util.TreeMap<>(invocation.attributes()).forEach((k, v) -> what.append(' ').append(k).append('=')
        .append(v));
    return what.toString();
  }

  private McpSchema.CallToolResult approve(RouteTool tool, String user, Invocation invocation) {
    if (approvals.apply(user) == null) {
      return refused("approval_unavailable", tool.name() + " needs a human's approval, and this bot has no "
          + "approval conversation configured; run it from chat instead");
    }
    Optional<String> refusal;
    try {
      refusal = router.askToApprove(invocation);
    } catch (ChatOpsException | IllegalArgumentException e) {
      log.warn("could not ask {} to approve {}: {}", LogSafe.clean(user), tool.name(), e.toString());
      return refused("approval_unavailable", "could not ask for approval now; try again later");
    }
    if (refusal.isPresent()) {
      return refused("denied", refusal.get());
    }
    Map<String, Object> structured = new LinkedHashMap<>();
    structured.put("status", "pending_approval");
    structured.put("approver", user);
    return McpSchema.CallToolResult.builder()
        .addTextContent("Approval pending: " + user + " was asked in chat to approve " + tool.route().plugin()
            + " " + tool.route().action() + ". It runs only after they say yes there, and its result is "
            + "posted there; a no, or no answer, runs nothing.")
        .structuredContent(structured)
        .build();
  }

  private ChatEvent event(String user, RouteTool tool, Map<String, String> arguments) {
    Conversation approver = approvals.apply(user);
    Conversation where = approver != null ? approver : Conversation.of("mcp", "mcp", "mcp");
    ChatEvent.Builder event = ChatEvent.builder(where.service(), "mcp-" + UUID.randomUUID())
        .workspace(where.workspace()).channel(where.channel()).user(user)
        .text(tool.name() + " " + arguments.keySet()).time(clock.instant());
    where.thread().ifPresent(event::thread);
    return event.build();
  }

  /**
   * A done call's result: the action's text, and {@code structuredContent} with its status, text, fields and
   * link, and the follow-up the router watches, whose results go to {@code user} in chat.
   */
  private McpSchema.CallToolResult result(InvocationResult result, String user) {
    Reply reply = result.action().toReply();
    Map<String, Object> structured = new LinkedHashMap<>();
    structured.put("status", "done");
    structured.put("text", reply.text());
    if (!reply.fields().isEmpty()) {
      Map<String, String> fields = new LinkedHashMap<>();
      reply.fields().forEach(f -> fields.put(f.title(), f.value()));
      structured.put("fields", fields);
    }
    reply.link().ifPresent(link -> structured.put("link", Map.of("title", link.title(), "url", link.url())));
    String text = reply.toPlainText();
    Optional<FollowUp> followUp = result.action().followUp();
    if (result.followedInChat() && followUp.isPresent()) {
      structured.put("followUp", Map.of("description", followUp.get().description(), "postedTo", user));
      text = text + "\n\nThe bot follows " + followUp.get().description() + " and posts its result to " + user
          + " in chat when it ends.";
    } else if (followUp.isPresent()) {
      text = text + "\n\nThe bot does not follow " + followUp.get().description() + " for this call: "
          + "ask for its status later.";
    }
    return McpSchema.CallToolResult.builder().addTextContent(text).structuredContent(structured).build();
  }

  private static McpSchema.CallToolResult refused(String why) {
    return refused("invalid_arguments", why);
  }

  /**
   * A call that ran nothing, or whose plugin failed: {@code isError}, the reason as text, and
   * {@code structuredContent.status} saying which kind ({@code denied}, {@code rate_limited}, {@code failed},
   * {@code timed_out}, {@code invalid_arguments}, {@code approval_unavailable}, {@code approval_declined},
   * {@code approval_cancelled}, {@code approval_expired}).
   */
  private static McpSchema.CallToolResult refused(String status, String why) {
    return McpSchema.CallToolResult.builder().addTextContent(why).structuredContent(Map.of("status", status))
        .isError(true).build();
  }
}
