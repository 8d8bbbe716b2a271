package ai.chatops.x;

import static ai.chatops.x.XApi.WAIT;
import static ai.chatops.x.XApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.http.ApiException;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.store.InMemoryStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The X service through a router, against an X API stand-in that answers as X documents. */
class XServiceTest {
  private final XApi xApi = new XApi();
  private final InMemoryStore store = InMemoryStore.create();
  private XService x;
  private EventRouter router;

  @BeforeEach
  void start() {
    x = xApi.service().build();
    router = EventRouter.builder().service(x).store(store).plugin(BotPlugin.create()).plugin(new DeployPlugin())
        .build();
  }

  @AfterEach
  void stop() {
    router.close();
    xApi.close();
  }

  private WebhookResponse crc(String query) {
    return router.handle(WebhookRequest.builder("GET", "/x/webhook").query(query).build());
  }

  @Test
  void answersTheChallengeResponseCheckWithTheBase64Hmac() throws Exception {
    WebhookResponse response = crc("crc_token=" + java.net.URLEncoder.encode("Zm9v+bar/=", StandardCharsets.UTF_8));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(XApi.JSON.readTree(response.bodyAsString())).isEqualTo(XApi.JSON.createObjectNode()
        .put("response_token", XApi.sign(XApi.CONSUMER_SECRET, "Zm9v+bar/=".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void refusesAChallengeWithoutAToken() {
    WebhookResponse none = crc("");
    WebhookResponse twice = crc("crc_token=a&crc_token=b");

    assertThat(none.status()).isEqualTo(400);
    assertThat(none.bodyAsString()).isEqualTo("a CRC request needs one crc_token query parameter");
    assertThat(twice.status()).isEqualTo(400);
  }

  @Test
  void answersADirectMessageInTheConversationWithTheSender() throws Exception {
    assertThat(router.handle(XApi.signed(XApi.dm("1001", "bot ping"))).status()).isEqualTo(200);

    RecordedRequest sent = xApi.next();
    assertThat(sent.getMethod() + " " + sent.getUrl().encodedPath())
        .isEqualTo("POST /2/dm_conversations/with/" + XApi.USER + "/messages");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + XApi.BOT_TOKEN);
    assertThat(body(sent)).isEqualTo(XApi.JSON.readTree("{\"text\":\"pong\"}"));
  }

  @Test
  void asksHowToAnswerInTextAndTheTypedAnswerContinuesTheConversation() throws Exception {
    router.handle(XApi.signed(XApi.dm("1001", "deploy start ID=api")));
    assertThat(body(xApi.next()).path("text").asText()).isEqualTo("Run deploy start ID=api?\nReply yes or no.");

    router.handle(XApi.signed(XApi.dm("1002", "yes")));

    assertThat(body(xApi.next()).path("text").asText()).isEqualTo("Deployed api: SUCCESS\nVersion: 1.2.3\n"
        + "Pipeline: https://ci.example.com/deploy/7");
  }

  @Test
  void writesAPluginsChoicesAsNumbersToTypeThatOnlyTheAskersAnswerRuns() throws Exception {
    router.handle(XApi.signed(XApi.dm("1001", "deploy offer")));
    // The choice's command stays with the router, under the asker's conversation; the words to type are numbers.
    assertThat(body(xApi.next()).path("text").asText()).isEqualTo("Deploy 7 is live. What next?\n"
        + "Pipeline: https://ci.example.com/deploy/7\nReply 1 (Status) or 2 (Deploy api).");

    // Another account typing the same number in its own conversation with the bot picks nothing of the asker's.
    String stranger = "3333333333";
    router.handle(XApi.signed(XApi.dm("1002", stranger, XApi.BOT, "1")));
    RecordedRequest toStranger = xApi.next();
    assertThat(toStranger.getUrl().encodedPath()).isEqualTo("/2/dm_conversations/with/" + stranger + "/messages");
    assertThat(body(toStranger).path("text").asText()).startsWith("Sorry, I didn't understand that.");

    router.handle(XApi.signed(XApi.dm("1003", "1")));

    RecordedRequest picked = xApi.next();
    assertThat(picked.getUrl().encodedPath()).isEqualTo("/2/dm_conversations/with/" + XApi.USER + "/messages");
    assertThat(body(picked).path("text").asText()).isEqualTo("Deploy 7: all green");
  }

  @Test
  void ignoresTheBotsOwnMessagesAndOtherActivity() {
    ObjectNode own = XApi.dm("1001", XApi.BOT, XApi.USER, "pong");
    ObjectNode tweets = XApi.JSON.createObjectNode().put("for_user_id", XApi.BOT);
    tweets.putArray("tweet_create_events").addObject().put("id_str", "1").put("text", "@bot ping");
    ObjectNode typing = XApi.JSON.createObjectNode().put("for_user_id", XApi.BOT);
    typing.putArray("direct_message_indicate_typing_events").addObject().put("sender_id", XApi.USER);
    ObjectNode otherKind = XApi.dm("1002", "bot ping");
    ((ObjectNode) otherKind.path("direct_message_events").path(0)).put("type", "message_delete");

    for (ObjectNode delivery : java.util.List.of(own, tweets, typing, otherKind)) {
      assertThat(router.handle(XApi.signed(delivery)).status()).isEqualTo(200);
    }

    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(xApi.api.getRequestCount()).isZero();
  }

  @Test
  void postsAKeyedFollowUpAsANewMessage() throws Exception {
    Conversation conversation = Conversation.of("x", XApi.BOT, XApi.USER);

    x.deliver(conversation, Reply.text("Queued api-server").withKey("ev-1"));
    x.deliver(conversation, Reply.text("api-server #12: SUCCESS").withKey("ev-1"));

    assertThat(body(xApi.next()).path("text").asText()).isEqualTo("Queued api-server");
    assertThat(body(xApi.next()).path("text").asText()).isEqualTo("api-server #12: SUCCESS");
  }

  @Test
  void writesChoicesWhoseLabelDiffersBesideTheirValue() throws Exception {
    Reply reply = Reply.builder("Which branch?").choice("main", "main").choice("Release 2", "release-2")
        .choice("Dev", "dev").build();

    x.deliver(Conversation.of("x", XApi.BOT, XApi.USER), reply);

    assertThat(body(xApi.next()).path("text").asText())
        .isEqualTo("Which branch?\nReply main, release-2 (Release 2) or dev.");
  }

  @Test
  void splitsAReplyLongerThanADirectMessage() throws Exception {
    String text = "line\n".repeat(2500).trim(); // 12,499 characters

    x.deliver(Conversation.of("x", XApi.BOT, XApi.USER), Reply.text(text));

    String first = body(xApi.next()).path("text").asText();
    String second = body(xApi.next()).path("text").asText();
    assertThat(first).hasSizeLessThanOrEqualTo(10_000);
    assertThat(first + "\n" + second).isEqualTo(text);
  }

  @Test
  void retriesA429AndA503AfterRetryAfterAndA500ThenDelivers() {
    xApi.queue(429, "{\"title\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}");
    xApi.queue(503, "{\"title\":\"Service Unavailable\"}");
    xApi.queue(500, "{\"title\":\"Internal Error\"}");

    x.deliver(Conversation.of("x", XApi.BOT, XApi.USER), Reply.text("hello"));

    assertThat(xApi.api.getRequestCount()).isEqualTo(4);
  }

  @Test
  void reportsARefusalWithItsStatusAndWithoutTheToken() {
    xApi.queue(403, "{\"detail\":\"You are not permitted to send a DM to this user.\",\"status\":403}");

    assertThatThrownBy(() -> x.deliver(Conversation.of("x", XApi.BOT, XApi.USER), Reply.text("hello")))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(403))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(XApi.BOT_TOKEN));
    assertThat(xApi.api.getRequestCount()).isEqualTo(1);
  }

  @Test
  void refusesToBuildWithoutItsSettingsOrWithAPlainHttpApi() {
    assertThatThrownBy(() -> XService.builder().botToken("t").botUserId("1").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("XService needs a consumerSecret (the app's Keys and tokens > API Key Secret)");
    assertThatThrownBy(() -> xApi.service().botUserId("@chatops").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("XService botUserId must be a numeric user id but was '@chatops'");
    assertThatThrownBy(() -> xApi.service().apiUrl("http://api.x.com/").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("XService apiUrl must be an https URL (or http to a loopback address) but was 'http://api.x.com/'");
  }

  @Test
  void neverPrintsItsSecrets() {
    assertThat(x.toString()).doesNotContain(XApi.CONSUMER_SECRET).doesNotContain(XApi.BOT_TOKEN)
        .startsWith("XService{x at /x/webhook, user " + XApi.BOT);
  }
}
