package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.store.StoreEntry;
import ai.chatops.store.dynamodb.Dynalite;
import ai.chatops.store.dynamodb.DynamoDbStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The host with {@code CHATOPS_STORE=dynamodb} against dynalite: a Slack message answered and journalled. */
class DynamoDbHostTest {
  /** chatops-store-dynamodb, where the build installed dynalite, from this module's folder. */
  static final Path DYNAMODB_MODULE = Path.of("../../chatops-store-dynamodb").toAbsolutePath().normalize();
  private static final String SECRET = "test-signing-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Dynalite.Server dynalite;
  private final MockWebServer slack = new MockWebServer();
  private HttpServerMain.Host host;

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.Server.start(DYNAMODB_MODULE);
  }

  @AfterAll
  static void stopDynalite() throws Exception {
    dynalite.close();
  }

  @AfterEach
  void stop() {
    if (host != null) {
      host.close();
    }
    slack.close();
  }

  @Test
  void answersASignedMentionAndJournalsTheEventInTheTable() throws Exception {
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000100\"}").build();
      }
    });
    slack.start();
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("SLACK_SIGNING_SECRET", SECRET);
    env.put("SLACK_BOT_TOKEN", "xoxb-test-token");
    env.put("SLACK_API_URL", slack.url("/api/").toString());
    env.put("CHATOPS_STORE", "dynamodb");
    env.put("DYNAMODB_TABLE", "host-test");
    env.put("DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
    host = HttpServerMain.start(env);

    assertThat(new SignedSlack(SECRET).mention(host.port(), "EvDynamo1", "C1", "bot ping", "1700000001.000100")
        .statusCode()).isEqualTo(200);

    RecordedRequest reply = slack.takeRequest(20, TimeUnit.SECONDS);
    assertThat(reply).as("a reply through the Slack API").isNotNull();
    assertThat(reply.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(JSON.readTree(reply.getBody().utf8()).path("text").asText()).isEqualTo("pong");
    assertThat(host.awaitIdle(Duration.ofSeconds(20))).isTrue();
    try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynalite.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().build()).build()) {
      List<StoreEntry> events = DynamoDbStore.builder().client(client).table("host-test").build()
          .list("event/slack/", null, 10).entries();
      assertThat(events).hasSize(1);
      JsonNode record = JSON.readTree(events.get(0).value());
      assertThat(record.path("state").asText()).isEqualTo("DONE");
      assertThat(record.path("attempts").asInt()).isEqualTo(1);
    }
  }
}
