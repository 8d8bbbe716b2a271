package ai.chatops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a real Spring Boot application on a random port, configured by {@code chatops.*} properties
 * only, with MockWebServers as the Slack Web API and Jenkins, driven over HTTP as Slack and a monitoring
 * system would.
 */
@SpringBootTest(classes = {TestApp.class, ChatOpsAutoConfigurationTest.Beans.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatOpsAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String JENKINS_TOKEN = "11aa22bb33cc";
  private static final String ADMIN_TOKEN = "admin-token-0123456789";
  private static final String ADMIN_SECRET = "admin-secret-0123456789";
  /** 32 bytes of 0x5a, base64. */
  private static final String KEY = "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";
  private static final MockWebServer slackApi = new MockWebServer();
  private static final MockWebServer jenkins = new MockWebServer();

  static {
    slackApi.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000100.000900\"}").build();
      }
    });
    jenkins.setDispatcher(new JenkinsApi());
    try {
      slackApi.start();
      jenkins.start();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void chatops(DynamicPropertyRegistry properties) {
    // As a user sets them (Slack: secret and token; Jenkins: URL, user, token), plus where the Slack fake is.
    properties.add("chatops.slack.signing-secret", () -> Slack.SECRET);
    properties.add("chatops.slack.bot-token", () -> Slack.TOKEN);
    properties.add("chatops.slack.api-url", () -> slackApi.url("/api/").toString());
    properties.add("chatops.jenkins.url", () -> jenkins.url("/jenkins/").toString());
    properties.add("chatops.jenkins.user", () -> "chatops-bot");
    properties.add("chatops.jenkins.api-token", () -> JENKINS_TOKEN);
    // The configuration endpoint's keys and the keys of what it stores: secrets too.
    properties.add("chatops.admin-token", () -> ADMIN_TOKEN);
    properties.add("chatops.admin-secret", () -> ADMIN_SECRET);
    properties.add("chatops.keys", () -> "k1:" + KEY);
  }

  @AfterAll
  static void stopFakes() {
    slackApi.close();
    jenkins.close();
  }

  /** The spans of every test's events, recorded by the OpenTelemetry SDK in memory. */
  private static final InMemorySpanExporter spans = InMemorySpanExporter.create();

  /** A user's bean replaces the default: Jenkins polling fast enough for a test; the application's tracing SDK. */
  @TestConfiguration
  static class Beans {
    @Bean(destroyMethod = "close")
    OpenTelemetrySdk openTelemetry() {
      return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    }

    @Bean
    JenkinsPlugin fastJenkins() {
      return JenkinsPlugin.builder().pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(50))
          .build();
    }
  }

  /** Jenkins, answering by path with the shapes of its REST API. */
  static final class JenkinsApi extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      if (request.getMethod().equals("POST") && path.endsWith("/build")) {
        return new MockResponse.Builder().code(201)
            .addHeader("Location", jenkins.url("/jenkins/queue/item/77/").toString()).build();
      }
      if (path.equals("/jenkins/job/api-server/api/json")) {
        return json("{'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'api-server','color':'blue',"
            + "'buildable':true,'url':'http://ci/job/api-server/','property':[]}");
      }
      if (path.equals("/jenkins/queue/item/77/api/json")) {
        return json("{'_class':'hudson.model.Queue$LeftItem','id':77,'cancelled':false,"
            + "'executable':{'number':12,'url':'http://ci/job/api-server/12/'}}");
      }
      if (path.equals("/jenkins/job/api-server/12/api/json")) {
        return json("{'number':12,'building':false,'result':'SUCCESS','duration':61000,"
            + "'url':'http://ci/job/api-server/12/','previousBuild':{'number':11,'result':'SUCCESS'}}");
      }
      return new MockResponse.Builder().addHeader("Content-Type", "application/json").addHeader("X-Jenkins", "2.440.3")
          .body("{\"name\":\"chatops-bot\",\"anonymous\":false,\"authenticated\":true}").build();
    }

    private static MockResponse json(String singleQuoted) {
      return new MockResponse.Builder().addHeader("Content-Type", "application/json")
          .body(singleQuoted.replace('\'', '"')).build();
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  EventRouter router;

  private Slack slack;

  @BeforeEach
  void client() {
    slack = new Slack(port);
  }

  private RecordedRequest nextSlackCall() throws InterruptedException {
    RecordedRequest request = slackApi.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request).as("a call to the Slack API").isNotNull();
    return request;
  }

  /** The next call to the Slack API whose body contains {@code text}, skipping at most 10 others. */
  private RecordedRequest nextSlackCallContaining(String text) throws InterruptedException {
    // An earlier test's build may still be reporting its progress after the drain: skip its messages.
    for (int i = 0; i <= 10; i++) {
      RecordedRequest call = nextSlackCall();
      if (call.getBody().utf8().contains(text)) {
        return call;
      }
    }
    throw new AssertionError("no call to the Slack API contained '" + text + "' among the next 11");
  }

  private void drainSlackCalls() throws InterruptedException {
    assertThat(router.awaitIdle(WAIT)).isTrue();
    while (slackApi.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
      // calls of earlier tests
    }
  }

  @Test
  void aSignedMentionQueuesAJenkinsBuildAndReplies() throws Exception {
    drainSlackCalls();

    HttpResponse<String> ack = slack.post(Slack.mention("EvBuild1", "jenkins build ID=api-server"));

    assertThat(ack.statusCode()).isEqualTo(200);
    RecordedRequest posted = nextSlackCallContaining("Queued api-server");
    assertThat(posted.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(posted.getHeaders().get("Authorization")).isEqualTo("Bearer " + Slack.TOKEN);
    assertThat(posted.getBody().utf8()).contains("Queued api-server").contains("queue item #77");
  }

  @Test
  void countsGoodDuplicateAndForgedEventsInPrometheus() throws Exception {
    double accepted = metric("chatops_events_total", "outcome=\"accepted\",service=\"slack\"");
    double duplicate = metric("chatops_events_total", "outcome=\"duplicate\",service=\"slack\"");
    double rejected = metric("chatops_events_total", "outcome=\"rejected\",service=\"slack\"");
    double pings = metric("chatops_invocations_seconds_count", "outcome=\"done\",plugin=\"bot\",route=\"/v1/bot/ping\"");
    double nlu = metric("chatops_nlu_seconds_count", "engine=\"local\"");

    String ping = Slack.mention("EvMetrics1", "bot ping");
    assertThat(slack.post(ping).statusCode()).isEqualTo(200);
    assertThat(slack.post(ping).statusCode()).isEqualTo(200);
    assertThat(slack.post(Slack.mention("EvMetrics2", "bot ping"), "forged-secret").statusCode()).isEqualTo(401);
    assertThat(slack.post(Slack.mention("EvMetrics3", "are you alive?")).statusCode()).isEqualTo(200);
    assertThat(router.awaitIdle(WAIT)).isTrue();

    assertThat(metric("chatops_events_total", "outcome=\"accepted\",service=\"slack\"")).isEqualTo(accepted + 2);
    assertThat(metric("chatops_events_total", "outcome=\"duplicate\",service=\"slack\"")).isEqualTo(duplicate + 1);
    assertThat(metric("chatops_events_total", "outcome=\"rejected\",service=\"slack\"")).isEqualTo(rejected + 1);
    assertThat(metric("chatops_invocations_seconds_count",
        "outcome=\"done\",plugin=\"bot\",route=\"/v1/bot/ping\"")).isEqualTo(pings + 2);
    String scrape = slack.get("/actuator/prometheus").body();
    assertThat(metric("chatops_nlu_seconds_count", "engine=\"local\"")).isEqualTo(nlu + 1);
    assertThat(scrape).contains("\nchatops_queue_depth 0.0\n").contains("\nchatops_workers_busy 0.0\n");
  }

  @Test
  void tracesAnEventWithItsNluPluginCallAndEachOutboundCallAsChildren() throws Exception {
    drainSlackCalls();

    assertThat(slack.post(Slack.mention("EvTrace1", "please build api-server")).statusCode()).isEqualTo(200);
    nextSlackCallContaining("Queued api-server");
    assertThat(router.awaitIdle(WAIT)).isTrue();

    Wait.until("the event's span", WAIT, () -> eventSpan("EvTrace1").isPresent());
    SpanData event = eventSpan("EvTrace1").orElseThrow();
    List<SpanData> children = childrenOf(event);
    assertThat(children).extracting(SpanData::getName).contains("chatops.nlu", "chatops.invoke", "POST");
    SpanData reply = children.stream()
        .filter(s -> "/api/chat.postMessage".equals(s.getAttributes().get(AttributeKey.stringKey("url.path"))))
        .findFirst().orElseThrow();
    assertThat(reply.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(reply.getName()).isEqualTo("POST");
    assertThat(reply.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("POST");
    assertThat(reply.getAttributes().get(AttributeKey.stringKey("server.address")))
        .isEqualTo(slackApi.url("/").host());
    assertThat(reply.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);

    // The build request nests in the plugin call's span.
    SpanData invoke = children.stream().filter(s -> s.getName().equals("chatops.invoke")).findFirst().orElseThrow();
    assertThat(childrenOf(invoke)).anySatisfy(call -> {
      assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(call.getName()).isEqualTo("POST");
      assertThat(call.getAttributes().get(AttributeKey.stringKey("url.path")))
          .isEqualTo("/jenkins/job/api-server/build");
      assertThat(call.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(201L);
    });

    // Nothing secret or private in any attribute of the trace: no token, no text, no query.
    List<SpanData> trace = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(event.getTraceId())).toList();
    List<String> values = trace.stream().flatMap(s -> s.getAttributes().asMap().values().stream())
        .map(String::valueOf).toList();
    assertThat(values).noneMatch(v -> v.contains("please") || v.contains(JENKINS_TOKEN) || v.contains(Slack.TOKEN)
        || v.contains("?"));
    assertThat(trace).filteredOn(s -> s.getKind() == SpanKind.CLIENT).extracting(
        s -> s.getAttributes().get(AttributeKey.stringKey("url.path")))
        .allMatch(path -> path.startsWith("/api/") || path.startsWith("/jenkins/"));
  }

  private static Optional<SpanData> eventSpan(String eventId) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("chatops.event")
        && eventId.equals(s.getAttributes().get(AttributeKey.stringKey("chatops.event.id")))).findFirst();
  }

  private static List<SpanData> childrenOf(SpanData parent) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
        .toList();
  }

  /** The value of a Prometheus sample, 0 when absent. */
  private double metric(String name, String labels) throws Exception {
    HttpResponse<String> scrape = slack.get("/actuator/prometheus");
    assertThat(scrape.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + "[^}]*} (\\S+)$")
        .matcher(scrape.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void reportsEachPluginInTheHealthAndInfoEndpoints() throws Exception {
    HttpResponse<String> health = slack.get("/actuator/health");
    HttpResponse<String> info = slack.get("/actuator/info");

    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode chatops = JSON.readTree(health.body()).path("components").path("chatops");
    assertThat(chatops.path("status").asText()).isEqualTo("UP");
    assertThat(chatops.path("details").path("jenkins").path("state").asText()).isEqualTo("PASSED");
    assertThat(chatops.path("details").path("jenkins").path("detail").asText()).startsWith("Jenkins 2.440.3 at ");
    assertThat(info.body()).contains("\"chatops\":").contains("\"jenkins\":{\"version\":")
        .contains("/v1/jenkins/build").contains("\"bot\":");
  }

  @Test
  void neverShowsTheSecretsInTheEnvironmentOrConfigurationEndpoints() throws Exception {
    HttpResponse<String> env = slack.get("/actuator/env");
    HttpResponse<String> configprops = slack.get("/actuator/configprops");

    assertThat(env.statusCode()).isEqualTo(200);
    assertThat(configprops.statusCode()).isEqualTo(200);
    assertThat(configprops.body()).contains("chatops").contains("adminToken").contains("keys");
    assertThat(env.body()).contains("chatops.admin-token").contains("chatops.keys");
    for (String body : new String[] {env.body(), configprops.body()}) {
      assertThat(body).doesNotContain(Slack.SECRET).doesNotContain(Slack.TOKEN).doesNotContain(JENKINS_TOKEN)
          .doesNotContain(ADMIN_TOKEN).doesNotContain(ADMIN_SECRET).doesNotContain(KEY).doesNotContain("WlpaWlpa");
    }
  }

  @Test
  void servesTheRouterBesideTheApplicationsOwnPaths() throws Exception {
    HttpResponse<String> get = slack.get("/slack/events");
    HttpResponse<String> hook = slack.get("/v1/hooks/jenkins");

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(hook.statusCode()).isEqualTo(404);
    // chatops.admin-token enables the configuration endpoint: 401 without the token, not 404.
    assertThat(slack.get("/v1/yaml/jenkins").statusCode()).isEqualTo(401);
    assertThat(slack.get("/actuator/health").statusCode()).isEqualTo(200);
  }
}
