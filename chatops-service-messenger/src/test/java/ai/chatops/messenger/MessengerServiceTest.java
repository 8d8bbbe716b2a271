package ai.chatops.messenger;

import static ai.chatops.messenger.Meta.WAIT;
import static ai.chatops.messenger.Meta.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.http.ApiException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.store.InMemoryStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Messenger service through a router, against a Graph API stand-in that answers as Meta documents. */
class MessengerServiceTest {
  private final Meta meta = new Meta();
  private final InMemoryStore store = InMemoryStore.create();
  private final CountDownLatch release = new CountDownLatch(1);
  private MessengerService messenger;
  private EventRouter router;

  @BeforeEach
  void start() {
    start(meta.service().build());
  }

  private void start(MessengerService service) {
    if (router != null) {
      router.close();
      messenger.close();
    }
    messenger = service;
    router = EventRouter.builder().service(messenger).store(store).plugin(BotPlugin.create())
        .plugin(new DeployPlugin()).plugin(new SlowPlugin(release)).build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    router.close();
    messenger.close();
    meta.close();
  }

  /** A plugin that answers only once the test lets it: {@code slow run}. */
  static final class SlowPlugin implements Plugin {
    private final CountDownLatch release;

    SlowPlugin(CountDownLatch release) {
      this.release = release;
    }

    @Override
    public String name() {
      return "slow";
    }

    @Override
    public ai.chatops.plugin.PluginConfig config() {
      return ai.chatops.plugin.PluginConfig.parse("slow", "Version: 0.0.1\nRoutes:\n  - /v1/slow/run: Runs slowly\n");
    }

