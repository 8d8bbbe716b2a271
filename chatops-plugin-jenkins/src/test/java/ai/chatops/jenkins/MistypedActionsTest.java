package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.BotPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A command whose action is mistyped by one edit (a letter swapped with its neighbour, dropped, doubled or
 * changed) is understood as the action, in every frame; a word two edits away, or as close to two actions, is
 * not guessed, nor is an abbreviation of one action that is a typo of another ("stat": status, or start?).
 */
class MistypedActionsTest {
  private static final LocalNlu NLU = LocalNlu.train(List.of(JenkinsPlugin.create().trainingSet().orElseThrow(),
      BotPlugin.create().trainingSet().orElseThrow()));

  /** Every one-edit typo of {@code word} of the four kinds people make, none equal to the word. */
  static List<String> typos(String word) {
    List<String> typos = new ArrayList<>();
    for (int i = 0; i + 1 < word.length(); i++) {
      typos.add(word.substring(0, i) + word.charAt(i + 1) + word.charAt(i) + word.substring(i + 2)); // swap
    }
    for (int i = 1; i < word.length(); i++) {
      typos.add(word.substring(0, i) + word.substring(i + 1)); // dropped
      typos.add(word.substring(0, i) + word.charAt(i) + word.substring(i)); // doubled
    }
    typos.removeIf(t -> t.equals(word) || t.length() < 4 || t.equals("stat")); // stat: see the test below
    return typos;
  }

  @Test
  void readsAnActionMistypedByOneEditAsTheAction() {
    List<String> wrong = new ArrayList<>();
    for (String action : List.of("build", "start", "stop", "status")) {
      for (String typo : typos(action)) {
        for (String frame : List.of("%s geo_tiles2", "%s auth-svc pls", "hey bot, %s `payments/ledger-sync`")) {
          String message = String.format(frame, typo);
          Optional<NluResult> r = NLU.rank(message, 1).stream().findFirst();
          if (r.isEmpty() || !r.get().route().equals("/v1/jenkins/" + action)
              || !r.get().attributes().containsKey("ID")) {
            wrong.add(message + " -> " + r.orElse(null));
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void guessesNoActionTwoEditsAwayNorFromAnAbbreviation() {
    Map<String, String> notMeant = Map.of("bldui", "build", "psot", "stop", "sutats", "status", "tarst", "start",
        "stat", "start");
    notMeant.forEach((word, action) -> {
      Optional<NluResult> r = NLU.understand(word + " geo_tiles2");
      assertThat(r.map(NluResult::route).orElse("none")).as(word).isNotEqualTo("/v1/jenkins/" + action);
    });
  }
}
