package ai.chatops.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginResources;
import ai.chatops.plugin.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classes of misses of issue #23, each tested as a class of inputs (every combination of its parts), not
 * as single sentences: what people type around a command, filler words taken as values, short commands
 * asking needlessly, and a dangerous route proposed on thin evidence.
 */
class UnderstandingClassesTest {
  static final ClassLoader LOADER = UnderstandingClassesTest.class.getClassLoader();
  static final List<String> GREETINGS = List.of("", "hey bot, ", "hi there! ", "good morning, ", "bot: ",
      "hello chatops, ", "yo ", "hey Jarvis, ", "<@U02BC91RT> ", "@dana ");
  static final List<String> SIGN_OFFS = List.of("", " thanks!", " :pray:", " 🙏", " thx", " cheers :+1:",
      " please", " 😬");
  static final List<String> JOBS = List.of("checkout-service", "ledger.core", "infra/terraform-plan", "PAY-981");
  static LocalNlu nlu;

  @BeforeAll
  static void train() {
    nlu = LocalNlu.train(List.of(ai.chatops.plugin.BotPlugin.create().trainingSet().orElseThrow(),
        TrainingSet.load(PluginResources.of("jenkins", LOADER))));
  }

  @Test
  void understandsACommandWhateverIsTypedAroundIt() {
    List<String> wrong = new ArrayList<>();
    for (String job : JOBS) {
      for (String command : List.of("build " + job + " on main", "build `" + job + "` on `main`")) {
        for (String greeting : GREETINGS) {
          for (String signOff : SIGN_OFFS) {
            String message = greeting + command + signOff;
            Optional<NluResult> r = nlu.understand(message);
            if (r.isEmpty() || !r.get().route().equals("/v1/jenkins/build")
                || !r.get().attributes().equals(Map.of("ID", job, "BRANCH", "main"))) {
              wrong.add(message + " -> " + r);
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void neverTakesAnEmojiOrAMentionAsAValue() {
    for (String decoration : List.of(":fire:", "🔥", "<@U02BC91RT>", "@dana", "<!here>", ":+1::skin-tone-2:")) {
      for (String message : List.of("list the jobs " + decoration, "what jobs are failing " + decoration,
          decoration + " list the jobs")) {
        assertThat(nlu.understand(message)).as(message).hasValueSatisfying(r -> {
          assertThat(r.route()).isEqualTo("/v1/jenkins/jobs");
          assertThat(r.attributes()).isEmpty();
        });
      }
    }
  }

  @Test
  void actsOnShortCommandsWithoutAsking() {
    for (String job : JOBS) {
      for (String command : List.of("build %s", "stop %s", "start %s", "status of %s", "status %s")) {
        String message = String.format(command, job);
        NluResult r = nlu.understand(message).orElseThrow();
        assertThat(r.attributes()).as(message).containsEntry("ID", job);
        assertThat(r.route()).as(message).endsWith("/" + command.split(" ")[0]);
        assertThat(r.confidence()).as(message).isGreaterThanOrEqualTo(0.6);
      }
    }
  }

  @Test
  void prefersKnownValuesOverFillerWordsAndAsksForUnknownPlainWords() {
    RuntimeEntities entities = RuntimeEntities.builder()
        .source("jenkins", () -> Map.of("ID", Set.of("docs", "website", "Web-Storefront", "ledger.core")))
        .build();
    entities.refresh();
    LocalNlu withJobs = LocalNlu.builder()
        .add(List.of(ai.chatops.plugin.BotPlugin.create().trainingSet().orElseThrow(),
            TrainingSet.load(PluginResources.of("jenkins", LOADER))))
        .runtimeEntities(entities)
        .build();
    for (String job : List.of("docs", "website", "ledger.core")) {
      for (String template : List.of("did %s pass last time?", "how did %s do today", "is %s broken again?",
          "what about %s", "build the %s job thx", "build %s")) {
        String message = String.format(template, job);
        assertThat(withJobs.understand(message)).as(message)
            .hasValueSatisfying(r -> assertThat(r.attributes()).containsEntry("ID", job));
      }
    }
    // written as the plugin spells it
    assertThat(withJobs.understand("build WEB-STOREFRONT").orElseThrow().attributes()).containsEntry("ID",
        "Web-Storefront");
    // neither known nor shaped like a job: asked for, not guessed; shaped like one: taken
    for (String filler : List.of("frontend", "time", "today", "about")) {
      assertThat(withJobs.understand("build " + filler).orElseThrow().attributes()).as(filler)
          .doesNotContainKey("ID");
    }
    assertThat(withJobs.understand("build geo-tiles-renderer").orElseThrow().attributes())
        .containsEntry("ID", "geo-tiles-renderer");
  }

  @Test
  void keepsThePreviousValuesWhenASourceFails() {
    int[] calls = {0};
    RuntimeEntities entities = RuntimeEntities.builder().source("jenkins", () -> {
      if (calls[0]++ > 0) {
        throw new IllegalStateException("jenkins is down");
      }
      return Map.of("ID", Set.of("docs"));
    }).build();
    assertThat(entities.values("jenkins", "ID")).isEmpty();

    entities.refresh();
    entities.refresh();

    assertThat(entities.values("jenkins", "ID")).containsExactly(Map.entry("docs", "docs"));
  }

  @Test
  void offersTheSafeRouteBesideADangerousOneChosenOnThinEvidence() {
    Catalog catalog = Catalog.of(List.of(PluginConfig.parse("ci", String.join("\n",
        "Version: 1.0.0", "Routes:", "  - /v1/ci/build: b", "  - /v1/ci/stop: s", "  - /v1/ci/jobs: j",
        "Attributes:", "  ID: [build, stop]", "Confirm: [stop]"))));
    NluResult stop = new NluResult("/v1/ci/stop", Map.of("ID", "x"), 0.42);
    NluResult build = new NluResult("/v1/ci/build", Map.of("ID", "x"), 0.40);
    NluResult jobs = new NluResult("/v1/ci/jobs", Map.of(), 0.41);
    for (double confidence : List.of(0.3, 0.5, 0.7, 0.95)) {
      NluResult best = new NluResult("/v1/ci/stop", Map.of("ID", "x"), confidence);
      NluResult safe = new NluResult("/v1/ci/build", Map.of("ID", "x"), confidence - 0.29);
      assertThat(NluDecision.decide(Optional.of(best), List.of(best, safe), catalog, 0.6, 0.3))
          .isEqualTo(new NluDecision(NluDecision.Kind.CHOOSE, List.of(safe, best)));
    }
    // clear evidence: the dangerous route is acted on (and asks its own "Run ...?")
    NluResult clear = new NluResult("/v1/ci/stop", Map.of("ID", "x"), 0.9);
    assertThat(NluDecision.decide(Optional.of(clear), List.of(clear, build), catalog, 0.6, 0.3).kind())
        .isEqualTo(NluDecision.Kind.ACT);
    // a safe route is never held back by a dangerous neighbour
    NluResult safeBest = new NluResult("/v1/ci/build", Map.of("ID", "x"), 0.7);
    assertThat(NluDecision.decide(Optional.of(safeBest), List.of(safeBest, stop), catalog, 0.6, 0.3).kind())
        .isEqualTo(NluDecision.Kind.ACT);
    assertThat(NluDecision.decide(Optional.of(build), List.of(build, stop), catalog, 0.6, 0.3).kind())
        .isEqualTo(NluDecision.Kind.CONFIRM);
    // the closest safe route is offered, whichever it is
    assertThat(NluDecision.decide(Optional.of(stop), List.of(stop, jobs, build), catalog, 0.6, 0.3).options())
        .containsExactly(jobs, stop);
    assertThat(NluDecision.decide(Optional.empty(), List.of(), catalog, 0.6, 0.3).kind())
        .isEqualTo(NluDecision.Kind.NONE);
  }
}
