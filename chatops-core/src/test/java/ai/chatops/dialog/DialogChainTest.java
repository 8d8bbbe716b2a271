package ai.chatops.dialog;

import ai.chatops.plugin.Catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.service.ChatEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DialogChainTest {
  private static final Catalog CATALOG = Catalog.of(List.of(PluginConfig.parse("jenkins", RecordingPlugin.CONFIG)));

  static Turn turn(String text) {
    return turn(text, ChatEvent.Sender.USER);
  }

  static Turn turn(String text, ChatEvent.Sender sender) {
    ChatEvent event = ChatEvent.builder("test", "E1").channel("C1").user("U1").text(text).time(Instant.EPOCH)
        .sender(sender).build();
    return Turn.of(event, CATALOG);
  }

  private static Outcome run(List<DialogParser> parsers, Turn turn) {
    return RealDialogChain.run(parsers, turn, t -> Outcome.reply("end: " + t.text()));
  }

  @Test
  void runsStepsInOrderEachSeeingThePreviousStepsTurn() {
    List<String> seen = new ArrayList<>();
    DialogParser upper = chain -> {
      seen.add("upper saw " + chain.turn().text());
      return chain.proceed(chain.turn().withText(chain.turn().text().toUpperCase(Locale.ROOT)));
    };
    DialogParser exclaim = chain -> {
      seen.add("exclaim saw " + chain.turn().text());
      return chain.proceed(chain.turn().withText(chain.turn().text() + "!"));
    };

    Outcome outcome = run(List.of(upper, exclaim), turn("hi"));

    assertThat(outcome.reply().orElseThrow().text()).isEqualTo("end: HI!");
    assertThat(seen).containsExactly("upper saw hi", "exclaim saw HI");
  }

  @Test
  void letsAStepShortCircuitAndLaterStepsNeverRun() {
    DialogParser never = chain -> {
      throw new AssertionError("must not run");
    };

    Outcome outcome = run(List.of(chain -> Outcome.ignore("short"), never), turn("hi"));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.IGNORE);
    assertThat(outcome.reason()).isEqualTo("short");
  }

  @Test
  void letsAStepReplaceWhatTheRestOfTheChainReturned() {
    DialogParser guard = chain -> {
      Outcome result = chain.proceed(chain.turn());
      return result.kind() == Outcome.Kind.INVOKE ? Outcome.reply("not allowed") : result;
    };

    Outcome outcome = run(List.of(guard, DialogParsers.commandGrammar()), turn("jenkins stop ID=x"));

    assertThat(outcome.reply().orElseThrow().text()).isEqualTo("not allowed");
  }

  @Test
  void failsLoudlyWhenAStepProceedsTwice() {
    DialogParser twice = new DialogParser() {
      @Override
      public Outcome parse(Chain chain) {
        chain.proceed(chain.turn());
        return chain.proceed(chain.turn());
      }

      @Override
      public String toString() {
        return "twice";
      }
    };

    assertThatThrownBy(() -> run(List.of(twice), turn("hi")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("dialog parser " + twice.getClass().getName() + " must call proceed() at most once");
  }

  @Test
  void failsLoudlyWhenAStepReturnsNull() {
    DialogParser broken = chain -> null;

    assertThatThrownBy(() -> run(List.of(broken), turn("hi")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("dialog parser " + broken.getClass().getName() + " returned null");
  }

  @Test
  void ignoresBotsAndItself() {
    assertThat(run(List.of(DialogParsers.ignoreBots()), turn("hi", ChatEvent.Sender.BOT)).reason())
        .isEqualTo("a message from another bot");
    assertThat(run(List.of(DialogParsers.ignoreBots()), turn("hi", ChatEvent.Sender.SELF)).reason())
        .isEqualTo("the bot's own message");
    assertThat(run(List.of(DialogParsers.ignoreBots()), turn("hi")).kind()).isEqualTo(Outcome.Kind.REPLY);
  }

  @Test
  void stripsOneLeadingMentionInTheFormsPlatformsUse() {
    for (String text : List.of("<@U123ABC> build it", "<@U123ABC|gunter>: build it", "@gunter, build it",
        "  @gunter build it")) {
      assertThat(run(List.of(DialogParsers.stripMention()), turn(text)).reply().orElseThrow().text())
          .as(text)
          .isEqualTo("end: build it");
    }
    assertThat(run(List.of(DialogParsers.stripMention()), turn("build it for @alice")).reply().orElseThrow()
        .text()).isEqualTo("end: build it for @alice");
  }

  @Test
  void normalisesWhitespaceInvisibleCharactersAndTypographicQuotes() {
    Outcome outcome = run(List.of(DialogParsers.normalize()),
        turn(" jenkins\u00A0 build\n\tID=\u201Capi server\u201D\u200B BRANCH=\u2018main\u2019 "));

    assertThat(outcome.reply().orElseThrow().text()).isEqualTo("end: jenkins build ID=\"api server\" BRANCH='main'");
  }

  @Test
  void refusesToReadAnOverlongMessage() {
    Outcome outcome = run(List.of(DialogParsers.normalize()), turn("jenkins build ID=" + "x".repeat(5000)));

    assertThat(outcome.reply().orElseThrow().text())
        .isEqualTo("That message is too long for me (5017 characters; I read at most 4000).");
  }

  @Test
  void greetsAnEmptyMessage() {
    Outcome outcome = run(List.of(DialogParsers.stripMention(), DialogParsers.normalize()), turn("<@U1>  \u200B"));

    assertThat(outcome.reply().orElseThrow().text()).isEqualTo("Hi! Say `help` to see what I can do.");
  }

  @Test
  void parsesQuotedEscapedAndCaseInsensitiveAttributes() {
    Outcome outcome = run(List.of(DialogParsers.commandGrammar()),
        turn("Jenkins BUILD id=\"api \\\"edge\\\" server\" branch='release/2.4' "));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.INVOKE);
    assertThat(outcome.route().orElseThrow().path()).isEqualTo("/v1/jenkins/build");
    assertThat(outcome.attributes())
        .isEqualTo(Map.of("ID", "api \"edge\" server", "BRANCH", "release/2.4"));
    assertThat(outcome.confidence()).isEqualTo(1.0);
  }

  @Test
  void acceptsEmptyValuesAndValuesContainingEquals() {
    Outcome outcome = run(List.of(DialogParsers.commandGrammar()), turn("jenkins jobs JOB_PARAM=a=1 ID="));

    assertThat(outcome.attributes()).isEqualTo(Map.of("JOB_PARAM", "a=1", "ID", ""));
  }

  @Test
  void refusesAnAttributeTheRouteDoesNotDeclare() {
    Outcome outcome = run(List.of(DialogParsers.commandGrammar()), turn("jenkins stop ID=x JOB_PARAM=y"));

    assertThat(outcome.reply().orElseThrow().text()).isEqualTo("/v1/jenkins/stop does not take JOB_PARAM; it "
        + "takes ID, BRANCH. Usage: jenkins stop ID=... BRANCH=...");
  }

  @Test
  void refusesAnAttributeGivenTwice() {
    Outcome outcome = run(List.of(DialogParsers.commandGrammar()), turn("jenkins stop ID=x id=y"));

    assertThat(outcome.reply().orElseThrow().text())
        .isEqualTo("ID is given twice; give each attribute once. Usage: jenkins stop ID=... BRANCH=...");
  }

  @Test
  void passesFreeTextThatStartsLikeACommandOnToTheNlu() {
    assertThat(run(List.of(DialogParsers.commandGrammar()), turn("jenkins build api-server on main"))
        .reply().orElseThrow().text()).isEqualTo("end: jenkins build api-server on main");
    assertThat(run(List.of(DialogParsers.commandGrammar()), turn("jenkins build it, don't wait"))
        .reply().orElseThrow().text()).isEqualTo("end: jenkins build it, don't wait");
    assertThat(run(List.of(DialogParsers.commandGrammar()), turn("deploy jenkins build"))
        .reply().orElseThrow().text()).isEqualTo("end: deploy jenkins build");
  }

  @Test
  void answersHelpForOnePluginAndForAnUnknownOne() {
    assertThat(run(List.of(DialogParsers.help()), turn("HELP jenkins")).reply().orElseThrow().text())
        .startsWith("Here is what I can do:\n\njenkins (v1.2.9)\n  jenkins start");
    assertThat(run(List.of(DialogParsers.help()), turn("help gitlab")).reply().orElseThrow().text())
        .isEqualTo("I have no plugin named gitlab. Plugins: jenkins.");
    assertThat(run(List.of(DialogParsers.help()), turn("help me build the api")).reply().orElseThrow().text())
        .isEqualTo("end: help me build the api");
  }

  @Test
  void refusesAConfirmationThresholdOutsideZeroToOne() {
    assertThatThrownBy(() -> DialogParsers.conversation(ai.chatops.store.InMemoryStore.create(),
        java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(1), 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confirmBelow must be within 0..1 but was 1.5");
  }
}
