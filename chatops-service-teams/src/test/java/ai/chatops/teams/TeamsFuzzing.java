package ai.chatops.teams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import ai.chatops.test.Wait;
import java.time.Duration;
import java.util.Set;

/**
 * What the Teams fuzz targets share: the Bot Framework stand-ins, a service whose keys are loaded, a router in
 * front of it that discards accepted events, and the check every input must pass: {@link TeamsService#receive}
 * returns or throws {@link BadRequestException} with 400, 401, 403 or 415, and {@link EventRouter#handle}
 * answers one of the documented statuses; never a 500, never another exception, never the token quoted.
 * One per fuzz test class; close it after the class.
 */
final class TeamsFuzzing implements AutoCloseable {
  /** How long each target is fuzzed in fuzzing mode ({@code JAZZER_FUZZ=1}, as {@code .ci/run} does). */
  static final String DURATION = "15s";

  private static final Set<Integer> REFUSALS = Set.of(400, 401, 403, 415);
  private static final Set<Integer> ROUTER_STATUSES = Set.of(200, 400, 401, 403, 413, 415, 501);

  final BotFramework bf = new BotFramework();
  final TeamsService teams = bf.service().build();
  private final EventRouter router = EventRouter.builder()
      .service(teams)
      .executor(new DiscardingExecutor())
      .maxBodyBytes(256 * 1024)
      .drainTimeout(Duration.ZERO)
      .build();
  /** A valid token, made once: signing costs more than the check under test. */
  final String token;

  TeamsFuzzing() {
    Wait.until("the Bot Connector's keys", Duration.ofSeconds(30), teams::keysLoaded);
    token = bf.token();
  }

  /** A request to /api/messages with this Authorization header (none when null) and body. */
  WebhookRequest request(String authorization, byte[] body) {
    WebhookRequest.Builder request = WebhookRequest.builder("POST", "/api/messages")
        .header("Content-Type", "application/json").body(body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.build();
  }

  /** Passes the request to the service and to the router, and checks that each answered as documented. */
  void check(WebhookRequest request) {
    try {
      Received received = teams.receive(request);
      assertThat(received.response().status()).isIn(200, 501);
      for (ChatEvent event : received.events()) {
        assertThat(event.id()).isNotEmpty();
        assertThat(event.channel()).isNotEmpty();
        assertThat(event.raw()).doesNotContain(token);
      }
    } catch (BadRequestException e) {
      assertThat(e.status()).isIn(REFUSALS);
      assertThat(e.getMessage()).doesNotContain(token);
      assertThat(e.getMessage().length()).isLessThan(1000);
    }
    WebhookResponse response = router.handle(request);
    assertThat(response.status()).isIn(ROUTER_STATUSES);
  }

  @Override
  public void close() {
    router.close();
    teams.close();
    bf.close();
  }
}
