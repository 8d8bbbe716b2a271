package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.slack.SlackService;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No result left behind under load: a burst of signed Slack events, several times what a small worker pool and
 * its queue hold, asks a slow Jenkins for builds that the router then follows. Some events are refused with 503
 * (the platform retries them); every acknowledged one ends with its build's result, although the follow-up polls
 * compete with the burst for the same saturated workers. Counts only, never times.
 */
class FollowUpBurstTest {
  private static final String SECRET = "test-signing-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BURST = 120;

  private final MockWebServer slack = new MockWebServer();
  private final MockWebServer jenkinsServer = new MockWebServer();
  private final Set<String> results = ConcurrentHashMap.newKeySet();
  private StandInJenkins jenkins;
  private EventRouter router;

  @BeforeEach
  void start() throws IOException {
    AtomicInteger posted = new AtomicInteger();
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String channel = "C";
        try {
          var body = JSON.readTree(request.getBody().utf8());
          channel = body.path("channel").asText();
          String text = body.path("text").asText();
          if (text.contains(": SUCCESS")) {
            results.add(channel);
          }
        } catch (IOException e) {
          return new MockResponse.Builder().code(400).build();
        }
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"1700000000." + posted.incrementAndGet()
                + "\"}").build();
      }
    });
    slack.start();
    jenkinsServer.start();
    jenkins = new StandInJenkins(jenkinsServer.url("/jenkins/").toString()).slow(30);
    jenkinsServer.setDispatcher(jenkins);
    router = EventRouter.builder()
        .service(SlackService.builder().signingSecret(SECRET).botToken("xoxb-test-token")
            .apiUrl(slack.url("/api/").toString()).botUserId("UBOT").build())
        .plugin(JenkinsPlugin.builder().pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(40))
            .build(), Map.of("JENKINS_URL", jenkinsServer.url("/jenkins/").toString(), "JENKINS_USER", "chatops-bot",
            "JENKINS_API_TOKEN", "11aa22bb33cc"))
        .workerThreads(2)
        .queueCapacity(6)
        .sweepInterval(Duration.ofMillis(200))
        .build();
  }

  @AfterEach
  void stop() {
    router.close();
    slack.close();
    jenkinsServer.close();
  }

  @Test
  void everyAcknowledgedEventOfABurstBeyondThePoolEndsWithItsBuildsResult() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    int refused = 0;
    for (int i = 0; i < BURST; i++) {
      String channel = "C" + i; // one channel each: Slack's pacing is per channel
      int status = router.handle(mention("EvBurst" + i, channel, "jenkins build ID=svc" + i)).status();
      if (status == 200) {
        acknowledged.add(channel);
      } else {
        assertThat(status).as("event %d", i).isEqualTo(503);
        refused++;
      }
    }
    assertThat(refused).as("events refused: the burst goes beyond the pool and its queue").isPositive();
    assertThat(acknowledged).as("events acknowledged").isNotEmpty();

    Wait.until("a result for every acknowledged event", Duration.ofSeconds(120),
        () -> results.containsAll(acknowledged));

    assertThat(results).isEqualTo(acknowledged);
    assertThat(jenkins.builds()).as("builds queued").isEqualTo(acknowledged.size());
  }

  private static WebhookRequest mention(String eventId, String channel, String text) throws Exception {
    String body = "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
        + "\",\"event_time\":1700000000,\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],"
        + "\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> " + text + "\",\"ts\":\"1700000100.1\","
        + "\"channel\":\"" + channel + "\"}}";
    long now = Instant.now().getEpochSecond();
    return WebhookRequest.builder("POST", "/slack/events")
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(now))
        .header("X-Slack-Signature", SlackHostTest.sign(SECRET, now, body))
        .body(body)
        .build();
  }
}
