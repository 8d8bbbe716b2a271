package ai.chatops;

import java.util.Set;

/**
 * An HTTP path on the router that answers its requests itself, instead of turning them into chat events as a
 * {@link ai.chatops.service.ServiceHandler} does: a protocol whose caller waits for the answer, such as the
 * MCP server of {@code chatops-mcp}. Mounting it on the router means every host that already serves the
 * router (the JDK server, a servlet, a Lambda) serves it too.
 *
 * <p>Register endpoints with {@code EventRouter.builder().endpoint(e)}. The router checks the body size (413)
 * and the method (405) first, then calls {@link #answer} on the host's request thread; an endpoint that runs
 * plugins does so through {@link EventRouter#invoke}, so the access rules, rate limits, audit and timeout
 * apply, and the host's thread waits for it (unlike a service's acknowledgement path).
 *
 * <p>Implementations are thread-safe: the router calls {@code answer} concurrently.
 */
public interface Endpoint {
  /** The request path, such as {@code /mcp}; it must not clash with a service's. */
  String path();

  /** The HTTP methods this endpoint accepts; others get 405. Defaults to POST. */
  default Set<String> methods() {
    return Set.of("POST");
  }

  /**
   * Answers one request. Authentication is the endpoint's own.
   *
   * @param router the router the endpoint is mounted on, for {@link EventRouter#invoke} and the catalog
   * @return the response; an exception becomes a 500 "the request could not be handled" (logged)
   */
  WebhookResponse answer(WebhookRequest request, EventRouter router);
}
