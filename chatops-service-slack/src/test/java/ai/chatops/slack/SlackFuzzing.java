package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.dialog.internal.BuiltInSteps;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * What the Slack fuzz targets share: a service with a known signing secret and a fixed clock, a router in
 * front of it, requests signed inside the target (so that the fuzzer gets past the signature check into the
 * parsers), and the check every input must pass: {@link SlackService#receive} returns or throws
 * {@link BadRequestException} with 400, 401 or 415, and {@link EventRouter#handle} answers 200, 400, 401, 413
 * or 415; never a 500 and never another exception. One per fuzz test class; close it after the class.
 */
final class SlackFuzzing implements AutoCloseable {
  /**
   * How long each target is fuzzed in fuzzing mode ({@code JAZZER_FUZZ=1}, as {@code .ci/run} does);
   * regression mode, in every {@code ./mvnw verify}, runs the seeds only and ignores it.
   */
  static final String DURATION = "15s";
  static final long NOW = 1_700_000_000L;

  private static final Set<Integer> REFUSALS = Set.of(400, 401, 415);
  private static final Set<Integer> ROUTER_STATUSES = Set.of(200, 400, 401, 413, 415);

  final SlackService slack = SlackService.builder()
      .signingSecret("fuzz-signing-secret")
      .botToken("xoxb-fuzz")
      .respondToAllChannelMessages(true)
      .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
      .build();
  // Accepted events are dropped: the targets are about the acknowledgement path, not the plugins.
  private final EventRouter router = EventRouter.builder()
      .service(slack)
      .executor(new DiscardingExecutor())
      .maxBodyBytes(256 * 1024)
      .drainTimeout(Duration.ZERO) // nothing runs, so closing has nothing to wait for
      .build();

  /** A request to /slack/events with this content type and body, correctly signed. */
  WebhookRequest signed(String contentType, byte[] body) {
    return WebhookRequest.builder("POST", "/slack/events")
        .header("Content-Type", contentType)
        .header("X-Slack-Request-Timestamp", Long.toString(NOW))
        .header("X-Slack-Signature", slack.sign(NOW, body))
        .body(body)
        .build();
  }

  /** Passes the request to the service and to the router, and checks that each answered as documented. */
  void check(WebhookRequest request) {
    try {
      Received received = slack.receive(request);
      assertThat(received.response().status()).isEqualTo(200);
      for (ChatEvent event : received.events()) {
        assertThat(event.id()).isNotEmpty();
        assertThat(event.channel()).isNotEmpty();
        assertThat(event.raw()).doesNotContain("xoxb-fuzz");
      }
    } catch (BadRequestException e) {
      assertThat(e.status()).isIn(REFUSALS);
      assertThat(e.getMessage().length()).isLessThan(BuiltInSteps.MAX_MESSAGE_CHARS);
    }
    WebhookResponse response = router.handle(request);
    assertThat(response.status()).isIn(ROUTER_STATUSES);
  }

  @Override
  public void close() {
    router.close();
  }
}
