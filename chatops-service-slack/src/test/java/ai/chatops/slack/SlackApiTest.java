package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.service.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MockWebServer server = new MockWebServer();
  private SlackApi api;

  @BeforeEach
  void start() throws Exception {
    server.start();
    api = SlackApi.builder().botToken("xoxb-secret-token").apiUrl(server.url("/api/").toString()).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    return request;
  }

  @Test
  void refusesABadTokenOrUrlWhenBuiltAlthoughItsHttpClientComesLater() {
    assertThatThrownBy(() -> SlackApi.builder().botToken("xoxb secret").build())
        .isInstanceOf(ai.chatops.ConfigurationException.class)
        .hasMessageStartingWith("SlackApi botToken is not a valid token")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> SlackApi.builder().botToken("xoxb-t").apiUrl("ftp://slack.example/api").build())
        .isInstanceOf(ai.chatops.ConfigurationException.class)
        .hasMessageContaining("baseUrl must be an absolute http:// or https:// URL");
    SlackApi noSlash = SlackApi.builder().botToken("xoxb-t").apiUrl("https://slack.example/api").build();
    assertThat(noSlash.apiUrl()).isEqualTo("https://slack.example/api/");
    assertThat(noSlash).hasToString("SlackApi{https://slack.example/api/}");
  }

  @Test
  void postsInAThreadAndReturnsTheTs() throws Exception {
    server.enqueue(json("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}"));

    String ts = api.postMessage("C1", Optional.of("1700000000.000100"), Reply.text("build started"));

    assertThat(ts).isEqualTo("1700000000.000200");
    RecordedRequest request = taken();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-secret-token");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    JsonNode body = JSON.readTree(request.getBody().utf8());
    assertThat(body.path("channel").asText()).isEqualTo("C1");
    assertThat(body.path("thread_ts").asText()).isEqualTo("1700000000.000100");
    assertThat(body.path("text").asText()).isEqualTo("build started");
  }

  @Test
  void updatesAMessageInPlace() throws Exception {
    server.enqueue(json("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}"));

    api.update("C1", "1700000000.000200", Reply.text("build finished: SUCCESS"));

    RecordedRequest request = taken();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/chat.update");
    JsonNode body = JSON.readTree(request.getBody().utf8());
    assertThat(body.path("ts").asText()).isEqualTo("1700000000.000200");
    assertThat(body.path("text").asText()).isEqualTo(":white_check_mark: build finished: SUCCESS");
  }

  @Test
  void turnsOkFalseIntoATypedError() {
    server.enqueue(json("{\"ok\":false,\"error\":\"channel_not_found\"}"));

    assertThatThrownBy(() -> api.postMessage("C404", Optional.empty(), Reply.text("hi")))
        .isInstanceOfSatisfying(SlackApiException.class, e -> {
          assertThat(e.error()).isEqualTo("channel_not_found");
          assertThat(e.status()).isEqualTo(200);
        })
        .hasMessageContaining("Slack refused chat.postMessage: channel_not_found")
        .hasMessageNotContaining("xoxb-secret-token");
  }

  @Test
  void retriesA429AfterRetryAfter() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
    server.enqueue(json("{\"ok\":true,\"ts\":\"2.0\"}"));

    assertThat(api.postMessage("C1", Optional.empty(), Reply.text("hi"))).isEqualTo("2.0");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void respondsToAResponseUrlWithoutTheToken() throws Exception {
    server.enqueue(new MockResponse.Builder().body("ok").build());

    api.respond(server.url("/commands/T1/1/secret").toString(), Reply.text("pong"), true, Optional.empty());

    RecordedRequest request = taken();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/commands/T1/1/secret");
    assertThat(request.getHeaders().get("Authorization")).isNull();
    JsonNode body = JSON.readTree(request.getBody().utf8());
    assertThat(body.path("response_type").asText()).isEqualTo("in_channel");
    assertThat(body.path("text").asText()).isEqualTo("pong");
  }

  @Test
  void keepsAFailedResponseUrlsSecretSegmentOutOfTheError() {
    server.enqueue(new MockResponse.Builder().code(404).body("expired_url").build());

    assertThatThrownBy(() -> api.respond(server.url("/commands/T1/1/s3cr3t").toString(), Reply.text("pong"), false,
        Optional.empty()))
        .hasMessageContaining("HTTP 404")
        .hasMessageNotContaining("s3cr3t");
  }
}