    @Override
    public Action trigger(Invocation invocation) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Action.reply("done slowly");
    }
  }

  private WebhookResponse handshake(String query) {
    return router.handle(WebhookRequest.builder("GET", "/messenger/webhook").query(query).build());
  }

  @Test
  void answersTheSubscriptionHandshakeWithTheChallengeAsPlainText() {
    WebhookResponse ok = handshake("hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=1158201444");
    WebhookResponse wrong = handshake("hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");
    WebhookResponse noMode = handshake("hub.verify_token=verify-me-please&hub.challenge=1158201444");

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.bodyAsString()).isEqualTo("1158201444");
    assertThat(ok.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.bodyAsString()).doesNotContain("verify-me-please").doesNotContain("1158201444");
    assertThat(noMode.status()).isEqualTo(403);
  }

  @Test
  void refusesAHandshakeWithoutAChallenge() {
    WebhookResponse none = handshake("hub.mode=subscribe&hub.verify_token=verify-me-please");

    assertThat(none.status()).isEqualTo(400);
    assertThat(none.bodyAsString()).isEqualTo("hub.challenge must be 1 to 200 printable ASCII characters");
  }

  @Test
  void answersATextMessageThroughTheSendApiWithThePageTokenInAHeader() throws Exception {
    WebhookResponse ack = router.handle(Meta.signed(Meta.text("m_1", "bot ping")));

    assertThat(ack.status()).isEqualTo(200);
    RecordedRequest sent = meta.next();
    assertThat(sent.getMethod() + " " + sent.getUrl().encodedPath()).isEqualTo("POST /v24.0/me/messages");
    assertThat(sent.getUrl().query()).isNull();
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + Meta.PAGE_TOKEN);
    assertThat(body(sent)).isEqualTo(Meta.JSON.readTree("{\"recipient\":{\"id\":\"" + Meta.USER + "\"},"
        + "\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"pong\"}}"));
  }

  @Test
  void asksWithQuickRepliesAndTheTappedPayloadContinuesTheConversation() throws Exception {
    router.handle(Meta.signed(Meta.text("m_1", "deploy start ID=api")));
    JsonNode question = body(meta.next()).path("message");
    assertThat(question.path("text").asText()).isEqualTo("Run deploy start ID=api?");
    assertThat(question.path("quick_replies")).isEqualTo(Meta.JSON.readTree("[{\"content_type\":\"text\","
        + "\"title\":\"Yes\",\"payload\":\"yes\"},{\"content_type\":\"text\",\"title\":\"No\",\"payload\":\"no\"}]"));

    assertThat(router.handle(Meta.signed(Meta.quickReply("m_2", "Yes", "yes"))).status()).isEqualTo(200);

    assertThat(body(meta.next()).path("message")).isEqualTo(Meta.JSON.readTree("{\"attachment\":{\"type\":"
        + "\"template\",\"payload\":{\"template_type\":\"button\",\"text\":\"Deployed api: SUCCESS\\nVersion: 1.2.3\","
        + "\"buttons\":[{\"type\":\"web_url\",\"url\":\"https://ci.example.com/deploy/7\",\"title\":\"Pipeline\"}]}}}"));
  }

  @Test
  void offersAPluginsChoicesAsQuickRepliesThatOnlyTheAskersTapRuns() throws Exception {
    router.handle(Meta.signed(Meta.text("m_1", "deploy offer")));
    JsonNode offer = body(meta.next()).path("message");
    assertThat(offer.path("attachment").path("payload").path("text").asText()).isEqualTo("Deploy 7 is live. What next?");
    assertThat(offer.path("attachment").path("payload").path("buttons").path(0).path("url").asText())
        .isEqualTo("https://ci.example.com/deploy/7");
    // The choice's command stays with the router, under the asker's conversation; the button carries its number.
    assertThat(offer.path("quick_replies")).isEqualTo(Meta.JSON.readTree("[{\"content_type\":\"text\","
        + "\"title\":\"Status\",\"payload\":\"1\"},{\"content_type\":\"text\",\"title\":\"Deploy api\","
        + "\"payload\":\"2\"}]"));

    // Someone else's DM with the same payload (a forwarded or guessed one) is their own "1", not the asker's pick.
    com.fasterxml.jackson.databind.node.ObjectNode stranger = Meta.quickReply("m_2", "Status", "1");
    ((com.fasterxml.jackson.databind.node.ObjectNode) stranger.path("entry").path(0).path("messaging").path(0)
        .path("sender")).put("id", "7654321000");
    assertThat(router.handle(Meta.signed(stranger)).status()).isEqualTo(200);
    JsonNode toStranger = body(meta.next());
    assertThat(toStranger.path("recipient").path("id").asText()).isEqualTo("7654321000");
    assertThat(toStranger.path("message").path("text").asText()).startsWith("Sorry, I didn't understand that.");

    assertThat(router.handle(Meta.signed(Meta.quickReply("m_3", "Status", "1"))).status()).isEqualTo(200);

    JsonNode picked = body(meta.next());
    assertThat(picked.path("recipient").path("id").asText()).isEqualTo(Meta.USER);
    assertThat(picked.path("message").path("text").asText()).isEqualTo("Deploy 7: all green");
  }

  @Test
  void sendsALinkAfterATextTooLongForAButtonTemplate() throws Exception {
    String paragraph = "word ".repeat(200).trim(); // 999 characters
    Reply reply = Reply.builder(paragraph).link("Build log", "https://ci.example.com/job/api/12/console")
        .choice("Retry", "retry").build();

    messenger.deliver(Conversation.of("messenger", Meta.PAGE, Meta.USER), reply);

    JsonNode text = body(meta.next()).path("message");
    JsonNode button = body(meta.next()).path("message");
    assertThat(text).isEqualTo(Meta.JSON.createObjectNode().put("text", paragraph));
    assertThat(button.path("attachment").path("payload")).isEqualTo(Meta.JSON.readTree("{\"template_type\":"
        + "\"button\",\"text\":\"Build log\",\"buttons\":[{\"type\":\"web_url\","
        + "\"url\":\"https://ci.example.com/job/api/12/console\",\"title\":\"Build log\"}]}"));
    assertThat(button.path("quick_replies").path(0).path("payload").asText()).isEqualTo("retry");
  }

  @Test
  void takesAPostbackPayloadAsWhatTheUserSaid() throws Exception {
    router.handle(Meta.signed(Meta.postback(1_700_000_000_777L, "Ping", "bot ping")));

    assertThat(body(meta.next()).path("message").path("text").asText()).isEqualTo("pong");
  }

  @Test
  void acknowledgesEchoesReceiptsAndAttachmentsAndSendsNothing() {
    com.fasterxml.jackson.databind.node.ObjectNode echo = Meta.item(1L);
    echo.putObject("message").put("mid", "m_echo").put("text", "pong").put("is_echo", true);
    com.fasterxml.jackson.databind.node.ObjectNode delivery = Meta.item(2L);
    delivery.putObject("delivery").putArray("mids").add("m_echo");
    com.fasterxml.jackson.databind.node.ObjectNode read = Meta.item(3L);
    read.putObject("read").put("watermark", 3L);
    com.fasterxml.jackson.databind.node.ObjectNode image = Meta.item(4L);
    image.putObject("message").put("mid", "m_img").putArray("attachments").addObject().put("type", "image");

    for (com.fasterxml.jackson.databind.node.ObjectNode item : java.util.List.of(echo, delivery, read, image)) {
      assertThat(router.handle(Meta.signed(Meta.batch(item))).status()).isEqualTo(200);
    }

    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(meta.graph.getRequestCount()).isZero();
  }

  @Test
  void handlesARedeliveryOnce() throws Exception {
    assertThat(router.handle(Meta.signed(Meta.text("m_1", "bot ping"))).status()).isEqualTo(200);
    assertThat(router.handle(Meta.signed(Meta.text("m_1", "bot ping"))).status()).isEqualTo(200);

    meta.next();
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(meta.graph.getRequestCount()).isEqualTo(1);
  }

  @Test
  void takesEveryMessageOfABatch() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode batch = Meta.text("m_1", "bot ping");
    com.fasterxml.jackson.databind.node.ObjectNode second = Meta.item(5L);
    second.putObject("message").put("mid", "m_2").put("text", "bot ping");
    ((com.fasterxml.jackson.databind.node.ArrayNode) batch.path("entry").path(0).path("messaging")).add(second);

    router.handle(Meta.signed(batch));

    meta.next();
    meta.next();
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(meta.graph.getRequestCount()).isEqualTo(2);
  }

  @Test
  void showsTheTypingIndicatorWhileAPluginWorksThenAnswers() throws Exception {
    start(meta.service().typingDelay(Duration.ZERO).build());

    router.handle(Meta.signed(Meta.text("m_1", "slow run")));

    JsonNode typing = body(meta.next());
    assertThat(typing).isEqualTo(Meta.JSON.readTree("{\"recipient\":{\"id\":\"" + Meta.USER + "\"},"
        + "\"sender_action\":\"typing_on\"}"));
    release.countDown();
    assertThat(body(meta.next()).path("message").path("text").asText()).isEqualTo("done slowly");
  }

  @Test
  void sendsNoTypingIndicatorForAnAnswerFasterThanTheDelay() throws Exception {
    router.handle(Meta.signed(Meta.text("m_1", "bot ping")));

    assertThat(body(meta.next()).path("message").path("text").asText()).isEqualTo("pong");
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(meta.graph.getRequestCount()).isEqualTo(1);
  }

  @Test
  void splitsALongReplyAtTheTwoThousandCharacterLimitWithTheQuickRepliesOnTheLastPart() throws Exception {
    String paragraph = "word ".repeat(500).trim(); // 2,499 characters
    Reply reply = Reply.builder(paragraph).choice("Yes", "yes").choice("No", "no").build();

    messenger.deliver(Conversation.of("messenger", Meta.PAGE, Meta.USER), reply);

    JsonNode first = body(meta.next()).path("message");
    JsonNode second = body(meta.next()).path("message");
    assertThat(first.path("text").asText()).hasSizeLessThanOrEqualTo(2000).endsWith("word");
    assertThat(first.has("quick_replies")).isFalse();
    assertThat(first.path("text").asText() + " " + second.path("text").asText()).isEqualTo(paragraph);
    assertThat(second.path("quick_replies").size()).isEqualTo(2);
  }

  @Test
  void listsMoreChoicesThanQuickRepliesCanHoldAsWordsToType() throws Exception {
    Reply.Builder reply = Reply.builder("Which job?");
    for (int i = 1; i <= 14; i++) {
      reply.choice("job-" + i, "job-" + i);
    }

    messenger.deliver(Conversation.of("messenger", Meta.PAGE, Meta.USER), reply.build());

    JsonNode message = body(meta.next()).path("message");
    assertThat(message.has("quick_replies")).isFalse();
    assertThat(message.path("text").asText()).startsWith("Which job?\nReply job-1, job-2, ")
        .endsWith("job-13 or job-14.");
  }

  @Test
  void postsAKeyedFollowUpAsANewMessage() throws Exception {
    Conversation conversation = Conversation.of("messenger", Meta.PAGE, Meta.USER);

    messenger.deliver(conversation, Reply.text("Queued api-server").withKey("ev-1"));
    messenger.deliver(conversation, Reply.text("api-server #12: SUCCESS").withKey("ev-1"));

    assertThat(body(meta.next()).path("message").path("text").asText()).isEqualTo("Queued api-server");
    RecordedRequest second = meta.next();
    assertThat(second.getMethod() + " " + second.getUrl().encodedPath()).isEqualTo("POST /v24.0/me/messages");
    assertThat(body(second).path("message").path("text").asText()).isEqualTo("api-server #12: SUCCESS");
  }

  @Test
  void retriesA429AfterRetryAfterAndA500ThenDelivers() throws Exception {
    meta.queue(429, "{\"error\":{\"message\":\"(#613) Calls to this api have exceeded the rate limit.\"}}");
    meta.queue(500, "{\"error\":{\"message\":\"An unexpected error has occurred.\",\"code\":2}}");

    messenger.deliver(Conversation.of("messenger", Meta.PAGE, Meta.USER), Reply.text("hello"));

    assertThat(meta.graph.getRequestCount()).isEqualTo(3);
  }

  @Test
  void givesUpAfterTheBoundedRetriesWithTheApisStatus() {
    for (int i = 0; i < 3; i++) {
      meta.queue(502, "{}");
    }

    assertThatThrownBy(() -> messenger.deliver(Conversation.of("messenger", Meta.PAGE, Meta.USER),
        Reply.text("hello"))).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(502))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Meta.PAGE_TOKEN));
    assertThat(meta.graph.getRequestCount()).isEqualTo(3);
  }

  @Test
  void refusesToBuildWithoutItsSecretsOrWithAPlainHttpApi() {
    assertThatThrownBy(() -> MessengerService.builder().verifyToken("v").pageToken("p").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("MessengerService needs an appSecret (App settings > Basic > App secret)");
    assertThatThrownBy(() -> meta.service().apiUrl("http://graph.example.com/v24.0/").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("MessengerService apiUrl must be an https URL (or http to a loopback address) but was"
            + " 'http://graph.example.com/v24.0/'");
  }

  @Test
  void neverPrintsItsSecrets() {
    assertThat(messenger.toString()).doesNotContain(Meta.APP_SECRET).doesNotContain(Meta.VERIFY_TOKEN)
        .doesNotContain(Meta.PAGE_TOKEN).startsWith("MessengerService{messenger at /messenger/webhook");
  }
}
