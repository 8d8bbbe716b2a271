package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.dialog.internal.BuiltInSteps;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz targets for everything a stranger can send to {@code /slack/events}: JSON event bodies, the
 * interactivity {@code payload} form field, slash command forms, and the headers. Each target signs what it
 * sends with the signing secret, so that the fuzzer gets past the signature check into the parsers (the
 * {@code headers} target also sends wrong and missing signatures).
 *
 * <p>Every input must end in a documented outcome: {@link SlackService#receive} returns or throws
 * {@link BadRequestException} with 400, 401 or 415, and {@link EventRouter#handle} answers 200, 400, 401, 413
 * or 415; never a 500 and never another exception. Regression mode (every {@code ./mvnw verify}) runs the seeds
 * under {@code SlackFuzzTestInputs/<method>}; {@code .ci/run} fuzzes each target for {@link #DURATION}.
 */
class SlackFuzzTest {
  /** How long each target is fuzzed in fuzzing mode (CI); regression mode ignores it. */
  static final String DURATION = "15s";

  private static final long NOW = 1_700_000_000L;
  private static final SlackService SLACK = SlackService.builder()
      .signingSecret("fuzz-signing-secret")
      .botToken("xoxb-fuzz")
      .respondToAllChannelMessages(true)
      .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
      .build();
  // Accepted events are dropped: the targets are about the acknowledgement path, not the plugins.
  private static final EventRouter ROUTER = EventRouter.builder()
      .service(SLACK)
      .executor(new Discarding())
      .maxBodyBytes(256 * 1024)
      .drainTimeout(Duration.ZERO) // nothing runs, so closing has nothing to wait for
      .build();
  private static final Set<Integer> REFUSALS = Set.of(400, 401, 415);
  private static final Set<Integer> ROUTER_STATUSES = Set.of(200, 400, 401, 413, 415);

  @AfterAll
  static void closeRouter() {
    ROUTER.close();
  }

  /** Any bytes as an Events API body (application/json), correctly signed. */
  @FuzzTest(maxDuration = DURATION)
  void eventsBody(byte[] body) {
    check(signed("application/json", body));
  }

  /** Any text as the {@code payload} field of an interactivity form, correctly signed. */
  @FuzzTest(maxDuration = DURATION)
  void interactivityPayload(byte[] payload) {
    String form = "payload=" + URLEncoder.encode(new String(payload, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    check(signed("application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8)));
  }

  /** Any bytes as a form body (slash commands), correctly signed. */
  @FuzzTest(maxDuration = DURATION)
  void slashCommandForm(byte[] body) {
    check(signed("application/x-www-form-urlencoded", body));
  }

  /**
   * Any headers: the input is header lines ({@code Name: value}), an empty line, then the body. A
   * signature header whose value is {@code valid} is replaced by the correct signature for the request's
   * timestamp header, so that both sides of the check are reached.
   */
  @FuzzTest(maxDuration = DURATION)
  void headers(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\n\n");
    String head = split < 0 ? text : text.substring(0, split);
    byte[] body = split < 0 ? new byte[0] : text.substring(split + 2).getBytes(StandardCharsets.ISO_8859_1);
    WebhookRequest.Builder request = WebhookRequest.builder("POST", "/slack/events").body(body);
    String timestamp = null;
    for (String line : head.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("X-Slack-Request-Timestamp") && timestamp == null) {
        timestamp = value;
      }
      if (name.equalsIgnoreCase("X-Slack-Signature") && value.equals("valid")) {
        value = validSignature(timestamp, body);
      }
      request.header(name, value);
    }
    check(request.build());
  }

  private static String validSignature(String timestamp, byte[] body) {
    try {
      return SLACK.sign(Long.parseLong(timestamp == null ? "" : timestamp), body);
    } catch (NumberFormatException e) {
      return "v0=not-a-number";
    }
  }

  private static WebhookRequest signed(String contentType, byte[] body) {
    return WebhookRequest.builder("POST", "/slack/events")
        .header("Content-Type", contentType)
        .header("X-Slack-Request-Timestamp", Long.toString(NOW))
        .header("X-Slack-Signature", SLACK.sign(NOW, body))
        .body(body)
        .build();
  }

  private static void check(WebhookRequest request) {
    try {
      Received received = SLACK.receive(request);
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
    WebhookResponse response = ROUTER.handle(request);
    assertThat(response.status()).isIn(ROUTER_STATUSES);
  }

  /** Takes every task and runs none. */
  private static final class Discarding extends AbstractExecutorService {
    @Override
    public void execute(Runnable command) {}

    @Override
    public void shutdown() {}

    @Override
    public java.util.List<Runnable> shutdownNow() {
      return java.util.List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return true;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
