package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import ai.chatops.WebhookRequest;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Received;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SlackServiceTest {
  // Slack's worked example from "Verifying requests from Slack".
  private static final String EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final long EXAMPLE_TIMESTAMP = 1531420618;
  private static final String EXAMPLE_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
      + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
      + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  private static final String EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

  private static SlackService at(long epochSecond) {
    return SlackService.builder()
        .signingSecret(EXAMPLE_SECRET)
        .botToken("xoxb-not-used")
        .clock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC))
        .build();
  }

  private static WebhookRequest example(String body, String signature) {
    return WebhookRequest.builder("POST", "/slack/events")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", Long.toString(EXAMPLE_TIMESTAMP))
        .header("X-Slack-Signature", signature)
        .body(body)
        .build();
  }

  @Test
  void verifiesSlacksWorkedExampleAndReadsTheSlashCommand() {
    Received received = at(EXAMPLE_TIMESTAMP).receive(example(EXAMPLE_BODY, EXAMPLE_SIGNATURE));

    assertThat(received.response().status()).isEqualTo(200);
    assertThat(received.response().bodyAsString())
        .isEqualTo("{\"response_type\":\"ephemeral\",\"text\":\"Working on it\u2026\"}");
    ChatEvent event = received.events().get(0);
    assertThat(event.id()).isEqualTo("398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
    assertThat(event.workspace()).isEqualTo("T1DC2JH3J");
    assertThat(event.channel()).isEqualTo("G8PSS9T3V");
    assertThat(event.user()).isEqualTo("U2CERLKJA");
    assertThat(event.text()).isEmpty();
    assertThat(event.thread()).hasValue("slash:398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
    // Neither the legacy verification token nor the response_url reaches plugins.
    assertThat(event.raw()).doesNotContain("xyzz0WbapA4vBCDEFasx0q6G").doesNotContain("96rGlfmibIGlgcZRskXaIFfN");
  }

  @Test
  void acceptsTheExampleAtTheEdgesOfTheFiveMinuteWindow() {
    assertThat(at(EXAMPLE_TIMESTAMP + 300).receive(example(EXAMPLE_BODY, EXAMPLE_SIGNATURE)).events()).hasSize(1);
    assertThat(at(EXAMPLE_TIMESTAMP - 300).receive(example(EXAMPLE_BODY, EXAMPLE_SIGNATURE)).events()).hasSize(1);
  }

  @Test
  void rejectsStaleTimestamp() {
    assertThatThrownBy(() -> at(EXAMPLE_TIMESTAMP + 301).receive(example(EXAMPLE_BODY, EXAMPLE_SIGNATURE)))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessage("X-Slack-Request-Timestamp is more than 5 minutes old");
  }

  @Test
  void rejectsFutureTimestamp() {
    assertThatThrownBy(() -> at(EXAMPLE_TIMESTAMP - 301).receive(example(EXAMPLE_BODY, EXAMPLE_SIGNATURE)))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessage("X-Slack-Request-Timestamp is more than 5 minutes in the future");
  }

  @Test
  void rejectsABodyChangedByOneByte() {
    assertThatThrownBy(() -> at(EXAMPLE_TIMESTAMP).receive(example(EXAMPLE_BODY + " ", EXAMPLE_SIGNATURE)))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessage("X-Slack-Signature does not match the request");
  }

  @Test
  void rejectsGarbledHeaders() {
    WebhookRequest garbled = example(EXAMPLE_BODY, EXAMPLE_SIGNATURE).newBuilder().build();
    WebhookRequest noTimestamp = WebhookRequest.builder("POST", "/slack/events")
        .header("X-Slack-Request-Timestamp", "yesterday").header("X-Slack-Signature", EXAMPLE_SIGNATURE)
        .body(EXAMPLE_BODY).build();
    WebhookRequest noSignature = WebhookRequest.builder("POST", "/slack/events")
        .header("X-Slack-Request-Timestamp", Long.toString(EXAMPLE_TIMESTAMP)).body(EXAMPLE_BODY).build();

    assertThat(at(EXAMPLE_TIMESTAMP).receive(garbled).events()).hasSize(1);
    assertThatThrownBy(() -> at(EXAMPLE_TIMESTAMP).receive(noTimestamp))
        .hasMessage("X-Slack-Request-Timestamp must be whole seconds since the epoch");
    assertThatThrownBy(() -> at(EXAMPLE_TIMESTAMP).receive(noSignature)).hasMessage("missing X-Slack-Signature header");
  }

  @Test
  void recognisesItsOwnMessagesByConfiguredIdentity() {
    SlackService slack = SlackService.builder().signingSecret("s").botToken("xoxb-t").botUserId("UBOT").botId("B1")
        .clock(Clock.fixed(Instant.ofEpochSecond(1700000000), ZoneOffset.UTC)).build();
    String body = "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"message\","
        + "\"channel\":\"D1\",\"channel_type\":\"im\",\"bot_id\":\"B1\",\"user\":\"UX\",\"text\":\"hi\",\"ts\":\"1.5\"}}";
    WebhookRequest request = WebhookRequest.builder("POST", "/slack/events")
        .header("Content-Type", "application/json; charset=utf-8")
        .header("X-Slack-Request-Timestamp", "1700000000")
        .header("X-Slack-Signature", slack.sign(1700000000, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .body(body).build();

    ChatEvent event = slack.receive(request).events().get(0);

    assertThat(event.sender()).isEqualTo(ChatEvent.Sender.SELF);
    assertThat(event.time()).isEqualTo(Instant.ofEpochSecond(1, 500_000_000));
  }

  private static final long NOW = 1700000000;

  private static SlackService jsonService() {
    return SlackService.builder().signingSecret("s").botToken("xoxb-t").botUserId("UBOT")
        .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)).build();
  }

  private static WebhookRequest signedJson(SlackService slack, byte[] body) {
    return WebhookRequest.builder("POST", "/slack/events")
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(NOW))
        .header("X-Slack-Signature", slack.sign(NOW, body))
        .body(body).build();
  }

  private static String mention(String ts) {
    return "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"Ev1\",\"event\":"
        + "{ \"type\" : \"app_mention\", \"channel\":\"C1\",\"user\":\"U1\",\"text\":\"<@UBOT> h\u00e9 \\\"x\\\"\","
        + "\"ts\":\"" + ts + "\"},\"authorizations\":[]}";
  }

  @Test
  void keepsTheEventObjectExactlyAsSlackSentIt() {
    SlackService slack = jsonService();
    String body = mention("1700000000.000100");

    ChatEvent event = slack.receive(signedJson(slack, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .events().get(0);

    assertThat(event.raw()).isEqualTo("{ \"type\" : \"app_mention\", \"channel\":\"C1\",\"user\":\"U1\","
        + "\"text\":\"<@UBOT> h\u00e9 \\\"x\\\"\",\"ts\":\"1700000000.000100\"}");
    assertThat(event.text()).isEqualTo("<@UBOT> h\u00e9 \"x\"");
    assertThat(event.time()).isEqualTo(Instant.ofEpochSecond(1700000000, 100_000));
  }

  @Test
  void readsSlackTimestampsToTheMicrosecondAndFallsBackToNowWhenMalformed() {
    SlackService slack = jsonService();
    java.util.function.Function<String, Instant> timeOf = ts -> slack.receive(signedJson(slack,
        mention(ts).getBytes(java.nio.charset.StandardCharsets.UTF_8))).events().get(0).time();

    assertThat(timeOf.apply("1700000000.000100")).isEqualTo(Instant.ofEpochSecond(1700000000, 100_000));
    assertThat(timeOf.apply("1700000000.5")).isEqualTo(Instant.ofEpochSecond(1700000000, 500_000_000));
    assertThat(timeOf.apply("1700000000")).isEqualTo(Instant.ofEpochSecond(1700000000));
    assertThat(timeOf.apply("1700000000.")).isEqualTo(Instant.ofEpochSecond(1700000000));
    for (String bad : new String[] {"", ".5", "abc", "-1.5", "1.2.3", "1e9", "99999999999999999999.1",
        "1.1234567890", " 1.5"}) {
      assertThat(timeOf.apply(bad)).as("ts '%s'", bad).isEqualTo(Instant.ofEpochSecond(NOW));
    }
  }

  @Test
  void refusesJsonBodiesThatAreNotStrictUtf8() {
    SlackService slack = jsonService();
    byte[] valid = mention("1.5").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = new String(valid, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("h") + 1; // the é
    byte[][] badSequences = {
        {(byte) 0xc0, (byte) 0xa9}, // overlong
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
        {(byte) 0xe9}, // Latin-1, cut short
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
    };
    for (byte[] bad : badSequences) {
      byte[] body = new byte[valid.length - 2 + bad.length];
      System.arraycopy(valid, 0, body, 0, at);
      System.arraycopy(bad, 0, body, at, bad.length);
      System.arraycopy(valid, at + 2, body, at + bad.length, valid.length - at - 2);

      assertThatThrownBy(() -> slack.receive(signedJson(slack, body)))
          .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(400))
          .hasMessage("the request body is not valid UTF-8");
    }
  }

  @Test
  void namesWhereAJsonBodyIsMalformed() {
    SlackService slack = jsonService();
    for (String body : new String[] {"{\"type\":\"event_callback\",\n \"event\":{\"type\":}}", "{\"a\":1",
        "[1,2]", "\"text\"", ""}) {
      assertThatThrownBy(() -> slack.receive(signedJson(slack, body.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
          .as(body)
          .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(400))
          .hasMessageStartingWith("the body ");
    }
    assertThatThrownBy(() -> slack.receive(signedJson(slack,
        "{\"type\":\"event_callback\",\n \"event\":{\"type\":}}".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .hasMessage("the body is not valid JSON (line 2, column 18)");
    assertThatThrownBy(() -> slack.receive(signedJson(slack, "[1,2]".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .hasMessage("the body must be a JSON object");
  }

  @Test
  void keepsSecretsOutOfToString() {
    SlackService slack = at(EXAMPLE_TIMESTAMP);

    assertThat(slack.toString()).doesNotContain(EXAMPLE_SECRET).doesNotContain("xoxb-not-used")
        .isEqualTo("SlackService{slack at /slack/events, api=https://slack.com/api/}");
    assertThat(slack.api().toString()).doesNotContain("xoxb");
  }
}
