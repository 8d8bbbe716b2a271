package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.jenkins.JenkinsPlugin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Facebook Messenger and X direct messages through the example host, both in one host and no Slack, over real
 * HTTP on loopback: one MockWebServer is the Graph API, one the X API, one Jenkins. Deliveries are signed here
 * as Meta and X sign them.
 */
class MessengerAndXHostTest {
  private static final String APP_SECRET = "meta-app-secret";
  private static final String VERIFY_TOKEN = "verify-me-please";
  private static final String PAGE_TOKEN = "EAAGpagetoken123";
  private static final String PAGE = "1094726311";
  private static final String PSID = "6543210987";
  private static final String CONSUMER_SECRET = "x-consumer-secret";
  private static final String X_TOKEN = "x-bot-user-token";
  private static final String BOT = "4337869213";
  private static final String X_USER = "3001969357";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newHttpClient();
  private final MockWebServer graph = new MockWebServer();
  private final MockWebServer xApi = new MockWebServer();
  private final MockWebServer jenkins = new MockWebServer();
  private HttpServerMain.Host host;

  @BeforeEach
  void start() throws Exception {
    graph.setDispatcher(answering("{\"recipient_id\":\"" + PSID + "\",\"message_id\":\"m_bot\"}", 200));
    xApi.setDispatcher(answering("{\"data\":{\"dm_conversation_id\":\"c\",\"dm_event_id\":\"e\"}}", 201));
    graph.start();
    xApi.start();
    jenkins.start();
    host = HttpServerMain.start(env(), JenkinsPlugin.builder()
        .pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(50)));
  }

  private static Dispatcher answering(String body, int status) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return json(status, body);
      }
    };
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("MESSENGER_APP_SECRET", APP_SECRET);
    env.put("MESSENGER_VERIFY_TOKEN", VERIFY_TOKEN);
    env.put("MESSENGER_PAGE_TOKEN", PAGE_TOKEN);
    env.put("MESSENGER_API_URL", graph.url("/v24.0/").toString());
    env.put("MESSENGER_PAGE_ID", PAGE);
    env.put("X_CONSUMER_SECRET", CONSUMER_SECRET);
    env.put("X_BOT_TOKEN", X_TOKEN);
    env.put("X_BOT_USER_ID", BOT);
    env.put("X_API_URL", xApi.url("/").toString());
    env.put("JENKINS_URL", jenkins.url("/jenkins/").toString());
    env.put("JENKINS_USER", "chatops-bot");
    env.put("JENKINS_API_TOKEN", "11aa22bb33cc");
    return env;
  }

  @AfterEach
  void stop() {
    host.close();
    graph.close();
    xApi.close();
    jenkins.close();
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static byte[] hmac(String secret, byte[] bytes) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return mac.doFinal(bytes);
  }

  private HttpResponse<String> post(String path, String signatureHeader, String signature, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header(signatureHeader, signature);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + pathAndQuery)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> messenger(String mid, String text) throws Exception {
    ObjectNode root = JSON.createObjectNode().put("object", "page");
    ObjectNode item = root.putArray("entry").addObject().put("id", PAGE).put("time", 1_700_000_000_000L)
        .putArray("messaging").addObject();
    item.putObject("sender").put("id", PSID);
    item.putObject("recipient").put("id", PAGE);
    item.put("timestamp", 1_700_000_000_123L).putObject("message").put("mid", mid).put("text", text);
    byte[] body = root.toString().getBytes(StandardCharsets.UTF_8);
    return post("/messenger/webhook", "X-Hub-Signature-256",
        "sha256=" + HexFormat.of().formatHex(hmac(APP_SECRET, body)), root.toString());
  }

  private HttpResponse<String> x(String id, String text) throws Exception {
    ObjectNode root = JSON.createObjectNode().put("for_user_id", BOT);
    ObjectNode event = root.putArray("direct_message_events").addObject().put("type", "message_create")
        .put("id", id).put("created_timestamp", "1516403560557");
    ObjectNode create = event.putObject("message_create").put("sender_id", X_USER);
    create.putObject("target").put("recipient_id", BOT);
    create.putObject("message_data").put("text", text);
    byte[] body = root.toString().getBytes(StandardCharsets.UTF_8);
    return post("/x/webhook", "x-twitter-webhooks-signature",
        "sha256=" + Base64.getEncoder().encodeToString(hmac(CONSUMER_SECRET, body)), root.toString());
  }

  private static RecordedRequest next(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request).as("a request to " + server.url("/")).isNotNull();
    return request;
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().utf8());
  }

  private void jenkinsJson(String singleQuoted) {
    jenkins.enqueue(json(200, singleQuoted.replace('\'', '"')));
  }

  /** Jenkins's answers to a build of api-server's main branch, queued, started, then fixed. */
  private void jenkinsBuildsApiServer() {
    jenkinsJson("{'_class':'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',"
        + "'name':'api-server','url':'http://ci/job/api-server/','jobs':[{'name':'main','color':'red'}]}");
    jenkinsJson("{'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'main','color':'red',"
        + "'buildable':true,'url':'http://ci/job/api-server/job/main/','property':[]}");
    jenkins.enqueue(new MockResponse.Builder().code(201)
        .addHeader("Location", jenkins.url("/jenkins/queue/item/77/").toString()).build());
    jenkinsJson("{'_class':'hudson.model.Queue$LeftItem','id':77,'cancelled':false,"
        + "'executable':{'number':12,'url':'http://ci/job/api-server/job/main/12/'}}");
    jenkinsJson("{'number':12,'building':true}");
    jenkinsJson("{'number':12,'building':false,'result':'SUCCESS','duration':61000,"
        + "'url':'http://ci/job/api-server/job/main/12/','previousBuild':{'number':11,'result':'FAILURE'}}");
  }

  private void assertJenkinsQueuedTheBuild() throws Exception {
    assertThat(next(jenkins).getUrl().encodedPath()).isEqualTo("/jenkins/job/api-server/api/json");
    assertThat(next(jenkins).getUrl().encodedPath()).isEqualTo("/jenkins/job/api-server/job/main/api/json");
    RecordedRequest queue = next(jenkins);
    assertThat(queue.getMethod() + " " + queue.getTarget()).isEqualTo("POST /jenkins/job/api-server/job/main/build");
  }

  // ---- the tests

  @Test
  void buildsFromAMessengerMessageAndReportsTheResultAsNewMessages() throws Exception {
    jenkinsBuildsApiServer();

    assertThat(messenger("m_1", "jenkins build ID=api-server BRANCH=main").statusCode()).isEqualTo(200);

    assertJenkinsQueuedTheBuild();
    RecordedRequest queued = next(graph);
    assertThat(queued.getMethod() + " " + queued.getUrl().encodedPath()).isEqualTo("POST /v24.0/me/messages");
    assertThat(queued.getHeaders().get("Authorization")).isEqualTo("Bearer " + PAGE_TOKEN);
    assertThat(body(queued).path("recipient").path("id").asText()).isEqualTo(PSID);
    assertThat(body(queued).path("messaging_type").asText()).isEqualTo("RESPONSE");
    assertThat(body(queued).path("message").path("text").asText())
        .isEqualTo("Queued api-server on main (queue item #77); I will post the build link when it starts.");
    assertThat(body(next(graph)).path("message").path("text").asText())
        .isEqualTo("api-server on main #12 started: http://ci/job/api-server/job/main/12/");
    String result = body(next(graph)).path("message").path("text").asText();
    assertThat(result).startsWith("api-server on main #12: FIXED").contains("\nResult: ").contains("\nDuration: ");
    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(jenkins.getRequestCount()).isEqualTo(6);
  }

  @Test
  void buildsFromAnXDirectMessageAndReportsTheResultToTheSender() throws Exception {
    jenkinsBuildsApiServer();

    assertThat(x("954491830116155396", "jenkins build ID=api-server BRANCH=main").statusCode()).isEqualTo(200);

    assertJenkinsQueuedTheBuild();
    RecordedRequest queued = next(xApi);
    assertThat(queued.getMethod() + " " + queued.getUrl().encodedPath())
        .isEqualTo("POST /2/dm_conversations/with/" + X_USER + "/messages");
    assertThat(queued.getHeaders().get("Authorization")).isEqualTo("Bearer " + X_TOKEN);
    assertThat(body(queued).path("text").asText())
        .isEqualTo("Queued api-server on main (queue item #77); I will post the build link when it starts.");
    assertThat(body(next(xApi)).path("text").asText())
        .isEqualTo("api-server on main #12 started: http://ci/job/api-server/job/main/12/");
    assertThat(body(next(xApi)).path("text").asText()).startsWith("api-server on main #12: FIXED");
    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(graph.getRequestCount()).isZero();
  }

  @Test
  void answersBothHandshakesAndServesNoSlack() throws Exception {
    HttpResponse<String> meta = get("/messenger/webhook?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN
        + "&hub.challenge=1158201444");
    HttpResponse<String> wrongToken = get("/messenger/webhook?hub.mode=subscribe&hub.verify_token=guess"
        + "&hub.challenge=1158201444");
    HttpResponse<String> crc = get("/x/webhook?crc_token=" + URLEncoder.encode("Zm9v+/=", StandardCharsets.UTF_8));
    HttpResponse<String> noToken = get("/x/webhook");
    HttpResponse<String> slack = post("/slack/events", "X", null, "{}");

    assertThat(meta.statusCode()).isEqualTo(200);
    assertThat(meta.body()).isEqualTo("1158201444");
    assertThat(meta.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(crc.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(crc.body()).path("response_token").asText()).isEqualTo("sha256="
        + Base64.getEncoder().encodeToString(hmac(CONSUMER_SECRET, "Zm9v+/=".getBytes(StandardCharsets.UTF_8))));
    assertThat(noToken.statusCode()).isEqualTo(400);
    assertThat(slack.statusCode()).isEqualTo(404);
  }

  @Test
  void refusesUnsignedAndWronglyEncodedDeliveriesAndSendsNothing() throws Exception {
    String body = "{\"object\":\"page\",\"entry\":[]}";
    String hexForX = "sha256=" + HexFormat.of().formatHex(hmac(CONSUMER_SECRET, body.getBytes(StandardCharsets.UTF_8)));

    HttpResponse<String> unsigned = post("/messenger/webhook", "X-Hub-Signature-256", null, body);
    HttpResponse<String> hex = post("/x/webhook", "x-twitter-webhooks-signature", hexForX, body);

    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(unsigned.body()).isEqualTo("unauthenticated: no X-Hub-Signature-256 header");
    assertThat(hex.statusCode()).isEqualTo(401);
    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(graph.getRequestCount() + xApi.getRequestCount() + jenkins.getRequestCount()).isZero();
  }

  @Test
  void stopsAtStartUpNamingTheMissingVariables() {
    Map<String, String> messengerHalf = env();
    messengerHalf.remove("MESSENGER_PAGE_TOKEN");
    Map<String, String> xBadUser = env();
    xBadUser.put("X_BOT_USER_ID", "@chatops");
    Map<String, String> plainHttp = env();
    plainHttp.put("X_API_URL", "http://api.x.example/");

    assertThatThrownBy(() -> Settings.fromEnv(messengerHalf)).isInstanceOf(ConfigurationException.class)
        .hasMessage("MESSENGER_PAGE_TOKEN is required to serve Messenger (docs/messenger.md): set"
            + " MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN, MESSENGER_PAGE_TOKEN");
    assertThatThrownBy(() -> Settings.fromEnv(xBadUser)).isInstanceOf(ConfigurationException.class)
        .hasMessage("X_BOT_USER_ID must be the bot account's numeric user id but was '@chatops'");
    assertThatThrownBy(() -> Settings.fromEnv(plainHttp)).isInstanceOf(ConfigurationException.class)
        .hasMessage("X_API_URL must be an https URL (or http to a loopback address) but was 'http://api.x.example/'");
  }

  @Test
  void readsTheDefaultsAndNeverPrintsTheSecrets() {
    Map<String, String> env = new HashMap<>();
    env.put("MESSENGER_APP_SECRET", APP_SECRET);
    env.put("MESSENGER_VERIFY_TOKEN", VERIFY_TOKEN);
    env.put("MESSENGER_PAGE_TOKEN", PAGE_TOKEN);
    env.put("X_CONSUMER_SECRET", CONSUMER_SECRET);
    env.put("X_BOT_TOKEN", X_TOKEN);
    env.put("X_BOT_USER_ID", BOT);

    Settings settings = Settings.fromEnv(env);

    assertThat(settings.slackEnabled()).isFalse();
    assertThat(settings.messenger()).contains(new Settings.Messenger(APP_SECRET, VERIFY_TOKEN, PAGE_TOKEN,
        "https://graph.facebook.com/v24.0/", Optional.empty()));
    assertThat(settings.x()).contains(new Settings.X(CONSUMER_SECRET, X_TOKEN, BOT, "https://api.x.com/"));
    assertThat(settings.toString()).doesNotContain(APP_SECRET).doesNotContain(VERIFY_TOKEN)
        .doesNotContain(PAGE_TOKEN).doesNotContain(CONSUMER_SECRET).doesNotContain(X_TOKEN);
  }
}
