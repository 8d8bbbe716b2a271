package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.plugin.Catalog;
import ai.chatops.nlu.NluResult;
import ai.chatops.dialog.Outcome;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.Status;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.store.StoreEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small public value types: construction rules, copies, equality and what toString hides. */
class ValuesTest {
  private static final PluginConfig JENKINS = PluginConfig.parse("jenkins", RecordingPlugin.CONFIG);
  private static final Route BUILD = JENKINS.routeForAction("build").orElseThrow();

  private static ChatEvent event() {
    return ChatEvent.builder("slack", "Ev1").workspace("T1").channel("C1").user("U1").text("hi secret")
        .thread("170.1").time(Instant.EPOCH).raw("{}").build();
  }

  @Test
  void chatEventGivesItsConversationAndKeepsTheTextOutOfToString() {
    ChatEvent event = event();

    assertThat(event.conversation()).isEqualTo(new Conversation("slack", "T1", "C1", Optional.of("170.1")));
    assertThat(event.toString()).isEqualTo("ChatEvent{slack/Ev1, channel=C1, user=U1}");
    assertThat(event.newBuilder().thread(null).build().thread()).isEmpty();
    assertThat(event.sender()).isEqualTo(ChatEvent.Sender.USER);
  }

  @Test
  void chatEventRequiresChannelUserTextAndTime() {
    assertThatThrownBy(() -> ChatEvent.builder("slack", "Ev1").user("U1").text("x").time(Instant.EPOCH).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ChatEvent.channel is required");
    assertThatThrownBy(() -> ChatEvent.builder("slack", "").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ChatEvent.id is required");
    assertThatThrownBy(() -> ChatEvent.builder("slack", "E").channel("C").user("U").time(Instant.EPOCH).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("text");
  }

  @Test
  void conversationContinuesInAThread() {
    assertThat(Conversation.of("slack", "T1", "C1").inThread("170.1").thread()).contains("170.1");
  }

  @Test
  void replyRendersFieldsAsPlainTextAndComparesByValue() {
    Reply reply = Reply.builder("Build #12: SUCCESS").field("Branch", "main").ephemeral(true).build();

    assertThat(reply.toPlainText()).isEqualTo("Build #12: SUCCESS\nBranch: main");
    assertThat(reply).isEqualTo(Reply.builder("Build #12: SUCCESS").field("Branch", "main").ephemeral(true).build());
    assertThat(reply).isNotEqualTo(Reply.text("Build #12: SUCCESS"));
    assertThat(reply.toString()).isEqualTo("Reply{Build #12: SUCCESS|Branch: main, ephemeral}");
  }

  @Test
  void receivedAcknowledgesEventsOrAnswersAlone() {
    assertThat(Received.ack(event()).response().status()).isEqualTo(200);
    assertThat(Received.ack(event()).events()).hasSize(1);
    assertThat(Received.respond(WebhookResponse.text(200, "challenge")).events()).isEmpty();
  }

  @Test
  void webhookResponseSetsContentTypesAndFindsHeadersCaseInsensitively() {
    WebhookResponse json = WebhookResponse.json(200, "{\"ok\":true}").withHeader("X-Id", "1");

    assertThat(json.header("content-type")).contains("application/json; charset=utf-8");
    assertThat(json.header("x-id")).contains("1");
    assertThat(json.bodyAsString()).isEqualTo("{\"ok\":true}");
    assertThatThrownBy(() -> WebhookResponse.text(700, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status must be 100..599 but was 700");
  }

  @Test
  void statusKnowsTheGoodStates() {
    assertThat(List.of(Status.State.values())).extracting(Status.State::isGood)
        .containsExactly(false, false, false, false, true, true, true);
    assertThat(Status.of("api", Status.State.FIXED)).isEqualTo(new Status("api", 0, Status.State.FIXED, ""));
  }

  @Test
  void followUpRefusesNonPositiveTimes() {
    assertThatThrownBy(() -> new FollowUp("k", "d", Duration.ZERO, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("FollowUp interval must be positive and timeout positive, but were PT0S, PT1M");
  }

  @Test
  void actionBecomesAReplyWithItsFields() {
    FollowUp followUp = new FollowUp("queue:1", "build", Duration.ofSeconds(5), Duration.ofHours(1));
    Action action = Action.builder("Queued").field("Queue", "#1").followUp(followUp).build();

    assertThat(action.toReply()).isEqualTo(Reply.builder("Queued").field("Queue", "#1").build());
    assertThat(action.followUp()).contains(followUp);
    assertThat(action.toString()).isEqualTo("Action{Queued, followUp=queue:1}");
  }

  @Test
  void actionCarriesChoicesALinkAndEphemeralIntoItsReply() {
    Action action = Action.builder("Deploy billing?").field("Env", "staging")
        .choice("Deploy", "deploy billing ENV=staging").choice("Cancel", "no")
        .link("Runbook", "https://wiki.example.com/deploy").ephemeral(true).build();

    Reply reply = action.toReply();
    assertThat(reply.choices()).extracting(Reply.Choice::label).containsExactly("Deploy", "Cancel");
    assertThat(reply.link()).contains(new Reply.Link("Runbook", "https://wiki.example.com/deploy"));
    assertThat(reply.ephemeral()).isTrue();
    assertThat(action.text()).isEqualTo("Deploy billing?");
    assertThat(reply.toPlainText()).isEqualTo("Deploy billing?\nEnv: staging\nRunbook: https://wiki.example.com/deploy"
        + "\n[deploy billing ENV=staging] [no]");
  }

  @Test
  void aLinkMustBeAnAbsoluteHttpUrl() {
    assertThatThrownBy(() -> new Reply.Link("Click", "javascript:alert(1)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a link's url must be an absolute http(s) URL but was javascript:alert(1)");
    assertThatThrownBy(() -> new Reply.Link("Click", "/relative/path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a link's url must be an absolute http(s) URL but was /relative/path");
    assertThat(new Reply.Link("Console", "HTTPS://ci.example.com/job/1").title()).isEqualTo("Console");
  }

  @Test
  void invocationSaysWhatProposedItAndKeepsOneIdempotencyKeyPerEventAndRoute() {
    Route build = new Route("/v1/jenkins/build", "jenkins", "build", Optional.empty(), List.of("ID"));
    Route stop = new Route("/v1/jenkins/stop", "jenkins", "stop", Optional.empty(), List.of("ID"));
    ChatEvent event = ChatEvent.builder("slack", "Ev1").workspace("T1").channel("C1").user("U1").text("x")
        .time(Instant.EPOCH).build();
    ChatEvent other = ChatEvent.builder("slack", "Ev2").workspace("T1").channel("C1").user("U1").text("x")
        .time(Instant.EPOCH).build();

    Invocation chat = new Invocation(build, Map.of("ID", "api"), event);
    assertThat(chat.via()).isEqualTo(Invocation.VIA_CHAT);
    assertThat(new Invocation(build, Map.of(), event, "mcp").via()).isEqualTo("mcp");
    assertThat(chat.idempotencyKey()).hasSize(43)
        .isEqualTo(chat.withAttributes(Map.of("ID", "web")).idempotencyKey())
        .isNotEqualTo(new Invocation(stop, Map.of(), event).idempotencyKey())
        .isNotEqualTo(new Invocation(build, Map.of(), other).idempotencyKey());
    assertThatThrownBy(() -> new Invocation(build, Map.of(), event, " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("via must be 1 to 64 characters but was ' '");
  }

  @Test
  void invocationRequiresAttributesWithAMessageNamingThem() {
    Invocation invocation = new Invocation(BUILD, Map.of("ID", "api"), event());

    assertThat(invocation.action()).isEqualTo("build");
    assertThat(invocation.require("ID")).isEqualTo("api");
    assertThatThrownBy(() -> invocation.require("BRANCH"))
        .isInstanceOf(PluginFailedException.class)
        .hasMessage("/v1/jenkins/build needs BRANCH, for example BRANCH=value");
  }

  @Test
  void outcomeValidatesConfidenceAndDescribesItself() {
    assertThat(Outcome.invoke(BUILD, Map.of("ID", "x"), 1).toString()).isEqualTo("Outcome{INVOKE /v1/jenkins/build [ID]}");
    assertThat(Outcome.ignore("bot").toString()).isEqualTo("Outcome{IGNORE bot}");
    assertThatThrownBy(() -> Outcome.invoke(BUILD, Map.of(), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence must be within 0..1 but was NaN");
    assertThatThrownBy(() -> new NluResult("/v1/x/y", Map.of(), 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence must be within 0..1 but was 1.5");
  }

  @Test
  void catalogFindsPluginsAndRoutes() {
    Catalog catalog = Catalog.of(List.of(JENKINS));

    assertThat(catalog.plugin("jenkins")).contains(JENKINS);
    assertThat(catalog.route("/v1/jenkins/build")).contains(BUILD);
    assertThat(catalog.route("/v1/jenkins/deploy")).isEmpty();
    assertThat(catalog.routes()).hasSize(4);
  }

  @Test
  void storeEntryCopiesItsValueAndHidesItInToString() {
    byte[] value = {1, 2};
    StoreEntry entry = StoreEntry.of("k", value, 3, null);
    value[0] = 9;
    entry.value()[1] = 9;

    assertThat(entry.value()).containsExactly(1, 2);
    assertThat(entry).isEqualTo(StoreEntry.of("k", new byte[] {1, 2}, 3, null));
    assertThat(entry.toString()).isEqualTo("StoreEntry{k, v3, 2 bytes}");
  }

  @Test
  void discoversPluginsOnlyWhenAskedTo() {
    RecordingService service = new RecordingService();
    try (EventRouter plain = EventRouter.builder().service(service).build()) {
      assertThat(plain.catalog().plugins()).isEmpty();
    }
    try (EventRouter discovering = EventRouter.builder().service(service)
        .discoverPlugins(getClass().getClassLoader()).build()) {
      assertThat(discovering.catalog().plugin("found")).isPresent();
      discovering.handle(message("E1", "found hello"));
      assertThat(service.nextText()).isEqualTo("found me");
    }
  }
}
