package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Microsoft Teams through the example host, over real HTTP on loopback, with no Slack configured: one
 * MockWebServer is Microsoft's login (OpenID metadata, the JWKS of a key generated here, the token endpoint),
 * one the Bot Connector, one Jenkins. Activities carry tokens signed here as the Bot Connector signs them
 * (with the JDK alone: this module does not depend on a JOSE library).
 */
class TeamsHostTest {
  private static final String APP_ID = "11111111-2222-3333-4444-555555555555";
  private static final String PASSWORD = "teams-app-password";
  private static final String KID = "host-key-1";
  private static final String ROOT = "1700000000001";
  private static final String CHANNEL = "19:ops@thread.tacv2";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KeyPair KEYS = rsa();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newHttpClient();
  private final MockWebServer login = new MockWebServer();
  private final MockWebServer connector = new MockWebServer();
  private final MockWebServer jenkins = new MockWebServer();
  private HttpServerMain.Host host;

  @BeforeEach
  void start() throws Exception {
    login.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        switch (request.getUrl().encodedPath()) {
          case "/v1/.well-known/openidconfiguration":
            return json("{\"issuer\":\"https://api.botframework.com\",\"jwks_uri\":\""
                + login.url("/v1/.well-known/keys") + "\"}");
          case "/v1/.well-known/keys":
            return json(jwks());
          case "/botframework.com/oauth2/v2.0/token":
            return json("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"connector-token\"}");
          default:
            return new MockResponse.Builder().code(404).build();
        }
      }
    });
    connector.setDispatcher(new Dispatcher() {
      private int ids;

      @Override
      public synchronized MockResponse dispatch(RecordedRequest request) {
        return json("{\"id\":\"bot-activity-" + ++ids + "\"}");
      }
    });
    login.start();
    connector.start();
    jenkins.start();
    host = HttpServerMain.start(env(), JenkinsPlugin.builder()
        .pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(50)));
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("TEAMS_APP_ID", APP_ID);
    env.put("TEAMS_APP_PASSWORD", PASSWORD);
    env.put("TEAMS_OPENID_METADATA_URL", login.url("/v1/.well-known/openidconfiguration").toString());
    env.put("TEAMS_TOKEN_URL", login.url("/botframework.com/oauth2/v2.0/token").toString());
    env.put("JENKINS_URL", jenkins.url("/jenkins/").toString());
    env.put("JENKINS_USER", "chatops-bot");
    env.put("JENKINS_API_TOKEN", "11aa22bb33cc");
    return env;
  }

  @AfterEach
  void stop() {
    host.close();
    login.close();
    connector.close();
    jenkins.close();
  }

  // ---- Microsoft's side, made here

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return b64(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
  }

  private static String jwks() {
    RSAPublicKey key = (RSAPublicKey) KEYS.getPublic();
    ObjectNode jwk = JSON.createObjectNode().put("kty", "RSA").put("use", "sig").put("kid", KID)
        .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
    jwk.putArray("endorsements").add("msteams");
    ObjectNode set = JSON.createObjectNode();
    set.putArray("keys").add(jwk);
    return set.toString();
  }

  /** A Bot Connector token for this bot and the connector stand-in, valid for an hour. */
  private String token() throws GeneralSecurityException {
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"typ\":\"JWT\"}";
    ObjectNode claims = JSON.createObjectNode().put("iss", "https://api.botframework.com").put("aud", APP_ID)
        .put("nbf", now - 10).put("exp", now + 3600).put("serviceurl", serviceUrl());
    String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(KEYS.getPrivate());
    rsa.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(rsa.sign());
  }

  private String serviceUrl() {
    return connector.url("/amer/").toString();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
  }

  /** A message in the thread under {@link #ROOT} of channel {@link #CHANNEL}, from Ada. */
  private ObjectNode channelMessage(String id, String text) {
    ObjectNode activity = JSON.createObjectNode().put("type", "message").put("id", id)
        .put("timestamp", Instant.now().toString()).put("serviceUrl", serviceUrl()).put("channelId", "msteams")
        .put("text", text);
    activity.putObject("from").put("id", "29:ada").put("name", "Ada").put("aadObjectId", "aad-ada");
    activity.putObject("conversation").put("id", CHANNEL + ";messageid=" + ROOT).put("conversationType", "channel")
        .put("tenantId", "tenant-1");
    activity.putObject("recipient").put("id", "28:" + APP_ID).put("name", "ChatOps");
    activity.putObject("channelData").putObject("tenant").put("id", "tenant-1");
    return activity;
  }

  private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts the activity with a valid token, as soon as the host has loaded the keys (in the background). */
  private HttpResponse<String> send(ObjectNode activity) {
    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
    Wait.until("the host's Bot Connector keys", WAIT, () -> {
      try {
        last.set(post("/api/messages", "Bearer " + token(), activity.toString()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return !(last.get().statusCode() == 401 && last.get().body().contains("keys are not loaded yet"));
    });
    return last.get();
  }

  private static RecordedRequest next(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request).as("a request to " + server.url("/")).isNotNull();
    return request;
  }

  private static String line(RecordedRequest request) {
    return request.getMethod() + " " + request.getUrl().encodedPath();
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().utf8());
  }

  private void jenkinsJson(String singleQuoted) {
    jenkins.enqueue(json(singleQuoted.replace('\'', '"')));
  }

  // ---- the tests

  @Test
  void buildsFromATeamsMentionAndUpdatesTheReplyInTheThreadWithTheResult() throws Exception {
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

    HttpResponse<String> ack = send(channelMessage("1700000000555",
        "<at>ChatOps</at> jenkins build ID=api-server BRANCH=main"));
    assertThat(ack.statusCode()).isEqualTo(200);

    assertThat(line(next(jenkins))).isEqualTo("GET /jenkins/job/api-server/api/json");
    assertThat(line(next(jenkins))).isEqualTo("GET /jenkins/job/api-server/job/main/api/json");
    RecordedRequest queue = next(jenkins);
    assertThat(queue.getMethod() + " " + queue.getTarget()).isEqualTo("POST /jenkins/job/api-server/job/main/build");

    String thread = "/amer/v3/conversations/19%3Aops%40thread.tacv2%3Bmessageid%3D" + ROOT + "/activities/";
    RecordedRequest posted = next(connector);
    assertThat(line(posted)).isEqualTo("POST " + thread + ROOT);
    assertThat(posted.getHeaders().get("Authorization")).isEqualTo("Bearer connector-token");
    assertThat(body(posted).path("text").asText())
        .isEqualTo("Queued api-server on main (queue item #77); I will post the build link when it starts.");
    RecordedRequest started = next(connector);
    assertThat(line(started)).isEqualTo("PUT " + thread + "bot-activity-1");
    assertThat(body(started).path("text").asText())
        .isEqualTo("api-server on main #12 started: http://ci/job/api-server/job/main/12/");
    RecordedRequest result = next(connector);
    assertThat(line(result)).isEqualTo("PUT " + thread + "bot-activity-1");
    JsonNode card = body(result).path("attachments").path(0).path("content");
    assertThat(card.path("body").path(0).path("text").asText())
        .isEqualTo("\uD83D\uDEE0\uFE0F api-server on main #12: FIXED");
    assertThat(card.path("body").path(1).path("facts").findValuesAsText("title")).contains("Result", "Duration");

    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(jenkins.getRequestCount()).isEqualTo(6);
    assertThat(connector.getRequestCount()).isEqualTo(3);
  }

  @Test
  void refusesAnActivityWithoutATokenAndServesNoSlackWhenOnlyTeamsIsSet() throws Exception {
    HttpResponse<String> anonymous = post("/api/messages", null, channelMessage("1", "bot ping").toString());
    HttpResponse<String> slack = post("/slack/events", null, "{}");

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).isEqualTo("unauthenticated: no Authorization header");
    assertThat(slack.statusCode()).isEqualTo(404);
    assertThat(host.awaitIdle(WAIT)).isTrue();
    assertThat(connector.getRequestCount()).isZero();
  }

  @Test
  void stopsAtStartUpNamingTheMissingOrInvalidTeamsVariable() {
    Map<String, String> noPassword = env();
    noPassword.remove("TEAMS_APP_PASSWORD");
    Map<String, String> plainHttp = env();
    plainHttp.put("TEAMS_TOKEN_URL", "http://login.example.com/token");
    Map<String, String> badTenants = env();
    badTenants.put("TEAMS_ALLOWED_TENANTS", "tenant-1, not a tenant");

    assertThatThrownBy(() -> Settings.fromEnv(noPassword)).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TEAMS_APP_PASSWORD is required with TEAMS_APP_ID");
    assertThatThrownBy(() -> Settings.fromEnv(plainHttp)).isInstanceOf(ConfigurationException.class)
        .hasMessage("TEAMS_TOKEN_URL must be an https URL (or http to a loopback address) but was"
            + " 'http://login.example.com/token'");
    assertThatThrownBy(() -> Settings.fromEnv(badTenants)).isInstanceOf(ConfigurationException.class)
        .hasMessage("TEAMS_ALLOWED_TENANTS must be a comma-separated list of tenant ids, but 'not a tenant' is not"
            + " one");
  }

  @Test
  void readsTheTeamsVariablesWithTheirDefaultsAndNeverPrintsThePassword() {
    Map<String, String> env = new HashMap<>();
    env.put("TEAMS_APP_ID", APP_ID);
    env.put("TEAMS_APP_PASSWORD", PASSWORD);
    env.put("TEAMS_TENANT_ID", "contoso-tenant");
    env.put("TEAMS_ALLOWED_TENANTS", "contoso-tenant,fabrikam-tenant");

    Settings settings = Settings.fromEnv(env);

    assertThat(settings.slackEnabled()).isFalse();
    assertThat(settings.teams()).contains(new Settings.Teams(APP_ID, PASSWORD, java.util.Optional.of("contoso-tenant"),
        List.of("contoso-tenant", "fabrikam-tenant"),
        "https://login.botframework.com/v1/.well-known/openidconfiguration", java.util.Optional.empty()));
    assertThat(settings.toString()).doesNotContain(PASSWORD);
  }
}
