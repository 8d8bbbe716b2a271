package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.test.NluQuality;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How well the local NLU, trained on this plugin's material (and the bot's, as in a real router), understands
 * phrasings it never saw, written apart from the training files with other job and branch names:
 * {@code jenkins.tsv} (its misses were once used to find gaps in the training material, so its figure is
 * optimistic) and {@code jenkins-fresh.tsv} (written after the last change to the training material, never
 * used to change it).
 */
class HeldOutQualityTest {
  // The goal is 95% on both. On the fresh set, parameters measured 88.5% (23/26) when it was written: a
  // free-form ID caught in "at the moment", and "X from Y" read as two job names. The engine now gives a
  // second name-shaped span to a parameter still empty (a general change, but prompted by that miss), which
  // brought it to 92.3% (24/26). The floor keeps it from getting worse until the gap is closed.
  @ParameterizedTest
  @CsvSource({"jenkins, 0.95, 0.95", "jenkins-fresh, 0.95, 0.90"})
  void understandsHeldOutPhrasingsOfEveryRoute(String file, double intentFloor, double parameterFloor)
      throws IOException {
    LocalNlu nlu = LocalNlu.train(List.of(JenkinsPlugin.create().trainingSet().orElseThrow(),
        BotPlugin.create().trainingSet().orElseThrow()));
    List<NluQuality.Case> cases;
    try (InputStream in = getClass().getResourceAsStream("/nlu-heldout/" + file + ".tsv")) {
      cases = NluQuality.read(in);
    }

    NluQuality.Report report = NluQuality.evaluate(nlu, cases);

    System.out.println("NLU held-out " + file + " (plugin): " + report);
    report.misses().forEach(m -> System.out.println("  " + m));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(5 * 5);
    assertThat(report.intentAccuracy()).as("intent accuracy: %s", report).isGreaterThanOrEqualTo(intentFloor);
    assertThat(report.parameterAccuracy()).as("parameter accuracy: %s", report)
        .isGreaterThanOrEqualTo(parameterFloor);
  }
}
