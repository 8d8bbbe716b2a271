package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.plugin.BotPlugin;
import ai.chatops.plugin.Invocation;
import ai.chatops.service.Reply;
import ai.chatops.store.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConversationTesterTest {
  private final ShipPlugin ship = new ShipPlugin();
  private final ConversationTester tester = ConversationTester.builder()
      .plugin(ship, Map.of("SHIP_TOKEN", "from-test"))
      .plugin(BotPlugin.create())
      // Long enough for a loaded machine to finish a message (300 ms was not, once, at load 16); the two tests
      // that expect a timeout wait it out.
      .replyTimeout(Duration.ofSeconds(2))
      .build();

  @AfterEach
  void closeTester() {
    tester.close();
  }

  @Test
  void saysACommandAndChecksTheReplyAndTheInvocation() {
    tester.say("ship deploy SERVICE=api ENV=prod")
        .expectReply("Deploying api to prod")
        .expectInvocation("/v1/ship/deploy", Map.of("SERVICE", "api", "ENV", "prod"));
  }

  @Test
  void takesRepliesInTheOrderTheMessagesWereSaid() {
    tester.say("bot ping").say("ship deploy SERVICE=web").say("bot echo TEXT=third")
        .expectReply("pong").expectReply("Deploying web to staging").expectReply("third");
  }

  @Test
  void checksPartsOfAReply() {
    tester.say("ship status SERVICE=api")
        .expectReplyContaining("green")
        .say("ship status SERVICE=api")
        .expectReplyMatching("All green\nService: a.i")
        .say("ship status SERVICE=api")
        .expectReplyMatching(reply -> reply.fields().equals(List.of(new Reply.Field("Service", "api"))));
  }

  @Test
  void understandsFreeTextThroughTheScriptedNluWhenGivenOne() {
    try (ConversationTester scripted = ConversationTester.builder().plugin(new ShipPlugin())
        .nlu(ScriptedNlu.create()).build()) {
      scripted.scriptedNlu().when("ship the api to prod")
          .thenRoute("/v1/ship/deploy", Map.of("SERVICE", "api", "ENV", "prod"));

      scripted.say("Ship the API to prod").expectReply("Deploying api to prod");

      assertThat(scripted.scriptedNlu().queries()).containsExactly("Ship the API to prod");
    }
  }

  @Test
  void understandsFreeTextWithTheLocalNluTrainedOnThePlugins() {
    tester.say("please repeat all systems go").expectReply("all systems go");

    assertThat(tester.nlu()).isInstanceOf(ai.chatops.nlu.LocalNlu.class);
  }

  @Test
  void speaksAsAnotherUserInAnotherChannelAndThread() {
    tester.as("U2").in("C9").inThread("1700.01").say("ship deploy SERVICE=api");

    RecordingService.Delivery reply = tester.nextReply();
    Invocation invocation = tester.nextInvocation();

    assertThat(reply.conversation().channel()).isEqualTo("C9");
    assertThat(reply.conversation().thread()).contains("1700.01");
    assertThat(invocation.user()).isEqualTo("U2");
    assertThat(invocation.channel()).isEqualTo("C9");
    assertThat(invocation.event().time()).isEqualTo(ConversationTester.DEFAULT_START);
  }

  @Test
  void leavesTheThreadWhenMovingToAnotherChannel() {
    tester.inThread("1700.01").in("C2").say("bot ping");

    assertThat(tester.nextReply().conversation().thread()).isEqualTo(Optional.empty());
  }

  @Test
  void processesARedeliveredMessageOnce() {
    tester.say("ship deploy SERVICE=api").expectReply("Deploying api to staging")
        .expectInvocation("/v1/ship/deploy")
        .redeliver()
        .expectNoReply()
        .expectNoInvocation();

    assertThat(tester.invocations()).hasSize(1);
  }

  @Test
  void expectsNoReplyToAnotherBot() {
    tester.router().handle(tester.service().request().fromBot().text("bot ping").build());

    tester.expectNoReply();
  }

  @Test
  void connectsPluginsWithTheConfigCredentialsOverlaidAndTheTestersClock() {
    assertThat(ship.context.credentials().require("SHIP_TOKEN")).isEqualTo("from-test");
    assertThat(ship.context.clock()).isSameAs(tester.clock());
  }

  @Test
  void closesThePluginsWhenClosed() {
    tester.close();

    assertThat(ship.closes).hasValue(1);
  }

  @Test
  void usesTheGivenClockAndStore() {
    MutableClock clock = MutableClock.at(Instant.parse("2031-05-06T07:08:09Z"));
    InMemoryStore store = InMemoryStore.create(clock);
    try (ConversationTester other = ConversationTester.builder().plugin(new ShipPlugin()).clock(clock)
        .store(store).build()) {
      other.say("ship deploy SERVICE=api").expectReply("Deploying api to staging");

      assertThat(other.invocations().get(0).event().time()).isEqualTo(clock.instant());
      assertThat(store.list("event/", null, 10).entries()).hasSize(1);
    }
  }

  @Test
  void refusesToRedeliverBeforeAnythingWasSaid() {
    assertThatThrownBy(tester::redeliver).isInstanceOf(IllegalStateException.class)
        .hasMessage("nothing was said yet, so there is nothing to redeliver");
  }

  @Test
  void refusesToHandOutAScriptedNluItWasNotGiven() {
    try (ConversationTester other = ConversationTester.builder().nlu(query -> Optional.empty()).build()) {
      assertThatThrownBy(other::scriptedNlu).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("this tester's NLU engine is ai.chatops.test.ConversationTesterTest$$Lambda")
          .hasMessageEndingWith(
              ", not a ScriptedNlu; build the tester with .nlu(ScriptedNlu.create()) to script sentences");
    }
  }

  // ---------------------------------------------------------------- failure messages

  @Test
  void aWrongReplyFailsShowingTheExpectedAndTheActualText() {
    tester.say("bot ping");

    assertThatThrownBy(() -> tester.expectReply("ping")).isInstanceOf(AssertionError.class)
        .hasMessage("Expected the reply:\n  ping\nbut the bot replied:\n  pong");
  }

  @Test
  void aMissingReplyFailsListingTheRepliesSoFar() {
    tester.say("bot ping").expectReply("pong");

    assertThatThrownBy(() -> tester.expectReply("pong")).isInstanceOf(AssertionError.class)
        .hasMessage("Expected the reply:\n  pong\nbut no reply came within 2 s."
            + " Replies delivered so far:\n  C1: pong");
  }

  @Test
  void aReplyWithoutThePartFailsShowingTheReply() {
    tester.say("ship status SERVICE=api");

    assertThatThrownBy(() -> tester.expectReplyContaining("red")).isInstanceOf(AssertionError.class)
        .hasMessage("Expected a reply containing:\n  red\nbut the bot replied:\n  All green\n  Service: api");
  }

  @Test
  void aReplyNotMatchingTheRegexFailsShowingTheRegexAndTheReply() {
    tester.say("bot ping");

    assertThatThrownBy(() -> tester.expectReplyMatching("p.ng!")).isInstanceOf(AssertionError.class)
        .hasMessage("Expected a reply matching the regex:\n  p.ng!\nbut the bot replied:\n  pong");
  }

  @Test
  void aReplyFailingThePredicateFailsShowingTheReply() {
    tester.say("bot ping");

    assertThatThrownBy(() -> tester.expectReplyMatching(Reply::ephemeral)).isInstanceOf(AssertionError.class)
        .hasMessage("Expected a reply matching the given predicate, but the bot replied:\n  pong");
  }

  @Test
  void anUnexpectedReplyFailsShowingIt() {
    tester.say("xyzzy plugh");

    assertThatThrownBy(tester::expectNoReply).isInstanceOf(AssertionError.class)
        .hasMessage("Expected no reply, but the bot replied:\n"
            + "  C1: Sorry, I didn't understand that. Say `help` to see what I can do.");
  }

  @Test
  void aWrongInvocationFailsShowingTheExpectedAndTheActualAttributesSorted() {
    tester.say("ship deploy SERVICE=api ENV=prod");

    assertThatThrownBy(() -> tester.expectInvocation("/v1/ship/deploy", Map.of("SERVICE", "api")))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected the invocation:\n  /v1/ship/deploy {SERVICE=api}\n"
            + "but the plugin received:\n  /v1/ship/deploy {ENV=prod, SERVICE=api}");
  }

  @Test
  void anInvocationOfAnotherRouteFailsNamingBoth() {
    tester.say("ship status");

    assertThatThrownBy(() -> tester.expectInvocation("/v1/ship/deploy")).isInstanceOf(AssertionError.class)
        .hasMessage("Expected an invocation of:\n  /v1/ship/deploy\nbut the plugin received:\n  /v1/ship/status {}");
  }

  @Test
  void aMissingInvocationFailsListingTheReplies() {
    tester.say("ship deploy SERVICE=api ENV=prod PLACE=x");

    assertThatThrownBy(() -> tester.expectInvocation("/v1/ship/deploy", Map.of("SERVICE", "api")))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected the invocation:\n  /v1/ship/deploy {SERVICE=api}\n"
            + "but no plugin was invoked within 2 s. Replies delivered so far:\n"
            + "  C1: /v1/ship/deploy does not take PLACE; it takes SERVICE, ENV."
            + " Usage: ship deploy SERVICE=... ENV=...");
  }

  @Test
  void anUnexpectedInvocationFailsShowingIt() {
    tester.say("ship fail");

    assertThatThrownBy(tester::expectNoInvocation).isInstanceOf(AssertionError.class)
        .hasMessage("Expected no invocation, but the plugins received:\n  /v1/ship/fail {}");
    tester.expectReply("the fail route always fails");
  }

  @Test
  void aRefusedMessageFailsWithTheRoutersAnswer() {
    tester.router().close();

    assertThatThrownBy(() -> tester.say("bot ping")).isInstanceOf(AssertionError.class)
        .hasMessage("Expected the router to acknowledge \"bot ping\" with 200, but it answered 503:"
            + " the bot is shutting down; try again");
  }
}
