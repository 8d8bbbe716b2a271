package ai.chatops.dialog;

import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.RouteGuide;
import ai.chatops.plugin.Slot;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.dialog.internal.NotUnderstood;
import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.fixtures.MutableClock;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Reply;
import ai.chatops.store.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationStepTest {
  private static final PluginConfig JENKINS =
      PluginConfig.parse("jenkins", RecordingPlugin.CONFIG + "Confirm: [stop]\n");
  private static final Catalog CATALOG = Catalog.of(List.of(JENKINS), List.of(
      new RouteGuide("/v1/jenkins/build",
          List.of(new Slot("ID", true, List.of("Which job should I build?")), new Slot("BRANCH", true, List.of()),
              new Slot("JOB_PARAM", false, List.of())),
          List.of("build api-server on main")),
      new RouteGuide("/v1/jenkins/stop", List.of(new Slot("ID", true, List.of())), List.of())));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStore store = InMemoryStore.create(clock);
  private final List<DialogParser> chain = List.of(DialogParsers.normalize(),
      DialogParsers.conversation(store, clock, Duration.ofMinutes(10), 0.5), DialogParsers.commandGrammar(),
      DialogParsers.nlu(q -> {
        switch (q.text()) {
          case "build something":
            return Optional.of(new NluResult("/v1/jenkins/build", Map.of(), 0.9));
          case "maybe build api on main":
            return Optional.of(new NluResult("/v1/jenkins/build", Map.of("ID", "api", "BRANCH", "main"), 0.4));
          default:
            return Optional.empty();
        }
      }));
  private int ids;

  private Outcome say(String user, String text) {
    return say(user, null, text);
  }

  private Outcome say(String user, String thread, String text) {
    ChatEvent event = ChatEvent.builder("test", "E" + ++ids).workspace("W1").channel("C1").user(user)
        .thread(thread).text(text).time(clock.instant()).build();
    return RealDialogChain.run(chain, Turn.of(event, CATALOG), new NotUnderstood());
  }

  private static String text(Outcome outcome) {
    return outcome.reply().orElseThrow(() -> new AssertionError("expected a reply but was " + outcome)).text();
  }

  @Test
  void asksForMissingRequiredAttributesOneAtATimeThenInvokes() {
    assertThat(text(say("U1", "build something"))).isEqualTo("Which job should I build?");
    assertThat(text(say("U1", "api-server"))).isEqualTo("Which BRANCH?".replace("BRANCH", "branch"));

    Outcome done = say("U1", "release/2.4");

    assertThat(done.kind()).isEqualTo(Outcome.Kind.INVOKE);
    assertThat(done.route().orElseThrow().path()).isEqualTo("/v1/jenkins/build");
    assertThat(done.attributes()).isEqualTo(Map.of("ID", "api-server", "BRANCH", "release/2.4"));
    assertThat(store.list("conversation/", null, 10).entries()).isEmpty();
  }

  @Test
  void invokesAtOnceWhenEveryRequiredAttributeIsGiven() {
    Outcome outcome = say("U1", "jenkins build ID=api BRANCH=main");

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.INVOKE);
  }

  @Test
  void keepsEachUsersAndEachThreadsQuestionApart() {
    say("U1", "jenkins build ID=api");
    say("U1", "T9", "jenkins build BRANCH=dev");

    assertThat(text(say("U2", "main"))).isEqualTo("Sorry, I didn't understand that. Say `help` to see what I can do.");
    assertThat(say("U1", "T9", "web").attributes()).isEqualTo(Map.of("ID", "web", "BRANCH", "dev"));
    assertThat(say("U1", "main").attributes()).isEqualTo(Map.of("ID", "api", "BRANCH", "main"));
  }

  @Test
  void cancelAbandonsTheRequest() {
    say("U1", "jenkins build ID=api");

    assertThat(text(say("U1", "Cancel."))).isEqualTo("OK, I've cancelled jenkins build.");
    assertThat(text(say("U1", "main"))).isEqualTo("Sorry, I didn't understand that. Say `help` to see what I can do.");
  }

  @Test
  void aNewCommandReplacesTheUnansweredQuestion() {
    say("U1", "jenkins build ID=api");

    Outcome outcome = say("U1", "jenkins jobs");

    assertThat(outcome.route().orElseThrow().path()).isEqualTo("/v1/jenkins/jobs");
    assertThat(store.list("conversation/", null, 10).entries()).isEmpty();
  }

  @Test
  void forgetsTheQuestionWhenItExpires() {
    say("U1", "jenkins build ID=api");
    clock.advance(Duration.ofMinutes(11));

    assertThat(text(say("U1", "main"))).isEqualTo("Sorry, I didn't understand that. Say `help` to see what I can do.");
  }

  @Test
  void asksBeforeARouteMarkedConfirmAndRunsItOnYes() {
    Outcome question = say("U1", "jenkins stop ID=api BRANCH=\"release 2\"");

    assertThat(question.reply().orElseThrow()).isEqualTo(Reply.builder("Run jenkins stop ID=api BRANCH=\"release 2\"?")
        .choice("Yes", "yes").choice("No", "no").build());
    Outcome yes = say("U1", "yes");
    assertThat(yes.kind()).isEqualTo(Outcome.Kind.INVOKE);
    assertThat(yes.attributes()).isEqualTo(Map.of("ID", "api", "BRANCH", "release 2"));
  }

  @Test
  void fillsSlotsBeforeAskingForConfirmation() {
    assertThat(text(say("U1", "jenkins stop"))).isEqualTo("Which ID?");
    assertThat(text(say("U1", "api"))).isEqualTo("Run jenkins stop ID=api?");
    assertThat(say("U1", "y").kind()).isEqualTo(Outcome.Kind.INVOKE);
  }

  @Test
  void doesNotRunOnNoAndOnlyTheAskingUserCanConfirm() {
    say("U1", "jenkins stop ID=api");

    assertThat(text(say("U2", "yes"))).isEqualTo("Sorry, I didn't understand that. Say `help` to see what I can do.");
    assertThat(text(say("U1", "no"))).isEqualTo("OK, I won't run jenkins stop.");
    assertThat(text(say("U1", "yes"))).isEqualTo("Sorry, I didn't understand that. Say `help` to see what I can do.");
  }

  @Test
  void somethingElseDropsAPendingConfirmationSoALaterYesConfirmsNothing() {
    say("U1", "jenkins stop ID=api");
    say("U1", "what's up");

    assertThat(text(say("U1", "yes"))).isEqualTo("Sorry, I didn't understand that. Say `help` to see what I can do.");
  }

  @Test
  void aConfirmationExpires() {
    say("U1", "jenkins stop ID=api");
    clock.advance(Duration.ofMinutes(10));

    assertThat(say("U1", "yes").kind()).isEqualTo(Outcome.Kind.REPLY);
  }

  @Test
  void asksBeforeActingOnAnUnsureInterpretationAndActsOnYes() {
    assertThat(say("U1", "maybe build api on main").reply().orElseThrow()).isEqualTo(
        Reply.builder("Did you mean jenkins build ID=api BRANCH=main?").choice("Yes", "yes").choice("No", "no").build());

    Outcome yes = say("U1", "yes");

    assertThat(yes.kind()).isEqualTo(Outcome.Kind.INVOKE);
    assertThat(yes.attributes()).isEqualTo(Map.of("ID", "api", "BRANCH", "main"));
  }

  @Test
  void defaultQuestionsAreMadeFromTheAttributeName() {
    assertThat(new Slot("JOB_PARAM", true, List.of()).question()).isEqualTo("Which job param?");
    assertThat(new Slot("ID", true, List.of()).question()).isEqualTo("Which ID?");
  }

  @Test
  void helpShowsExamplePhrasings() {
    Outcome help = RealDialogChain.run(List.of(DialogParsers.help()),
        Turn.of(ChatEvent.builder("test", "E").channel("C").user("U").text("help jenkins").time(Instant.EPOCH).build(),
            CATALOG), new NotUnderstood());

    assertThat(text(help)).contains("  jenkins build ID=... BRANCH=... - Queue a build\n      \"build api-server on main\"\n");
  }
}
