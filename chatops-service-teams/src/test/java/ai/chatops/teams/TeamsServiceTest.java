package ai.chatops.teams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.store.InMemoryStore;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Teams service behind a real router: activities signed by the test's key go in through
 * {@link EventRouter#handle}, and what the bot says arrives at the Bot Connector stand-in.
 */
class TeamsServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BotFramework bf = new BotFramework();
  private final InMemoryStore store = InMemoryStore.create();
  private TeamsService teams;
  private EventRouter router;

  @BeforeEach
  void start() {
    start(bf.service().store(store).build());
  }

  private void start(TeamsService service) {
    if (router != null) {
      router.close();
      teams.close();
    }
    teams = service;
    router = EventRouter.builder().service(teams).store(store).plugin(BotPlugin.create())
        .plugin(new DeployPlugin()).build();
    Wait.until("the Bot Connector's keys", WAIT, teams::keysLoaded);
  }

  @AfterEach
  void stop() {
    router.close();
    teams.close();
    bf.close();
  }

  private WebhookResponse send(ObjectNode activity) {
    return send(bf.token(), activity);
  }

  private WebhookResponse send(String token, ObjectNode activity) {
    return router.handle(WebhookRequest.builder("POST", "/api/messages")
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(activity.toString())
        .build());
  }

  private RecordedRequest nextConnectorCall() throws InterruptedException {
    RecordedRequest request = bf.connector.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request).as("a call to the Bot Connector").isNotNull();
    return request;
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().utf8());
  }

  private static String line(RecordedRequest request) {
    return request.getMethod() + " " + request.getUrl().encodedPath();
  }

  @Test
  void repliesToAPersonalMessageWithTheBotsToken() throws Exception {
    WebhookResponse ack = send(bf.message("act-1", "bot ping"));

    assertThat(ack.status()).isEqualTo(200);
    RecordedRequest reply = nextConnectorCall();
    assertThat(line(reply)).isEqualTo("POST /teams/v3/conversations/a%3Apersonal-1/activities/act-1");
    assertThat(reply.getHeaders().get("Authorization")).isEqualTo("Bearer bot-token-1");
    JsonNode activity = body(reply);
    assertThat(activity.path("type").asText()).isEqualTo("message");
    assertThat(activity.path("text").asText()).isEqualTo("pong");
    assertThat(activity.path("textFormat").asText()).isEqualTo("plain");
    assertThat(activity.path("replyToId").asText()).isEqualTo("act-1");
    assertThat(activity.path("conversation").path("id").asText()).isEqualTo("a:personal-1");
    RecordedRequest grant = bf.login.takeRequest(1, TimeUnit.SECONDS);
    while (grant != null && !grant.getUrl().encodedPath().endsWith("/token")) {
      grant = bf.login.takeRequest(1, TimeUnit.SECONDS);
    }
    assertThat(grant).isNotNull();
    assertThat(grant.getBody().utf8()).isEqualTo("grant_type=client_credentials&client_id=" + BotFramework.APP_ID
        + "&client_secret=" + BotFramework.APP_PASSWORD + "&scope=https%3A%2F%2Fapi.botframework.com%2F.default");
  }

  @Test
  void stripsMentionsAndAnswersInTheChannelThread() throws Exception {
    ObjectNode activity = bf.activity("message", "1700000000123", "19:general@thread.tacv2;messageid=1700000000123")
        .put("text", "<at>ChatOps</at> bot ping\n");

    assertThat(send(activity).status()).isEqualTo(200);

    RecordedRequest reply = nextConnectorCall();
    assertThat(line(reply)).isEqualTo("POST /teams/v3/conversations/"
        + "19%3Ageneral%40thread.tacv2%3Bmessageid%3D1700000000123/activities/1700000000123");
    assertThat(body(reply).path("text").asText()).isEqualTo("pong");
  }

  @Test
  void reusesTheAccessTokenForTheNextReply() throws Exception {
    send(bf.message("act-1", "bot ping"));
    nextConnectorCall();
    send(bf.message("act-2", "bot ping"));

    RecordedRequest second = nextConnectorCall();
    assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer bot-token-1");
    assertThat(bf.tokenFetches.get()).isEqualTo(1);
  }

  @Test
  void renewsTheTokenOnceWhenTheConnectorAnswers401() throws Exception {
    bf.connectorAnswers.add(BotFramework.json(401, "{\"error\":{\"code\":\"Unauthorized\"}}"));

    send(bf.message("act-1", "bot ping"));

    assertThat(nextConnectorCall().getHeaders().get("Authorization")).isEqualTo("Bearer bot-token-1");
    RecordedRequest retried = nextConnectorCall();
    assertThat(retried.getHeaders().get("Authorization")).isEqualTo("Bearer bot-token-2");
    assertThat(body(retried).path("text").asText()).isEqualTo("pong");
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.tokenFetches.get()).isEqualTo(2);
  }

  @Test
  void retriesServerErrorsAndTooManyRequestsABoundedNumberOfTimes() throws Exception {
    bf.connectorAnswers.add(new mockwebserver3.MockResponse.Builder().code(429).addHeader("Retry-After", "0").build());
    bf.connectorAnswers.add(BotFramework.json(502, "{}"));

    send(bf.message("act-1", "bot ping"));

    nextConnectorCall();
    nextConnectorCall();
    assertThat(body(nextConnectorCall()).path("text").asText()).isEqualTo("pong");
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isEqualTo(3);
  }

  @Test
  void givesUpAfterTheLastServerErrorRetry() throws Exception {
    for (int i = 0; i < 3; i++) {
      bf.connectorAnswers.add(BotFramework.json(500, "{}"));
    }

    send(bf.message("act-1", "bot ping"));

    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isEqualTo(3);
  }

  @Test
  void processesARedeliveredActivityOnce() throws Exception {
    ObjectNode activity = bf.message("act-1", "bot ping");

    assertThat(send(activity).status()).isEqualTo(200);
    assertThat(send(activity).status()).isEqualTo(200);

    nextConnectorCall();
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isEqualTo(1);
  }

  @Test
  void greetsWhenAddedToATeam() throws Exception {
    ObjectNode update = bf.activity("conversationUpdate", "upd-1", "19:general@thread.tacv2");
    update.putArray("membersAdded").addObject().put("id", BotFramework.BOT_ID);

    assertThat(send(update).status()).isEqualTo(200);

    RecordedRequest greeting = nextConnectorCall();
    assertThat(line(greeting)).isEqualTo("POST /teams/v3/conversations/19%3Ageneral%40thread.tacv2/activities/upd-1");
    assertThat(body(greeting).path("text").asText()).isEqualTo("Hi! Say `help` to see what I can do.");
  }

  @Test
  void acknowledgesAndIgnoresOtherMembersAndUnknownTypes() throws Exception {
    ObjectNode update = bf.activity("conversationUpdate", "upd-2", "19:general@thread.tacv2");
    update.putArray("membersAdded").addObject().put("id", "29:someone-else");

    assertThat(send(update).status()).isEqualTo(200);
    assertThat(send(bf.activity("typing", "t-1", "a:personal-1")).status()).isEqualTo(200);
    assertThat(send(bf.activity("messageReaction", "r-1", "a:personal-1")).status()).isEqualTo(200);

    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isZero();
  }

  @Test
  void asksWithAnAdaptiveCardAndTheAskersClickContinuesTheConversation() throws Exception {
    send(bf.message("act-1", "deploy start ID=api"));
    JsonNode question = body(nextConnectorCall());
    assertThat(question.path("summary").asText()).isEqualTo("Run deploy start ID=api?");
    JsonNode card = question.path("attachments").path(0);
    assertThat(card.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
    JsonNode yes = card.path("content").path("actions").path(0);
    assertThat(yes.path("type").asText()).isEqualTo("Action.Execute");
    assertThat(yes.path("title").asText()).isEqualTo("Yes");
    assertThat(yes.path("fallback").path("type").asText()).isEqualTo("Action.Submit");

    // Another user's click is their own "yes": it answers nothing of theirs and runs nothing.
    ObjectNode stranger = bf.activity("invoke", "inv-0", "a:personal-1").put("name", "adaptiveCard/action");
    ((ObjectNode) stranger.path("from")).put("aadObjectId", "aad-2").put("id", "29:user-2");
    stranger.putObject("value").putObject("action").put("type", "Action.Execute").put("verb", "chatops.choice")
        .set("data", yes.path("data"));
    assertThat(send(stranger).status()).isEqualTo(200);
    assertThat(body(nextConnectorCall()).path("text").asText()).doesNotContain("Deployed");

    ObjectNode click = bf.activity("invoke", "inv-1", "a:personal-1").put("name", "adaptiveCard/action");
    click.putObject("value").putObject("action").put("type", "Action.Execute").put("verb", "chatops.choice")
        .set("data", yes.path("data"));
    WebhookResponse answer = send(click);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(JSON.readTree(answer.bodyAsString())).isEqualTo(JSON.readTree(
        "{\"statusCode\":200,\"type\":\"application/vnd.microsoft.activity.message\",\"value\":\"Got it.\"}"));
    JsonNode result = body(nextConnectorCall());
    JsonNode content = result.path("attachments").path(0).path("content");
    assertThat(result.path("summary").asText()).isEqualTo("\u2705 Deployed api: SUCCESS");
    assertThat(content.path("body").path(0).path("text").asText()).isEqualTo("\u2705 Deployed api: SUCCESS");
    assertThat(content.path("body").path(1).path("facts").path(0).path("title").asText()).isEqualTo("Version");
    assertThat(content.path("actions").path(0).path("type").asText()).isEqualTo("Action.OpenUrl");
    assertThat(content.path("actions").path(0).path("url").asText()).isEqualTo("https://ci.example.com/deploy/7");
  }

  /** A click on a card's choice in the channel thread {@code root}, by the user with this Azure AD object id. */
  private ObjectNode click(String id, String root, String aadObjectId, JsonNode data) {
    ObjectNode click = bf.activity("invoke", id, "19:general@thread.tacv2;messageid=" + root)
        .put("name", "adaptiveCard/action");
    ((ObjectNode) click.path("from")).put("aadObjectId", aadObjectId).put("id", "29:" + aadObjectId);
    click.putObject("value").putObject("action").put("type", "Action.Execute").put("verb", "chatops.choice")
        .set("data", data);
    return click;
  }

  @Test
  void offersAPluginsChoicesToTheAskerAloneAndTellsAnyoneElseAtOnce() throws Exception {
    String root = "1700000000200";
    send(bf.activity("message", root, "19:general@thread.tacv2;messageid=" + root)
        .put("text", "<at>ChatOps</at> deploy offer"));
    JsonNode offer = body(nextConnectorCall());
    assertThat(offer.path("summary").asText()).isEqualTo("Deploy 7 is live. What next?");
    JsonNode actions = offer.path("attachments").path(0).path("content").path("actions");
    assertThat(actions.path(0).path("type").asText()).isEqualTo("Action.OpenUrl");
    assertThat(actions.path(0).path("title").asText()).isEqualTo("Pipeline");
    assertThat(actions.path(0).path("url").asText()).isEqualTo("https://ci.example.com/deploy/7");
    JsonNode status = actions.path(1);
    assertThat(status.path("title").asText()).isEqualTo("Status");
    // The choice's command stays with the router; the card carries its number and whose it is.
    assertThat(status.path("data")).isEqualTo(JSON.readTree("{\"chatops\":\"1\",\"chatopsAsker\":\"aad-1\"}"));
    assertThat(status.path("fallback").path("data")).isEqualTo(status.path("data"));
    assertThat(actions.path(2).path("title").asText()).isEqualTo("Deploy api");

    WebhookResponse refused = send(click("inv-2", root, "aad-2", status.path("data")));

    assertThat(refused.status()).isEqualTo(200);
    assertThat(JSON.readTree(refused.bodyAsString())).isEqualTo(JSON.createObjectNode().put("statusCode", 200)
        .put("type", "application/vnd.microsoft.activity.message").put("value", "Those choices are for the user"
            + " who asked; say what you want yourself, or `help`."));
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).as("nothing said in the conversation").isEqualTo(1);

    WebhookResponse picked = send(click("inv-3", root, "aad-1", status.path("data")));

    assertThat(JSON.readTree(picked.bodyAsString()).path("value").asText()).isEqualTo("Got it.");
    RecordedRequest answer = nextConnectorCall();
    assertThat(line(answer)).isEqualTo("POST /teams/v3/conversations/"
        + "19%3Ageneral%40thread.tacv2%3Bmessageid%3D1700000000200/activities/1700000000200");
    assertThat(body(answer).path("text").asText()).isEqualTo("Deploy 7: all green");
  }

  @Test
  void leavesAStrangersSubmittedPickToTheRouterWhichRunsNothing() throws Exception {
    String root = "1700000000300";
    send(bf.activity("message", root, "19:general@thread.tacv2;messageid=" + root)
        .put("text", "<at>ChatOps</at> deploy offer"));
    JsonNode status = body(nextConnectorCall()).path("attachments").path(0).path("content").path("actions")
        .path(1).path("fallback").path("data");

    // An older client's Action.Submit arrives as a message: there is no invoke to answer one user through.
    ObjectNode submit = bf.activity("message", "1700000000301", "19:general@thread.tacv2;messageid=" + root);
    ((ObjectNode) submit.path("from")).put("aadObjectId", "aad-2").put("id", "29:aad-2");
    submit.set("value", status);
    assertThat(send(submit).status()).isEqualTo(200);

    assertThat(body(nextConnectorCall()).path("text").asText())
        .isEqualTo("Those choices are for the user who asked; say what you want yourself, or `help`.");
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isEqualTo(2);
  }

  @Test
  void takesASubmittedCardAsTheClickItStandsFor() throws Exception {
    send(bf.message("act-1", "deploy start ID=web"));
    nextConnectorCall();

    ObjectNode submit = bf.message("act-2", "");
    submit.putObject("value").put("chatops", "yes");
    assertThat(send(submit).status()).isEqualTo(200);

    assertThat(body(nextConnectorCall()).path("summary").asText()).isEqualTo("\u2705 Deployed web: SUCCESS");
  }

  @Test
  void answersAnInvokeItDoesNotKnowWith501() {
    ObjectNode invoke = bf.activity("invoke", "inv-9", "a:personal-1").put("name", "composeExtension/query");

    WebhookResponse answer = send(invoke);

    assertThat(answer.status()).isEqualTo(501);
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isZero();
  }

  @Test
  void updatesAKeyedReplyInPlace() throws Exception {
    send(bf.message("act-1", "bot ping"));
    nextConnectorCall();
    assertThat(router.awaitIdle(WAIT)).isTrue(); // the connector has answered: the ids below are the next ones
    Conversation conversation = Conversation.of("teams", BotFramework.TENANT, "a:personal-1");

    teams.deliver(conversation, Reply.text("build queued").withKey("k1"));
    teams.deliver(conversation, Reply.text("build #12: SUCCESS").withKey("k1"));

    RecordedRequest posted = nextConnectorCall();
    assertThat(line(posted)).isEqualTo("POST /teams/v3/conversations/a%3Apersonal-1/activities/act-1");
    RecordedRequest updated = nextConnectorCall();
    assertThat(line(updated)).isEqualTo("PUT /teams/v3/conversations/a%3Apersonal-1/activities/activity-2");
    assertThat(body(updated).path("text").asText()).isEqualTo("\u2705 build #12: SUCCESS");
  }

  @Test
  void postsAKeyedReplyAnewWhenItsMessageIsGone() throws Exception {
    send(bf.message("act-1", "bot ping"));
    nextConnectorCall();
    assertThat(router.awaitIdle(WAIT)).isTrue(); // the connector has answered: the ids below are the next ones
    Conversation conversation = Conversation.of("teams", BotFramework.TENANT, "a:personal-1");
    teams.deliver(conversation, Reply.text("build queued").withKey("k1"));
    nextConnectorCall();
    bf.connectorAnswers.add(BotFramework.json(404, "{\"error\":{\"code\":\"ActivityNotFoundInConversation\"}}"));

    teams.deliver(conversation, Reply.text("build #12: SUCCESS").withKey("k1"));

    assertThat(line(nextConnectorCall())).startsWith("PUT ");
    assertThat(line(nextConnectorCall())).isEqualTo("POST /teams/v3/conversations/a%3Apersonal-1/activities/act-1");
  }

  @Test
  void speaksProactivelyAfterARestartFromTheStoredReference() throws Exception {
    send(bf.message("act-1", "bot ping"));
    nextConnectorCall();
    assertThat(router.awaitIdle(WAIT)).isTrue(); // the connector has answered: the ids below are the next ones
    Conversation conversation = Conversation.of("teams", BotFramework.TENANT, "a:personal-1");
    teams.deliver(conversation, Reply.text("build queued").withKey("k1"));
    nextConnectorCall();

    start(bf.service().store(store).build()); // a new process on the same store

    teams.deliver(conversation, Reply.text("build #12: SUCCESS").withKey("k1"));
    teams.deliver(conversation, Reply.text("all done"));
    RecordedRequest updated = nextConnectorCall();
    assertThat(line(updated)).isEqualTo("PUT /teams/v3/conversations/a%3Apersonal-1/activities/activity-2");
    RecordedRequest proactive = nextConnectorCall();
    assertThat(line(proactive)).isEqualTo("POST /teams/v3/conversations/a%3Apersonal-1/activities");
    assertThat(body(proactive).path("text").asText()).isEqualTo("all done");
  }

  @Test
  void refusesToSpeakWhereItWasNeverSpokenTo() {
    Conversation unknown = Conversation.of("teams", BotFramework.TENANT, "a:never");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> teams.deliver(unknown, Reply.text("hello")))
        .isInstanceOf(ai.chatops.ChatOpsException.class)
        .hasMessage("no Teams conversation reference for a:never in tenant tenant-1: the bot can only write where"
            + " it was written to");
    assertThat(bf.connector.getRequestCount()).isZero();
  }

  @Test
  void servesOnlyTheAllowedTenants() throws Exception {
    start(bf.service().store(store).allowedTenants(List.of("tenant-2")).build());

    WebhookResponse refused = send(bf.message("act-1", "bot ping"));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.bodyAsString()).isEqualTo("this bot does not serve tenant 'tenant-1'");
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isZero();
  }

  @Test
  void takesTheUsersAzureObjectIdAsTheUser() {
    ai.chatops.service.Received received = teams.receive(WebhookRequest.builder("POST", "/api/messages")
        .header("Authorization", "Bearer " + bf.token()).header("Content-Type", "application/json")
        .body(bf.message("act-1", "<at>ChatOps</at> jenkins build ID=api-server BRANCH=main").toString()).build());

    assertThat(received.events()).hasSize(1);
    ai.chatops.service.ChatEvent event = received.events().get(0);
    assertThat(event.user()).isEqualTo("aad-1");
    assertThat(event.workspace()).isEqualTo("tenant-1");
    assertThat(event.channel()).isEqualTo("a:personal-1");
    assertThat(event.thread()).isEqualTo(Optional.empty());
    assertThat(event.text()).isEqualTo("jenkins build ID=api-server BRANCH=main");
    assertThat(event.id()).isEqualTo("act-1");
  }
}
