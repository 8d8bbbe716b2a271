package ai.chatops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Applications started and stopped by the test itself: the health endpoint with Jenkins unreachable, and a
 * shutdown that lets an event in flight finish and deliver its reply.
 */
class LifecycleAndHealthTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer slackApi = new MockWebServer();
  private ConfigurableApplicationContext app;

  @BeforeEach
  void startSlack() throws Exception {
    slackApi.start();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    slackApi.close();
  }

  private ConfigurableApplicationContext start(String jenkinsUrl, Class<?>... sources) {
    return new SpringApplicationBuilder(TestApp.class).sources(sources).run(
        "--server.port=0",
        "--server.address=127.0.0.1",
        "--spring.main.banner-mode=off",
        "--chatops.slack.signing-secret=" + Slack.SECRET,
        "--chatops.slack.bot-token=" + Slack.TOKEN,
        "--chatops.slack.api-url=" + slackApi.url("/api/"),
        "--chatops.jenkins.url=" + jenkinsUrl,
        "--chatops.jenkins.user=chatops-bot",
        "--chatops.jenkins.api-token=11aa22bb33cc");
  }

  private static int port(ConfigurableApplicationContext app) {
    return ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @Test
  void turnsTheHealthDownWhenJenkinsIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    app = start("http://127.0.0.1:" + closedPort + "/jenkins/");

    HttpResponse<String> health = new Slack(port(app)).get("/actuator/health");

    assertThat(health.statusCode()).isEqualTo(503);
    JsonNode chatops = JSON.readTree(health.body()).path("components").path("chatops");
    assertThat(chatops.path("status").asText()).isEqualTo("DOWN");
    assertThat(chatops.path("details").path("jenkins").path("state").asText()).isNotEqualTo("PASSED");
    assertThat(chatops.path("details").path("bot").path("state").asText()).isEqualTo("PASSED");
  }

  @Test
  void finishesAnEventInFlightWhenTheApplicationStops() throws Exception {
    slackApi.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000100.000900\"}").build());
    try (MockWebServer jenkins = new MockWebServer()) {
      jenkins.start();
      app = start(jenkins.url("/jenkins/").toString(), GateConfiguration.class);
      GatePlugin gate = app.getBean(GatePlugin.class);
      EventRouter router = app.getBean(EventRouter.class);
      Slack slack = new Slack(port(app));

      assertThat(slack.post(Slack.mention("EvGate1", "gate pass ID=one")).statusCode()).isEqualTo(200);
      assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the plugin was called").isTrue();
      ConfigurableApplicationContext stopping = app;
      CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
      // The router stops taking events once the application stops, while the event is still in flight.
      Wait.until("the router to refuse new events", WAIT,
          () -> router.handle(ai.chatops.WebhookRequest.builder("POST", "/slack/events").build()).status() == 503);
      assertThat(closed).isNotDone();
      gate.open.countDown();

      closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      app = null;
      RecordedRequest reply = slackApi.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(reply).as("the reply of the event in flight").isNotNull();
      assertThat(reply.getBody().utf8()).contains("passed one");
    }
  }

  /** Registers the gate plugin as a bean, as a user registers theirs. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class GateConfiguration {
    @org.springframework.context.annotation.Bean
    GatePlugin gatePlugin() {
      return new GatePlugin();
    }
  }
}
