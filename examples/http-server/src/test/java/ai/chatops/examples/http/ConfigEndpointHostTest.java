package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.store.StoreEntry;
import ai.chatops.store.dynamodb.Dynalite;
import ai.chatops.store.dynamodb.DynamoDbStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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

/**
 * {@code /v1/yaml} over real HTTP with the DynamoDB store (dynalite): one host stores Jenkins's credentials,
 * the table holds them only encrypted, and a second host started later on the same table uses them.
 */
class ConfigEndpointHostTest {
  private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
  private static final String JENKINS_TOKEN = "11aa22bb33cc-jenkins-s3cret";
  private static final String KEYS = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);

  private static Dynalite.Server dynalite;
  private final MockWebServer slack = new MockWebServer();
  private final MockWebServer jenkins = new MockWebServer();
  private final List<HttpServerMain.Host> hosts = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.Server.start(DynamoDbHostTest.DYNAMODB_MODULE);
  }

  @AfterAll
  static void stopDynalite() throws Exception {
    dynalite.close();
  }

  @AfterEach
  void stop() {
    hosts.forEach(HttpServerMain.Host::close);
    slack.close();
    jenkins.close();
  }

  private HttpServerMain.Host start() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("SLACK_SIGNING_SECRET", "test-signing-secret");
    env.put("SLACK_BOT_TOKEN", "xoxb-test-token");
    env.put("SLACK_API_URL", slack.url("/api/").toString());
    env.put("CHATOPS_STORE", "dynamodb");
    env.put("DYNAMODB_TABLE", "config-test");
    env.put("DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
    env.put("CHATOPS_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("CHATOPS_KEYS", KEYS);
    HttpServerMain.Host host = HttpServerMain.start(env);
    hosts.add(host);
    return host;
  }

  private String jenkinsConfig() throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("chatops/plugins/jenkins/config.yaml")) {
      String bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return bundled.replace("  JENKINS_URL:\n", "  JENKINS_URL: " + jenkins.url("/jenkins/") + "\n")
          .replace("  JENKINS_USER:\n", "  JENKINS_USER: chatops-bot\n")
          .replace("  JENKINS_API_TOKEN:\n", "  JENKINS_API_TOKEN: \"" + JENKINS_TOKEN + "\"\n")
          .replace("Version: 0.1.0", "Version: 0.1.1");
    }
  }

  private HttpResponse<String> send(HttpServerMain.Host host, HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(HttpServerMain.Host host, String path) {
    return URI.create("http://127.0.0.1:" + host.port() + path);
  }

  @Test
  void aSecondHostStartedLaterUsesTheCredentialsTheFirstStoredEncrypted() throws Exception {
    slack.start();
    jenkins.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json").addHeader("X-Jenkins", "2.440")
            .body("{\"name\":\"chatops-bot\",\"anonymous\":false,\"authenticated\":true}").build();
      }
    });
    jenkins.start();
    HttpServerMain.Host first = start();
    String config = jenkinsConfig();

    HttpResponse<String> anonymous = send(first, HttpRequest.newBuilder(uri(first, "/v1/yaml"))
        .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(config)));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"chatops-admin\"");

    HttpResponse<String> stored = send(first, HttpRequest.newBuilder(uri(first, "/v1/yaml?plugin=jenkins"))
        .header("Content-Type", "application/yaml").header("Authorization", "Bearer " + ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(config)));
    assertThat(stored.statusCode()).isEqualTo(201);
    assertThat(stored.body()).startsWith("{\"plugin\":\"jenkins\",\"version\":\"0.1.1\",")
        .contains("\"credentials\":[\"JENKINS_URL\",\"JENKINS_USER\",\"JENKINS_API_TOKEN\"]")
        .contains("\"connected\":true").doesNotContain(JENKINS_TOKEN);

    try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynalite.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().build()).build()) {
      List<StoreEntry> entries = DynamoDbStore.builder().client(client).table("config-test").build()
          .list("", null, 1000).entries();
      assertThat(entries).extracting(StoreEntry::key).contains("config/jenkins");
      for (StoreEntry entry : entries) {
        assertThat(new String(entry.value(), StandardCharsets.UTF_8)).doesNotContain(JENKINS_TOKEN);
      }
    }

    HttpServerMain.Host second = start();
    HttpResponse<String> masked = send(second, HttpRequest.newBuilder(uri(second, "/v1/yaml/jenkins"))
        .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
    assertThat(masked.statusCode()).isEqualTo(200);
    assertThat(masked.body()).contains("  JENKINS_API_TOKEN: \"***\"\n").contains("  JENKINS_USER: \"***\"\n")
        .doesNotContain(JENKINS_TOKEN);

    HttpResponse<String> health = send(second, HttpRequest.newBuilder(uri(second, "/healthz")).GET());
    assertThat(health.body()).contains("signed in as chatops-bot");
    RecordedRequest call = jenkins.takeRequest(20, TimeUnit.SECONDS);
    assertThat(call).as("the second host's health check reaching the stored JENKINS_URL").isNotNull();
    assertThat(call.getHeaders().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
        .encodeToString(("chatops-bot:" + JENKINS_TOKEN).getBytes(StandardCharsets.UTF_8)));
  }
}
