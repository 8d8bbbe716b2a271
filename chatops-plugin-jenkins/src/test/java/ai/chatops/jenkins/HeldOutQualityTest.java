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
 * optimistic), {@code jenkins-fresh.tsv} (written after an earlier change to the training material; its misses
 * then prompted the last one, so it is optimistic now too) and {@code jenkins-fresh2.tsv} (written after the
 * last change to the training material, never used to change it: the honest figure).
 */
class HeldOutQualityTest {
  // The goal is 95% on both. jenkins-fresh measured 88.5% parameters when written, 92.3% after a general
  // engine change (a second name-shaped span goes to a parameter still empty); its misses ("build the X job"
  // read as jobs, "at the moment" taken as a folder) then led to training phrases of those shapes, after
  // which it reads 100% / 92.3% with two other misses: a small perceptron moves when its material does. The
  // floor keeps it from getting worse. jenkins-fresh2, written after that change and before any run against
  // it, measured 100% / 96.4% (27/28) at its first run.
  @ParameterizedTest
  @CsvSource({"jenkins, 0.95, 0.95", "jenkins-fresh, 0.95, 0.90", "jenkins-fresh2, 0.95, 0.95"})
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
