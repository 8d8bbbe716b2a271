package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.WebhookRequest;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replies that share a key are one Slack message: posted once, then replaced with chat.update. */
class KeyedDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_700_000_000L;

  private final MockWebServer server = new MockWebServer();
  private SlackService slack;

  @BeforeEach
  void start() throws Exception {
    server.start();
    slack = SlackService.builder().signingSecret("secret").botToken("xoxb-t")
        .apiUrl(server.url("/api/").toString()).pacing(Duration.ZERO)
        .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void answer(String body) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build());
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    return request;
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().utf8());
  }

  private static Conversation inThread(String thread) {
    return new Conversation("slack", "T1", "C1", java.util.Optional.ofNullable(thread));
  }

  @Test
  void postsTheFirstReplyOfAKeyAndUpdatesThatMessageWithTheNext() throws Exception {
    answer("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}");
    answer("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}");

    slack.deliver(inThread("1700000000.000100"), Reply.text("api-server #12 started").withKey("event:Ev1"));
    slack.deliver(inThread("1700000000.000100"), Reply.builder("api-server #12: SUCCESS")
        .field("Result", "SUCCESS").build().withKey("event:Ev1"));

    RecordedRequest post = taken();
    assertThat(post.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(body(post).path("thread_ts").asText()).isEqualTo("1700000000.000100");
    RecordedRequest update = taken();
    assertThat(update.getUrl().encodedPath()).isEqualTo("/api/chat.update");
    assertThat(update.getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-t");
    JsonNode sent = body(update);
    assertThat(sent.path("channel").asText()).isEqualTo("C1");
    assertThat(sent.path("ts").asText()).isEqualTo("1700000000.000200");
    assertThat(sent.path("text").asText()).isEqualTo(":white_check_mark: api-server #12: SUCCESS\nResult: SUCCESS");
    assertThat(sent.path("blocks")).isEqualTo(JSON.readTree("[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\","
        + "\"text\":\":white_check_mark: api-server #12: SUCCESS\"}},{\"type\":\"section\",\"fields\":[{\"type\":"
        + "\"mrkdwn\",\"text\":\"*Result*\\n:white_check_mark: SUCCESS\"}]}]"));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void postsRepliesWithoutAKeyOrWithAnotherKeyAsNewMessages() throws Exception {
    for (int i = 0; i < 3; i++) {
      answer("{\"ok\":true,\"ts\":\"1700000000.00030" + i + "\"}");
    }

    slack.deliver(inThread(null), Reply.text("one").withKey("event:Ev1"));
    slack.deliver(inThread(null), Reply.text("two"));
    slack.deliver(inThread(null), Reply.text("three").withKey("event:Ev2"));

    for (int i = 0; i < 3; i++) {
      assertThat(taken().getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    }
  }

  @Test
  void postsAnewWhenTheMessageToUpdateIsGoneAndUpdatesTheNewOneAfterwards() throws Exception {
    answer("{\"ok\":true,\"ts\":\"1700000000.000200\"}");
    answer("{\"ok\":false,\"error\":\"message_not_found\"}");
    answer("{\"ok\":true,\"ts\":\"1700000000.000900\"}");
    answer("{\"ok\":true,\"ts\":\"1700000000.000900\"}");

    slack.deliver(inThread(null), Reply.text("queued").withKey("event:Ev3"));
    slack.deliver(inThread(null), Reply.text("started").withKey("event:Ev3"));
    slack.deliver(inThread(null), Reply.text("done").withKey("event:Ev3"));

    assertThat(taken().getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(body(taken()).path("ts").asText()).isEqualTo("1700000000.000200");
    RecordedRequest again = taken();
    assertThat(again.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(body(again).path("text").asText()).isEqualTo("started");
    RecordedRequest last = taken();
    assertThat(last.getUrl().encodedPath()).isEqualTo("/api/chat.update");
    assertThat(body(last).path("ts").asText()).isEqualTo("1700000000.000900");
    assertThat(body(last).path("text").asText()).isEqualTo("done");
  }

  @Test
  void replacesTheOriginalThroughASlashCommandsResponseUrl() throws Exception {
    String url = server.url("/hooks/commands/T1/1/s3cr3t").toString();
    String form = "team_id=T1&channel_id=C1&user_id=U1&command=%2Fchatops&text=x&trigger_id=9.9.9&response_url="
        + URLEncoder.encode(url, StandardCharsets.UTF_8);
    slack.receive(WebhookRequest.builder("POST", "/slack/events")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", Long.toString(NOW))
        .header("X-Slack-Signature", slack.sign(NOW, form.getBytes(StandardCharsets.UTF_8)))
        .body(form).build());
    server.enqueue(new MockResponse.Builder().body("ok").build());
    server.enqueue(new MockResponse.Builder().body("ok").build());

    slack.deliver(inThread("slash:9.9.9"), Reply.text("queued").withKey("event:9.9.9"));
    slack.deliver(inThread("slash:9.9.9"), Reply.text("done").withKey("event:9.9.9"));

    JsonNode first = body(taken());
    assertThat(first.path("text").asText()).isEqualTo("queued");
    assertThat(first.path("replace_original").asBoolean()).isFalse();
    RecordedRequest second = taken();
    assertThat(second.getUrl().encodedPath()).isEqualTo("/hooks/commands/T1/1/s3cr3t");
    assertThat(body(second).path("text").asText()).isEqualTo("done");
    assertThat(body(second).path("replace_original").asBoolean()).isTrue();
  }

  @Test
  void postsAnEphemeralReplyToTheAskerOnlyWithItsLinkAndChoices() throws Exception {
    answer("{\"ok\":true,\"message_ts\":\"1700000000.000300\"}");

    slack.deliver(inThread("1700000000.000100"), Reply.builder("Deploying billing")
        .link("Pipeline", "https://ci.example.com/p/1").choice("Roll back", "1").ephemeral(true).build()
        .withAsker("U7"));

    RecordedRequest request = taken();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/chat.postEphemeral");
    JsonNode body = body(request);
    assertThat(body.path("user").asText()).isEqualTo("U7");
    assertThat(body.path("channel").asText()).isEqualTo("C1");
    assertThat(body.path("thread_ts").asText()).isEqualTo("1700000000.000100");
    assertThat(body.path("blocks").get(1).toString()).isEqualTo("{\"type\":\"actions\",\"block_id\":"
        + "\"chatops-link\",\"elements\":[{\"type\":\"button\",\"action_id\":\"link\",\"url\":"
        + "\"https://ci.example.com/p/1\",\"text\":{\"type\":\"plain_text\",\"text\":\"Pipeline\"}}]}");
    assertThat(body.path("blocks").get(2).path("elements").get(0).path("value").asText()).isEqualTo("1");
    assertThat(body.path("text").asText())
        .isEqualTo("Deploying billing\nPipeline: https://ci.example.com/p/1\n[1] Roll back");
  }

  @Test
  void postsAnEphemeralReplyForEveryoneWhenTheAskerIsUnknown() throws Exception {
    answer("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}");

    slack.deliver(inThread(null), Reply.builder("hello").ephemeral(true).build());

    assertThat(taken().getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
  }
}
