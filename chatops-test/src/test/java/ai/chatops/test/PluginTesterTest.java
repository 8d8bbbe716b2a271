package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Status;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PluginTesterTest {
  private final MockWebServer server = new MockWebServer();
  private final UptimePlugin plugin = new UptimePlugin();
  private PluginTester uptime;

  @BeforeEach
  void start() throws Exception {
    server.start();
    uptime = PluginTester.of(plugin).credential("UPTIME_URL", server.url("/api/").toString());
  }

  @AfterEach
  void stop() {
    uptime.close();
    server.close();
  }

  private void answer(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).body(body).build());
  }

  private RecordedRequest request() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request to the mock server").isNotNull();
    return request;
  }

  @Test
  void invokesARouteByActionAgainstTheMockServer() throws Exception {
    uptime.connect();
    answer(200, "up\n");

    Action action = uptime.invoke("check", Map.of("SERVICE", "api"));

    assertThat(action.text()).isEqualTo("api is up");
    RecordedRequest request = request();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getTarget()).isEqualTo("/api/services/api");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer config-token");
  }

  @Test
  void invokesARouteByPathWithTheGivenCredentialsOverTheConfigs() throws Exception {
    uptime.credential("UPTIME_TOKEN", "test-token").connect();
    answer(200, "down");

    assertThat(uptime.invoke("/v1/uptime/check", Map.of("SERVICE", "db")).text()).isEqualTo("db is down");
    assertThat(request().getHeaders().get("Authorization")).isEqualTo("Bearer test-token");
  }

  @Test
  void passesThePluginsOwnFailuresThrough() {
    uptime.connect();
    answer(503, "");

    assertThatThrownBy(() -> uptime.invoke("check", Map.of("SERVICE", "api")))
        .isInstanceOf(PluginFailedException.class)
        .hasMessage("the status service answered 503 for services/api");
  }

  @Test
  void pollsAFollowUpOnce() {
    uptime.connect();
    answer(200, "starting");
    answer(200, "starting");
    answer(200, "up");

    Action waiting = uptime.invoke("wait", Map.of("SERVICE", "api"));
    FollowUp followUp = waiting.followUp().orElseThrow();

    assertThat(waiting.text()).isEqualTo("Waiting for api");
    assertThat(uptime.poll(followUp)).isEmpty();
    assertThat(uptime.poll(followUp)).map(Action::text).contains("api is up");
  }

  @Test
  void runsTheHealthCheck() throws Exception {
    uptime.connect();
    answer(200, "ok");

    assertThat(uptime.healthCheck()).isEqualTo(Status.of("uptime", Status.State.PASSED));
    assertThat(request().getTarget()).isEqualTo("/api/health");
  }

  @Test
  void givesThePluginTheContextTheRouterWould() {
    MutableClock clock = MutableClock.at(Instant.parse("2031-01-01T00:00:00Z"));
    uptime.clock(clock).connect();
    answer(200, "ok");

    assertThat(uptime.context().config()).isEqualTo(uptime.config());
    assertThat(uptime.context().credentials().keys()).containsExactly("UPTIME_URL", "UPTIME_TOKEN");
    assertThat(uptime.context().clock()).isSameAs(clock);
    assertThat(uptime.context().healthChecks()).containsExactly(
        Map.entry("uptime", Status.of("uptime", Status.State.PASSED)));
  }

  @Test
  void closesThePlugin() {
    uptime.connect();

    uptime.close();

    assertThat(plugin.closed).isTrue();
  }

  @Test
  void letsTheConnectFailureOfAMissingCredentialThrough() {
    PluginTester unconfigured = PluginTester.of(new UptimePlugin());

    assertThatThrownBy(unconfigured::connect).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("credential UPTIME_URL is not set");
  }

  @Test
  void refusesARouteThePluginDoesNotDeclare() {
    uptime.connect();

    assertThatThrownBy(() -> uptime.invoke("restart", Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("plugin uptime declares no route 'restart'; its routes: /v1/uptime/check, /v1/uptime/wait");
    assertThatThrownBy(() -> uptime.invoke("/v1/other/check")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("plugin uptime declares no route '/v1/other/check'; its routes: /v1/uptime/check,"
            + " /v1/uptime/wait");
  }

  @Test
  void refusesAnAttributeTheRouteDoesNotTake() {
    uptime.connect();

    assertThatThrownBy(() -> uptime.invoke("check", Map.of("SERVICE", "api", "REGION", "eu")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("/v1/uptime/check does not take REGION; it takes SERVICE");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void refusesCallsBeforeConnectAndSettingsAfter() {
    assertThatThrownBy(() -> uptime.invoke("check")).isInstanceOf(IllegalStateException.class)
        .hasMessage("invoke() needs a connected plugin; call connect() first");

    uptime.connect();

    assertThatThrownBy(() -> uptime.credential("UPTIME_TOKEN", "x")).isInstanceOf(IllegalStateException.class)
        .hasMessage("credential() must come before connect()");
  }

  @Test
  void refusesAPluginWhoseConfigIsInvalidAtOnce() {
    assertThatThrownBy(() -> PluginTester.of(new ai.chatops.plugin.Plugin() {
      @Override
      public String name() {
        return "nothing";
      }

      @Override
      public Action trigger(ai.chatops.plugin.Invocation invocation) {
        return Action.reply("");
      }
    })).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("plugin 'nothing' has no config: expected the classpath resource"
            + " chatops/plugins/nothing/config.yaml");
  }
}
