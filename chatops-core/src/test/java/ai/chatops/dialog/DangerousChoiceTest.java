package ai.chatops.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.dialog.internal.NotUnderstood;
import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.fixtures.MutableClock;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.Catalog;
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

/**
 * Asymmetric caution in the dialog (issue #23): a dangerous route that wins by a thin margin is offered beside
 * the closest safe one, each as a button that sends its explicit command; a clear one asks its own "Run ...?";
 * a safe answer with a dangerous neighbour is acted on.
 */
class DangerousChoiceTest {
  private static final PluginConfig JENKINS =
      PluginConfig.parse("jenkins", RecordingPlugin.CONFIG + "Confirm: [stop]\n");
  private static final Catalog CATALOG = Catalog.of(List.of(JENKINS));
  private static final Map<String, List<NluResult>> ANSWERS = Map.of(
      "please run api on main", List.of(new NluResult("/v1/jenkins/stop", Map.of("ID", "api"), 0.62),
          new NluResult("/v1/jenkins/build", Map.of("ID", "api"), 0.40)),
      "stop api", List.of(new NluResult("/v1/jenkins/stop", Map.of("ID", "api"), 0.9),
          new NluResult("/v1/jenkins/build", Map.of("ID", "api"), 0.05)),
      "build api", List.of(new NluResult("/v1/jenkins/build", Map.of("ID", "api"), 0.7),
          new NluResult("/v1/jenkins/stop", Map.of("ID", "api"), 0.65)));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStore store = InMemoryStore.create(clock);
  private final NluEngine engine = new NluEngine() {
    @Override
    public Optional<NluResult> understand(NluQuery query) {
      return ANSWERS.getOrDefault(query.text(), List.of()).stream().findFirst();
    }

    @Override
    public List<NluResult> closest(NluQuery query, int limit) {
      return ANSWERS.getOrDefault(query.text(), List.of());
    }
  };
  private final List<DialogParser> chain = List.of(DialogParsers.normalize(),
      DialogParsers.conversation(store, clock, Duration.ofMinutes(10), 0.6), DialogParsers.commandGrammar(),
      DialogParsers.nlu(engine));
  private int ids;

  private Outcome say(String text) {
    ChatEvent event = ChatEvent.builder("test", "E" + ++ids).workspace("W1").channel("C1").user("U1")
        .text(text).time(clock.instant()).build();
    return RealDialogChain.run(chain, Turn.of(event, CATALOG), new NotUnderstood());
  }

  @Test
  void offersTheSafeRouteBesideADangerousOneThatWinsByAThinMargin() {
    Reply reply = say("please run api on main").reply().orElseThrow();

    assertThat(reply.text()).isEqualTo("Did you mean `jenkins build ID=api` or `jenkins stop ID=api`?");
    assertThat(reply.choices()).extracting(Reply.Choice::value)
        .containsExactly("jenkins build ID=api", "jenkins stop ID=api");
    // the buttons send explicit commands: build runs, stop still asks its own question
    Outcome build = say(reply.choices().get(0).value());
    assertThat(build.kind()).isEqualTo(Outcome.Kind.INVOKE);
    assertThat(build.route().orElseThrow().path()).isEqualTo("/v1/jenkins/build");
    assertThat(say(reply.choices().get(1).value()).reply().orElseThrow().text())
        .isEqualTo("Run jenkins stop ID=api?");
  }

  @Test
  void asksOnlyItsOwnQuestionForAClearDangerousRequest() {
    assertThat(say("stop api").reply().orElseThrow().text()).isEqualTo("Run jenkins stop ID=api?");
  }

  @Test
  void actsOnASafeAnswerWhateverItsDangerousNeighbour() {
    Outcome outcome = say("build api");

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.INVOKE);
    assertThat(outcome.attributes()).isEqualTo(Map.of("ID", "api"));
  }
}
