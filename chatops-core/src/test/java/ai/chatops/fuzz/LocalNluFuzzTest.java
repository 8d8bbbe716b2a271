package ai.chatops.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluResult;
import ai.chatops.nlu.RuntimeEntities;
import ai.chatops.plugin.PluginResources;
import ai.chatops.plugin.TrainingSet;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the local NLU with what a stranger may type (seeds under {@code LocalNluFuzzTestInputs/understand}):
 * mentions, emoji, greetings, code marks, known and unknown job names. Every answer has a confidence within
 * 0..1 and no blank value, and a known job is only ever named when the message names it (in any case); an
 * exception is a finding.
 */
class LocalNluFuzzTest {
  private static final ClassLoader LOADER = LocalNluFuzzTest.class.getClassLoader();
  private static final Set<String> JOBS = Set.of("docs", "Web-Storefront", "team/api-server");
  private static final LocalNlu NLU;

  static {
    RuntimeEntities entities = RuntimeEntities.builder().source("jenkins", () -> Map.of("ID", JOBS)).build();
    entities.refresh();
    NLU = LocalNlu.builder()
        .add(List.of(ai.chatops.plugin.BotPlugin.create().trainingSet().orElseThrow(),
            TrainingSet.load(PluginResources.of("jenkins", LOADER))))
        .runtimeEntities(entities)
        .build();
  }

  @FuzzTest(maxDuration = Fuzzing.DURATION)
  void understand(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    if (text.length() > 4000) {
      return; // the router's normalise step answers longer messages without reading them
    }

    List<NluResult> ranked = NLU.rank(text, 5);

    assertThat(ranked.size()).isLessThanOrEqualTo(5);
    for (NluResult r : ranked) {
      assertThat(r.confidence()).isBetween(0.0, 1.0);
      for (String v : r.attributes().values()) {
        assertThat(v).isNotBlank();
        if (JOBS.contains(v)) {
          assertThat(text.toLowerCase(java.util.Locale.ROOT)).contains(v.toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
  }
}
