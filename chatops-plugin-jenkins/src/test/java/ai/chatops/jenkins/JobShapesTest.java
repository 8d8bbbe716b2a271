package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluResult;
import ai.chatops.nlu.RuntimeEntities;
import ai.chatops.plugin.BotPlugin;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Job names of every shape Jenkins allows (underscores, dots, dashes, slashes for folders, digits, capitals,
 * and their mixes) come out whole as the job, in every command frame, whether or not the plugin's jobs are
 * known at run time (issue #23: {@code geo_tiles2} lost its job).
 */
class JobShapesTest {
  /** One list per class of shape, none of the names seen in training. */
  static final Map<String, List<String>> SHAPES = Map.of(
      "underscore", List.of("geo_tiles2", "etl_nightly", "data_sync_v2", "PAY_981", "Nightly_Build"),
      "dot", List.of("web.frontend", "reports.weekly", "release_v2.3", "svc.v10"),
      "dash", List.of("auth-svc", "api-gateway-2", "x-1"),
      "slash", List.of("data/etl_nightly", "payments/ledger-sync", "ml/train_model_v4", "a/b/c.d_e-2"),
      "digits", List.of("svc2", "2fa-service", "k8s_deploy"));
  static final List<String> FRAMES = List.of("build %s", "please build `%s` :pray:", "build %s on feature/x-1",
      "start %s", "stop %s", "status of %s", "is %s still running?", "hey bot, could you kick off %s?");

  private static LocalNlu train(RuntimeEntities entities) {
    return LocalNlu.builder()
        .add(List.of(JenkinsPlugin.create().trainingSet().orElseThrow(),
            BotPlugin.create().trainingSet().orElseThrow()))
        .runtimeEntities(entities)
        .build();
  }

  private static List<String> misread(LocalNlu nlu) {
    List<String> wrong = new ArrayList<>();
    SHAPES.forEach((shape, jobs) -> {
      for (String job : jobs) {
        for (String frame : FRAMES) {
          String message = String.format(frame, job);
          Optional<NluResult> r = nlu.rank(message, 1).stream().findFirst();
          String id = r.map(x -> x.attributes().get("ID")).orElse(null);
          if (!job.equals(id)) {
            wrong.add(shape + ": " + message + " -> " + r.orElse(null));
          }
        }
      }
    });
    return wrong;
  }

  @Test
  void keepsAJobNameOfEveryShapeWholeWithoutKnownJobs() {
    assertThat(misread(train(RuntimeEntities.none()))).isEmpty();
  }

  @Test
  void keepsAJobNameOfEveryShapeWholeWhenTheJobsAreKnown() {
    Set<String> jobs = new LinkedHashSet<>();
    SHAPES.values().forEach(jobs::addAll);
    jobs.add("docs");
    RuntimeEntities entities = RuntimeEntities.builder().source("jenkins", () -> Map.of("ID", jobs)).build();
    entities.refresh();

    assertThat(misread(train(entities))).isEmpty();
  }

  @Test
  void stillReadsAKeyAndValueAsAJobParameter() {
    for (String param : List.of("DRY_RUN=true", "ENV=staging", "max_workers=4")) {
      NluResult r = train(RuntimeEntities.none()).understand("build geo_tiles2 with " + param).orElseThrow();
      assertThat(r.attributes()).as(param).isEqualTo(Map.of("ID", "geo_tiles2", "JOB_PARAM", param));
    }
  }
}
