package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.plugin.BotPlugin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Classes of phrasings the plugin's model must read right whatever the job (issue #23), tested as every
 * combination of a template and unseen job names rather than as single sentences.
 */
class PhrasingClassesTest {
  static final List<String> JOBS = List.of("checkout-service", "ledger.core", "infra/terraform-plan", "PAY-981");
  static LocalNlu nlu;

  @BeforeAll
  static void train() {
    nlu = LocalNlu.train(List.of(JenkinsPlugin.create().trainingSet().orElseThrow(),
        BotPlugin.create().trainingSet().orElseThrow()));
  }

  @Test
  void readsRunAsAnActionAndRunningAsAState() {
    for (String job : JOBS) {
      for (String template : List.of("run %s on main", "please run the %s job on main", "could you run %s on main")) {
        String message = String.format(template, job);
        assertThat(nlu.understand(message)).as(message).hasValueSatisfying(r -> {
          assertThat(r.route()).isEqualTo("/v1/jenkins/build");
          assertThat(r.attributes()).isEqualTo(Map.of("ID", job, "BRANCH", "main"));
        });
      }
      for (String template : List.of("stop the running %s build", "cancel the running %s")) {
        String message = String.format(template, job);
        assertThat(nlu.understand(message)).as(message)
            .hasValueSatisfying(r -> assertThat(r.route()).isEqualTo("/v1/jenkins/stop"));
      }
    }
  }

  @Test
  void understandsTheQuestionInsideAReportedOne() {
    List<String> wrong = new java.util.ArrayList<>();
    for (String job : JOBS) {
      for (String template : List.of("@dana wants to know if %s passed", "I wonder whether %s passed",
          "let me know if %s passed")) { // "do you know if X passed?" still reads as start (0.32): docs/nlu.md
        String message = String.format(template, job);
        var r = nlu.understand(message);
        if (r.isEmpty() || !r.get().route().equals("/v1/jenkins/status")
            || !r.get().attributes().equals(Map.of("ID", job))) {
          wrong.add(message + " -> " + r);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }
}
