package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.chatops.audit.AuditEntry;
import ai.chatops.audit.AuditLog;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.dynamodb.Dynalite;
import ai.chatops.store.dynamodb.DynamoDbStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

  @Test
  void auditsInvocationsAndRefusalsInTheTableAndListsThemToAdmins() throws Exception {
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
    env.put("DYNAMODB_TABLE", "audit-test");
    env.put("DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
    env.put("CHATOPS_ADMINS", "@auditors");
    env.put("CHATOPS_GROUP_AUDITORS", "U0ADMIN");
    env.put("CHATOPS_USER_RATE_LIMIT", "1/1h");
    host = HttpServerMain.start(env);
    SignedSlack signed = new SignedSlack(SECRET);

    assertThat(say(signed, "Ev1", "U1", "bot ping")).isEqualTo("pong");
    assertThat(say(signed, "Ev2", "U1", "bot ping")).startsWith("Sorry, you are going too fast: you may run 1"
        + " commands every 1 h. Try again in ");
    assertThat(say(signed, "Ev3", "U1", "audit")).isEqualTo(
        "Sorry, you may not read the audit log: only administrators may read it.");
    String listing = say(signed, "Ev4", "U0ADMIN", "audit 2");
    assertThat(listing.lines()).hasSize(3);
    assertThat(listing.lines().skip(1)).satisfiesExactly(
        line -> assertThat(line).endsWith(" U1 in C1: audit COUNT=10, denied (only administrators may read it)"),
        line -> assertThat(line).contains(" U1 in C1: /v1/bot/ping, rate limited (the limit of 1 per 1 h per"));
    assertThat(host.awaitIdle(Duration.ofSeconds(20))).isTrue();

    try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynalite.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().build()).build()) {
      AuditLog audit = AuditLog.of(DynamoDbStore.builder().client(client).table("audit-test").build());
      assertThat(audit.recent(10)).extracting(AuditEntry::eventId, AuditEntry::user, AuditEntry::route,
          AuditEntry::outcome).containsExactly(
              tuple("Ev4", "U0ADMIN", "audit", AuditEntry.Outcome.DONE),
              tuple("Ev3", "U1", "audit", AuditEntry.Outcome.DENIED),
              tuple("Ev2", "U1", "/v1/bot/ping", AuditEntry.Outcome.RATE_LIMITED),
              tuple("Ev1", "U1", "/v1/bot/ping", AuditEntry.Outcome.DONE));
      StringWriter out = new StringWriter();
      Instant now = Instant.now();
      assertThat(audit.export(now.minus(Duration.ofHours(1)), now.plusSeconds(1), out)).isEqualTo(4);
      JsonNode oldest = JSON.readTree(out.toString().lines().reduce((a, b) -> b).orElseThrow());
      assertThat(oldest.path("event").asText()).isEqualTo("Ev1");
      assertThat(oldest.path("workspace").asText()).isEqualTo("T1");
      assertThat(oldest.path("outcome").asText()).isEqualTo("done");
      assertThat(audit.export(now.plusSeconds(1), now.plusSeconds(60), new StringWriter())).isZero();
    }
  }

  private String say(SignedSlack signed, String eventId, String user, String text) throws Exception {
    assertThat(signed.mention(host.port(), eventId, user, "C1", text, "1700000001.000100").statusCode())
        .isEqualTo(200);
    RecordedRequest reply = slack.takeRequest(20, TimeUnit.SECONDS);
    assertThat(reply).as("a reply to " + text).isNotNull();
    return JSON.readTree(reply.getBody().utf8()).path("text").asText();
  }
}
