package ai.chatops.x;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import java.time.Duration;
import java.util.Set;

/**
 * What the X fuzz targets share: a service, a router in front of it that discards accepted events,
 * and the check every input must pass: {@link XService#receive} returns or throws
 * {@link BadRequestException} with 400, 401 or 415, and {@link EventRouter#handle} answers one of the
 * documented statuses; never a 500, never another exception, never a secret quoted. One per fuzz test class;
 * close it after the class.
 */
final class XFuzzing implements AutoCloseable {
  /** How long each target is fuzzed in fuzzing mode ({@code JAZZER_FUZZ=1}, as {@code .ci/run} does). */
  static final String DURATION = "15s";

  private static final Set<Integer> REFUSALS = Set.of(400, 401, 415);
  private static final Set<Integer> ROUTER_STATUSES = Set.of(200, 400, 401, 403, 413, 415);

  private final XApi xApi = new XApi();
  final XService x = xApi.service().build();
  private final EventRouter router = EventRouter.builder()
      .service(x)
      .executor(new DiscardingExecutor())
      .maxBodyBytes(256 * 1024)
      .drainTimeout(Duration.ZERO)
      .build();

  /** Passes the request to the service and to the router, and checks that each answered as documented. */
  void check(WebhookRequest request) {
    try {
      Received received = x.receive(request);
      assertThat(received.response().status()).isEqualTo(200);
      for (ChatEvent event : received.events()) {
        assertThat(event.id()).isNotEmpty();
        assertThat(event.channel()).isNotEmpty();
        assertThat(event.workspace()).isEqualTo(XApi.BOT);
      }
      assertThat(received.response().bodyAsString()).doesNotContain(XApi.BOT_TOKEN);
    } catch (BadRequestException e) {
      assertThat(e.status()).isIn(REFUSALS);
      assertThat(e.getMessage()).doesNotContain(XApi.CONSUMER_SECRET).doesNotContain(XApi.BOT_TOKEN);
      assertThat(e.getMessage().length()).isLessThan(1000);
    }
    WebhookResponse response = router.handle(request);
    assertThat(response.status()).isIn(ROUTER_STATUSES);
  }

  @Override
  public void close() {
    router.close();
    // XService holds no threads
    xApi.close();
  }
}
