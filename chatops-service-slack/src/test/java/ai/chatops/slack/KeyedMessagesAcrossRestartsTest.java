package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.store.InMemoryStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A follow-up resumed after a restart edits its request's message: the keyed message is kept in the router's
 * store, so a new process (another SlackService on the same store) updates it with chat.update.
 */
class KeyedMessagesAcrossRestartsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Conversation WHERE = new Conversation("slack", "T1", "C1", Optional.of("1700000000.000100"));

  private final MockWebServer server = new MockWebServer();
  private final InMemoryStore store = InMemoryStore.create();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SlackService.Builder process() {
    return SlackService.builder().signingSecret("secret").botToken("xoxb-t").apiUrl(server.url("/api/").toString())
        .pacing(Duration.ZERO);
  }

  private void answer(String ts) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"" + ts + "\"}").build());
  }

  private String taken() throws Exception {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    return request.getUrl().encodedPath() + " " + JSON.readTree(request.getBody().utf8()).path("ts").asText("-");
  }

  @Test
  void theResumedFollowUpUpdatesTheMessageTheStoppedProcessPosted() throws Exception {
    answer("1700000000.000200");
    answer("1700000000.000200");
    process().messageStore(store).build().deliver(WHERE, Reply.text("Queued api-server").withKey("event:Ev1"));

    process().messageStore(store).build().deliver(WHERE, Reply.text("api-server #12: SUCCESS").withKey("event:Ev1"));

    assertThat(taken()).isEqualTo("/api/chat.postMessage -");
    assertThat(taken()).isEqualTo("/api/chat.update 1700000000.000200");
    assertThat(store.list("slack-message/", null, 10).entries()).hasSize(1);
  }

  @Test
  void withoutAStoreTheNewProcessPostsAnew() throws Exception {
    answer("1700000000.000200");
    answer("1700000000.000300");
    process().build().deliver(WHERE, Reply.text("Queued api-server").withKey("event:Ev1"));

    process().build().deliver(WHERE, Reply.text("api-server #12: SUCCESS").withKey("event:Ev1"));

    assertThat(taken()).isEqualTo("/api/chat.postMessage -");
    assertThat(taken()).isEqualTo("/api/chat.postMessage -");
  }

  @Test
  void keepsOtherChannelsAndKeysApart() throws Exception {
    answer("1700000000.000200");
    answer("1700000000.000300");
    process().messageStore(store).build().deliver(WHERE, Reply.text("Queued api-server").withKey("event:Ev1"));

    process().messageStore(store).build().deliver(new Conversation("slack", "T1", "C2", Optional.empty()),
        Reply.text("Queued web").withKey("event:Ev1"));

    assertThat(taken()).isEqualTo("/api/chat.postMessage -");
    assertThat(taken()).isEqualTo("/api/chat.postMessage -");
  }
}
