package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.service.ChatEvent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger's bytes get at {@code /slack/events}: every limit answers with its documented status and a
 * message naming the limit, through {@link EventRouter#handle} as the host calls it; never a 500.
 */
class HostileSlackRequestTest {
  private static final long NOW = 1_700_000_000L;
  private static final Instant CLOCK = Instant.ofEpochSecond(NOW);
  private final SlackService slack = SlackService.builder()
      .signingSecret("hostile-secret")
      .botToken("xoxb-hostile")
      .clock(Clock.fixed(CLOCK, ZoneOffset.UTC))
      .build();
  private final List<EventRouter> routers = new ArrayList<>();

  @AfterEach
  void closeRouters() {
    routers.forEach(EventRouter::close);
  }

  private EventRouter router(int maxBodyBytes) {
    EventRouter router = EventRouter.builder().service(slack).executor(new DiscardingExecutor())
        .maxBodyBytes(maxBodyBytes).drainTimeout(Duration.ZERO).build();
    routers.add(router);
    return router;
  }

  private WebhookRequest.Builder signed(String contentType, byte[] body) {
    return WebhookRequest.builder("POST", "/slack/events")
        .header("Content-Type", contentType)
        .header("X-Slack-Request-Timestamp", Long.toString(NOW))
        .header("X-Slack-Signature", slack.sign(NOW, body))
        .body(body);
  }

  private WebhookRequest json(String body) {
    return signed("application/json", body.getBytes(StandardCharsets.UTF_8)).build();
  }

  private static String message(String eventId, String ts) {
    return "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"" + eventId + "\",\"event\":{"
        + "\"type\":\"message\",\"channel\":\"D1\",\"channel_type\":\"im\",\"user\":\"U1\",\"text\":\"hi\","
        + "\"ts\":\"" + ts + "\"}}";
  }

  @Test
  void refusesJsonNestedDeeperThanSixtyFourLevels() {
    String deep = "{\"type\":\"event_callback\",\"event\":" + "[".repeat(100) + "]".repeat(100) + "}";

    WebhookResponse response = router(1024 * 1024).handle(json(deep));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).startsWith("the body exceeds a JSON limit: Document nesting depth (65) "
        + "exceeds the maximum allowed (64");
  }

  @Test
  void acceptsSixtyFourLevels() {
    // The event object is level 2; 62 arrays inside it make 64.
    String body = "{\"type\":\"app_rate_limited\",\"x\":{\"y\":" + "[".repeat(62) + "]".repeat(62) + "}}";

    assertThat(router(1024 * 1024).handle(json(body)).status()).isEqualTo(200);
  }

  @Test
  void refusesAFiftyMegabyteBodyWithoutReadingIt() {
    CountingStream fiftyMegabytes = new CountingStream(50L * 1024 * 1024);
    EventRouter router = router(1024 * 1024);

    assertThatThrownBy(() -> WebhookRequest.builder("POST", "/slack/events")
            .body(fiftyMegabytes, router.maxBodyBytes()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(413))
        .hasMessage("request body exceeds the limit of 1048576 bytes");
    assertThat(fiftyMegabytes.read).isEqualTo(1024 * 1024 + 1);
    // A host that read it anyway still gets 413 from the router, before the signature or the parser.
    WebhookResponse response = router.handle(json("\"" + "x".repeat(2 * 1024 * 1024) + "\""));
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.bodyAsString()).isEqualTo("request body exceeds the limit of 1048576 bytes");
  }

  @Test
  void refusesAStringOverAMillionCharactersEvenUnderALargerBodyCap() {
    String body = "{\"type\":\"app_rate_limited\",\"x\":\"" + "x".repeat(1_000_001) + "\"}";

    WebhookResponse response = router(4 * 1024 * 1024).handle(json(body));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).startsWith("the body exceeds a JSON limit: String value length (1000001)"
        + " exceeds the maximum allowed (1000000");
  }

  @Test
  void refusesANumberOfMoreThanAHundredDigits() {
    String body = "{\"type\":\"app_rate_limited\",\"minute_rate_limited\":" + "9".repeat(101) + "}";

    WebhookResponse response = router(1024 * 1024).handle(json(body));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).startsWith("the body exceeds a JSON limit: Number value length (101) "
        + "exceeds the maximum allowed (100");
  }

  @Test
  void refusesAPropertyNameOverAThousandCharacters() {
    String body = "{\"type\":\"app_rate_limited\",\"" + "k".repeat(1001) + "\":1}";

    WebhookResponse response = router(1024 * 1024).handle(json(body));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).startsWith("the body exceeds a JSON limit: Name length (1001) exceeds "
        + "the maximum allowed (1000");
  }

  @Test
  void acknowledgesFiftyThousandKeysWithinTheBodyCap() {
    String body = "{\"type\":\"app_rate_limited\","
        + IntStream.range(0, 50_000).mapToObj(i -> "\"k" + i + "\":" + i).collect(Collectors.joining(","))
        + "}";

    assertThat(router(1024 * 1024).handle(json(body)).status()).isEqualTo(200);
  }

  @Test
  void refusesTruncatedJsonWithItsPosition() {
    WebhookResponse response = router(1024 * 1024).handle(json("{\"type\":\"event_callback\",\"event\":{\"ty"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).matches("the body is not valid JSON \\(line 1, column \\d+\\)");
  }

  @Test
  void refusesABodyThatJacksonWouldReadAsUtf32() {
    // Valid UTF-8 starting with NUL bytes: Jackson guesses UTF-32 and throws an IOException that is no
    // JsonProcessingException. Found by SlackEventsFuzzTest in CI after the byte-parsing change (a 500).
    byte[] body = "\u0000\u0000\u0000/v1/yaml/\u0000\u0000\u0000\u0000\u0000".getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = router(1024 * 1024).handle(signed("application/json", body).build());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString())
        .isEqualTo("the body is not valid JSON in UTF-8 (it starts as UTF-16 or UTF-32)");
  }

  @Test
  void refusesSignedJsonInUtf16AndUtf32AlikeAndProcessesNothing() {
    String challenge = "{\"type\":\"url_verification\",\"challenge\":\"abc\"}";
    for (java.nio.charset.Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
        java.nio.charset.Charset.forName("UTF-32BE"), java.nio.charset.Charset.forName("UTF-32LE"))) {
      WebhookResponse response = router(1024 * 1024).handle(signed("application/json",
          challenge.getBytes(charset)).build());

      assertThat(response.status()).as(charset.name()).isEqualTo(400);
      assertThat(response.bodyAsString()).as(charset.name())
          .isEqualTo("the body is not valid JSON in UTF-8 (it starts as UTF-16 or UTF-32)");
    }
    // With a byte order mark the body is not even valid UTF-8 (0xFE 0xFF), which is refused before parsing.
    WebhookResponse withBom = router(1024 * 1024).handle(signed("application/json",
        challenge.getBytes(StandardCharsets.UTF_16)).build());
    assertThat(withBom.status()).isEqualTo(400);
    assertThat(withBom.bodyAsString()).isEqualTo("the request body is not valid UTF-8");
    assertThat(router(1024 * 1024).handle(signed("application/json",
        challenge.getBytes(StandardCharsets.UTF_8)).build()).bodyAsString()).contains("abc");
  }

  @Test
  void refusesAnInteractivityPayloadNestedTooDeep() {
    String payload = "{\"type\":\"block_actions\",\"actions\":" + "[".repeat(100) + "]".repeat(100) + "}";
    byte[] form = ("payload=" + java.net.URLEncoder.encode(payload, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = router(1024 * 1024).handle(signed("application/x-www-form-urlencoded", form).build());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).startsWith("the payload field exceeds a JSON limit: Document nesting depth");
  }

  @Test
  void refusesAFormOfMoreThanAHundredFields() {
    byte[] form = IntStream.range(0, 101).mapToObj(i -> "f" + i + "=1").collect(Collectors.joining("&"))
        .getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = router(1024 * 1024).handle(signed("application/x-www-form-urlencoded", form).build());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).isEqualTo("the form body has more than 100 fields");
  }

  @Test
  void refusesARepeatedSignatureOrTimestampHeader() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    WebhookRequest twoSignatures = signed("application/json", body).header("x-slack-signature", "v0=00").build();
    WebhookRequest twoTimestamps = signed("application/json", body)
        .header("X-Slack-Request-Timestamp", Long.toString(NOW)).build();
    EventRouter router = router(1024 * 1024);

    WebhookResponse first = router.handle(twoSignatures);
    WebhookResponse second = router.handle(twoTimestamps);

    assertThat(first.status()).isEqualTo(401);
    assertThat(first.bodyAsString()).isEqualTo("X-Slack-Signature must be sent once but was sent 2 times");
    assertThat(second.status()).isEqualTo(401);
    assertThat(second.bodyAsString()).isEqualTo("X-Slack-Request-Timestamp must be sent once but was sent 2 times");
  }

  @Test
  void refusesOverflowingNegativeAndOversizedTimestamps() {
    EventRouter router = router(1024 * 1024);
    WebhookResponse overflow = router.handle(withTimestamp("99999999999999999999"));
    WebhookResponse negative = router.handle(withTimestamp(Long.toString(Long.MIN_VALUE)));
    WebhookResponse maximum = router.handle(withTimestamp(Long.toString(Long.MAX_VALUE)));
    WebhookResponse oversized = router.handle(withTimestamp("1".repeat(10_000)));
    WebhookResponse fraction = router.handle(withTimestamp(NOW + ".5"));

    assertThat(List.of(overflow, negative, maximum, oversized, fraction)).extracting(WebhookResponse::status)
        .containsOnly(401);
    assertThat(overflow.bodyAsString()).isEqualTo("X-Slack-Request-Timestamp must be whole seconds since the epoch");
    assertThat(negative.bodyAsString()).isEqualTo("X-Slack-Request-Timestamp is more than 5 minutes old");
    assertThat(maximum.bodyAsString()).isEqualTo("X-Slack-Request-Timestamp is more than 5 minutes in the future");
    assertThat(oversized.bodyAsString()).isEqualTo("X-Slack-Request-Timestamp must be whole seconds since the epoch");
    assertThat(fraction.bodyAsString()).isEqualTo("X-Slack-Request-Timestamp must be whole seconds since the epoch");
  }

  private WebhookRequest withTimestamp(String timestamp) {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    return WebhookRequest.builder("POST", "/slack/events").header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", timestamp).header("X-Slack-Signature", slack.sign(NOW, body))
        .body(body).build();
  }

  @Test
  void escapesAndClipsAHostileContentTypeInTheRefusal() {
    byte[] body = "x".getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = router(1024 * 1024)
        .handle(signed("text/plain\nX-Forged: yes" + "a".repeat(200), body).build());

    assertThat(response.status()).isEqualTo(415);
    // Cut after 80 characters of the escaped text, of which the escaped newline takes six.
    assertThat(response.bodyAsString()).isEqualTo("Content-Type must be application/json or "
        + "application/x-www-form-urlencoded but was text/plain\\u000ax-forged: yes" + "a".repeat(51) + "...");
  }

  @Test
  void takesTheClocksTimeForATimestampThatIsNotSlacksForm() {
    // "1e99999999" made BigDecimal.remainder compute a 100-million-digit number on the acknowledgement path.
    for (String ts : List.of("1e99999999", "-1", "1.5e3", "12345678901234567890", "NaN", "")) {
      ChatEvent event = slack.receive(json(message("Ev-" + ts, ts))).events().get(0);

      assertThat(event.time()).as(ts).isEqualTo(CLOCK);
    }
    assertThat(slack.receive(json(message("Ev1", "1700000000.000200"))).events().get(0).time())
        .isEqualTo(Instant.ofEpochSecond(NOW, 200_000));
  }

  @Test
  void escapesAForgedEventIdInTheLogLines() {
    String forged = "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"Ev1\\nFORGED INFO admin logged in\","
        + "\"event\":{\"type\":\"reaction_added\"}}";
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(router(1024 * 1024).handle(json(forged)).status()).isEqualTo(200);
    } finally {
      System.setErr(original);
    }

    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("event slack/Ev1\\u000aFORGED INFO admin logged in: ignoring event type 'reaction_added'");
    assertThat(log.lines()).noneMatch(line -> line.startsWith("FORGED"));
  }

  /** Produces {@code size} bytes on demand and counts how many were read. */
  private static final class CountingStream extends InputStream {
    private final long size;
    long read;

    CountingStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      if (read >= size) {
        return -1;
      }
      read++;
      return 'x';
    }
  }
}
