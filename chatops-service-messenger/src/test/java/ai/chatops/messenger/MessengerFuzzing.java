package ai.chatops.messenger;

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
 * What the Messenger fuzz targets share: a service, a router in front of it that discards accepted events,
 * and the check every input must pass: {@link MessengerService#receive} returns or throws
 * {@link BadRequestException} with 400, 401 or 415, and {@link EventRouter#handle} answers one of the
 * documented statuses; never a 500, never another exception, never a secret quoted. One per fuzz test class;
 * close it after the class.
 */
final class MessengerFuzzing implements AutoCloseable {
  /** How long each target is fuzzed in fuzzing mode ({@code JAZZER_FUZZ=1}, as {@code .ci/run} does). */
  static final String DURATION = "15s";

  private static final Set<Integer> REFUSALS = Set.of(400, 401, 415);
  private static final Set<Integer> ROUTER_STATUSES = Set.of(200, 400, 401, 403, 413, 415);

  private final Meta meta = new Meta();
  final MessengerService messenger = meta.service().pageId(Meta.PAGE).build();
  private final EventRouter router = EventRouter.builder()
      .service(messenger)
      .executor(new DiscardingExecutor())
      .maxBodyBytes(256 * 1024)
      .drainTimeout(Duration.ZERO)
      .build();

  /** Passes the request to the service and to the router, and checks that each answered as documented. */
  void check(WebhookRequest request) {
    try {
      Received received = messenger.receive(request);
      assertThat(received.response().status()).isIn(200, 403);
      for (ChatEvent event : received.events()) {
        assertThat(event.id()).isNotEmpty();
        assertThat(event.channel()).isNotEmpty();
        assertThat(event.workspace()).isEqualTo(Meta.PAGE);
      }
      // A handshake answered 200 echoes the challenge, which the caller chose after sending the right token: the
      // token may be in that answer if the caller put it in the challenge (found by the fuzzer; not a leak).
      // Every other answer must never carry it.
      if (!(request.method().equals("GET") && received.response().status() == 200)) {
        assertThat(received.response().bodyAsString()).doesNotContain(Meta.VERIFY_TOKEN);
      }
    } catch (BadRequestException e) {
      assertThat(e.status()).isIn(REFUSALS);
      assertThat(e.getMessage()).doesNotContain(Meta.APP_SECRET).doesNotContain(Meta.VERIFY_TOKEN);
      assertThat(e.getMessage().length()).isLessThan(1000);
    }
    WebhookResponse response = router.handle(request);
    assertThat(response.status()).isIn(ROUTER_STATUSES);
  }

  @Override
  public void close() {
    router.close();
    messenger.close();
    meta.close();
  }
}
