package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket Mode against a local WebSocket server (MockWebServer's upgrade) standing in for Slack. */
class SlackSocketModeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer slack = new MockWebServer();
  private final BlockingQueue<WebSocket> sockets = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final BlockingQueue<RecordedRequest> apiCalls = new LinkedBlockingQueue<>();
  private final AtomicInteger opens = new AtomicInteger();
  private EventRouter router;
  private SlackSocketMode socketMode;

  @BeforeEach
  void start() throws Exception {
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals("/api/apps.connections.open")) {
          apiCalls.add(request);
          opens.incrementAndGet();
          return new MockResponse.Builder().addHeader("Content-Type", "application/json")
              .body("{\"ok\":true,\"url\":\"" + slack.url("/link").toString().replace("http:", "ws:") + "\"}").build();
        }
        if (path.equals("/link")) {
          return new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
              sockets.add(webSocket);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
              frames.add(text);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
              webSocket.close(1000, null);
            }
          }).build();
        }
        apiCalls.add(request);
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"ts\":\"1.0\"}").build();
      }
    });
    slack.start();
    SlackService service = SlackService.builder().botToken("xoxb-bot").apiUrl(slack.url("/api/").toString()).build();
    router = EventRouter.builder().service(service).plugin(BotPlugin.create()).build();
    socketMode = SlackSocketMode.builder().appToken("xapp-app-token").service(service).router(router)
        .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(200)).build();
    socketMode.start();
  }

  @AfterEach
  void stop() {
    socketMode.close();
    // The server side answers the client's close frame; MockWebServer waits for its sockets to end.
    router.close();
    slack.close();
  }

  private <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T value = queue.poll(20, TimeUnit.SECONDS);
    assertThat(value).isNotNull();
    return value;
  }

  private static String mentionEnvelope(String envelopeId, String eventId) {
    return "{\"envelope_id\":\"" + envelopeId + "\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
        + "\"retry_attempt\":0,\"payload\":{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"" + eventId
        + "\",\"authorizations\":[{\"user_id\":\"UBOT\",\"is_bot\":true}],\"event\":{\"type\":\"app_mention\","
        + "\"user\":\"U1\",\"text\":\"<@UBOT> bot ping\",\"ts\":\"1700000000.000100\",\"channel\":\"C1\"}}}";
  }

  @Test
  void opensWithTheAppTokenAcknowledgesEnvelopesAndRepliesThroughTheWebApi() throws Exception {
    RecordedRequest open = next(apiCalls);
    assertThat(open.getHeaders().get("Authorization")).isEqualTo("Bearer xapp-app-token");
    WebSocket socket = next(sockets);
    socket.send("{\"type\":\"hello\",\"num_connections\":1}");

    socket.send(mentionEnvelope("env-1", "Ev1"));

    assertThat(JSON.readTree(next(frames))).isEqualTo(JSON.readTree("{\"envelope_id\":\"env-1\"}"));
    RecordedRequest post = next(apiCalls);
    assertThat(post.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(post.getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-bot");
    assertThat(JSON.readTree(post.getBody().utf8()).path("text").asText()).isEqualTo("pong");
  }

  @Test
  void answersASlashCommandInTheAcknowledgement() throws Exception {
    next(apiCalls);
    WebSocket socket = next(sockets);

    socket.send("{\"envelope_id\":\"env-2\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
        + "\"payload\":{\"token\":\"x\",\"team_id\":\"T1\",\"channel_id\":\"C1\",\"user_id\":\"U1\",\"command\":\"/chatops\","
        + "\"text\":\"bot ping\",\"response_url\":\"" + slack.url("/hooks/1/2/3") + "\",\"trigger_id\":\"1.2.3\"}}");

    JsonNode ack = JSON.readTree(next(frames));
    assertThat(ack.path("envelope_id").asText()).isEqualTo("env-2");
    assertThat(ack.path("payload").path("response_type").asText()).isEqualTo("ephemeral");
    RecordedRequest result = next(apiCalls);
    assertThat(result.getUrl().encodedPath()).isEqualTo("/hooks/1/2/3");
    assertThat(JSON.readTree(result.getBody().utf8()).path("text").asText()).isEqualTo("pong");
  }

  @Test
  void reconnectsWhenSlackAsksAndWhenTheConnectionDrops() throws Exception {
    next(apiCalls);
    WebSocket first = next(sockets);
    first.send("{\"type\":\"disconnect\",\"reason\":\"refresh_requested\"}");

    next(apiCalls);
    WebSocket second = next(sockets);
    second.close(1001, "going away"); // the connection drops without a disconnect envelope

    next(apiCalls);
    WebSocket third = next(sockets);
    third.send("{\"type\":\"hello\"}");
    third.send(mentionEnvelope("env-3", "Ev3"));

    assertThat(JSON.readTree(next(frames)).path("envelope_id").asText()).isEqualTo("env-3");
    assertThat(opens.get()).isEqualTo(3);
  }

  @Test
  void acknowledgesARedeliveredEnvelopeAndAnswersItOnce() throws Exception {
    next(apiCalls);
    WebSocket socket = next(sockets);
    socket.send("{\"type\":\"hello\"}");

    socket.send(mentionEnvelope("env-4", "Ev4"));
    assertThat(JSON.readTree(next(frames)).path("envelope_id").asText()).isEqualTo("env-4");
    socket.send(mentionEnvelope("env-5", "Ev4").replace("\"retry_attempt\":0", "\"retry_attempt\":1"));
    assertThat(JSON.readTree(next(frames)).path("envelope_id").asText()).isEqualTo("env-5");

    assertThat(next(apiCalls).getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(router.awaitIdle(Duration.ofSeconds(20))).isTrue();
    assertThat(apiCalls).isEmpty();
  }

  @Test
  void acknowledgesAMalformedEnvelopeWithoutProcessingIt() throws Exception {
    next(apiCalls);
    WebSocket socket = next(sockets);

    socket.send("{\"envelope_id\":\"env-6\",\"type\":\"events_api\",\"payload\":{\"type\":\"event_callback\"}}");

    assertThat(JSON.readTree(next(frames))).isEqualTo(JSON.readTree("{\"envelope_id\":\"env-6\"}"));
    assertThat(router.awaitIdle(Duration.ofSeconds(20))).isTrue();
    assertThat(apiCalls).isEmpty();
  }
}
