package ai.chatops.gcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.toolkit.QueuedEventJson;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.ChatEvent;
import ai.chatops.store.InMemoryStore;
import ai.chatops.test.RecordingService;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The push worker's answers, which tell Pub/Sub to acknowledge, retry or dead-letter. */
class PubSubPushWorkerTest {
  private static final String TOKEN = "push-verification-token-0123456789";
  private final RecordingService chat = RecordingService.create();
  private final InMemoryStore store = InMemoryStore.create();
  private final EventRouter router = EventRouter.builder().service(chat).plugin(BotPlugin.create()).store(store)
      .build();
  private final List<ChatEvent> queued = new CopyOnWriteArrayList<>();
  // The worker processes what an ack router journalled as queued: that router, with a dispatcher keeping it.
  private final EventRouter ack = EventRouter.builder().service(RecordingService.create()).plugin(BotPlugin.create())
      .store(store).dispatcher(queued::add).build();
  private final PubSubPushWorker worker = PubSubPushWorker.create(() -> router, TOKEN);

  @AfterEach
  void close() {
    router.close();
    ack.close();
  }

  private static WebhookRequest push(String query, String data) {
    return WebhookRequest.builder("POST", "/").query(query)
        .body("{\"message\":{\"messageId\":\"m1\",\"data\":\"" + data + "\"},\"subscription\":\"s\"}").build();
  }

  private static String data(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String event(String service) {
    return data(QueuedEventJson.write(ChatEvent.builder(service, "E1").workspace("W1").channel("C1").user("U1")
        .text("bot ping").time(Instant.EPOCH).build()));
  }

  @Test
  void processesAnAcknowledgedEventOnceAndAcknowledgesItsRedeliveryWith204() {
    RecordingService platform = RecordingService.create();
    assertThat(ack.handle(platform.request().id("E1").text("bot ping").build()).status()).isEqualTo(200);
    String data = data(QueuedEventJson.write(queued.get(0)));

    assertThat(worker.handle(push("token=" + TOKEN, data)).status()).isEqualTo(204);
    assertThat(chat.nextReply().text()).isEqualTo("pong");

    assertThat(worker.handle(push("token=" + TOKEN, data)).status()).isEqualTo(204);
    chat.assertNoReply(router);
  }

  @Test
  void refusesAMissingOrWrongTokenWith401BeforeReadingTheBody() {
    WebhookResponse none = worker.handle(push("", event("test")));
    WebhookResponse wrong = worker.handle(push("token=" + TOKEN + "x", event("test")));

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.bodyAsString()).isEqualTo("missing or wrong verification token");
    assertThat(wrong.status()).isEqualTo(401);
    chat.assertNoReply(router);
  }

  @Test
  void answers400ForWhatIsNotAQueuedEventSoPubSubDeadLettersIt() {
    assertThat(worker.handle(push("token=" + TOKEN, data("not json"))).bodyAsString())
        .startsWith("not a queued event: a queued event must be a JSON object but could not be parsed");
    assertThat(worker.handle(push("token=" + TOKEN, "%%%")).status()).isEqualTo(400);
    assertThat(worker.handle(push("token=" + TOKEN, event("nope"))).status()).isEqualTo(400);
    assertThat(worker.handle(WebhookRequest.builder("POST", "/").query("token=" + TOKEN).body("[]").build())
        .bodyAsString()).isEqualTo("not a queued event: a Pub/Sub push must be a JSON object with a \"message\" object");
  }

  @Test
  void answers405ToAnythingButPost() {
    WebhookResponse response = worker.handle(WebhookRequest.builder("GET", "/").query("token=" + TOKEN).build());

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("Allow")).contains("POST");
  }

  @Test
  void aShortTokenIsRefusedAndTheTokenIsNeverPrinted() {
    assertThatThrownBy(() -> PubSubPushWorker.create(() -> router, "short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the verification token must have at least 16 characters but had 5");
    assertThat(worker.toString()).doesNotContain(TOKEN);
  }
}
