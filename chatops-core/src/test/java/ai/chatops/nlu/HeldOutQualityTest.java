package ai.chatops.nlu;

import ai.chatops.plugin.TrainingSet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.PluginResources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Measures the local NLU on phrasings it never saw in training ({@code src/test/resources/nlu-heldout}), one
 * file per plugin, and prints intent and exact-parameter accuracy. A line counts for parameters only when the
 * route is right and the attributes are exactly the expected ones.
 */
class HeldOutQualityTest {
  static final ClassLoader LOADER = HeldOutQualityTest.class.getClassLoader();
  static LocalNlu nlu;

  @BeforeAll
  static void train() {
    nlu = LocalNlu.train(List.of(
        ai.chatops.plugin.BotPlugin.create().trainingSet().orElseThrow(),
        TrainingSet.load(PluginResources.of("jenkins", LOADER))));
  }

  record Case(String utterance, String route, Map<String, String> attributes) {}

  @ParameterizedTest
  @ValueSource(strings = {"bot", "jenkins"})
  void understandsHeldOutPhrasingsOfEveryIntent(String plugin) throws IOException {
    List<Case> cases = read(plugin);
    int intents = 0;
    int parameters = 0;
    List<String> misses = new ArrayList<>();
    for (Case c : cases) {
      Optional<NluResult> result = nlu.understand(c.utterance());
      boolean intentOk = result.isPresent() && result.get().route().equals(c.route());
      boolean paramsOk = intentOk && result.get().attributes().equals(c.attributes());
      intents += intentOk ? 1 : 0;
      parameters += paramsOk ? 1 : 0;
      if (!paramsOk) {
        misses.add("  " + c.utterance() + " -> " + result.map(Object::toString).orElse("nothing")
            + ", expected " + c.route() + " " + c.attributes());
      }
    }
    System.out.printf("NLU held-out %s: intent %.1f%% (%d/%d), parameters %.1f%% (%d/%d)%n", plugin,
        100.0 * intents / cases.size(), intents, cases.size(), 100.0 * parameters / cases.size(), parameters,
        cases.size());
    misses.forEach(System.out::println);
    assertThat(cases).hasSizeGreaterThanOrEqualTo(15 * (int) nlu.intents().stream()
        .filter(i -> i.route().startsWith("/v1/" + plugin + "/")).count());
    assertThat(100.0 * intents / cases.size()).as("intent accuracy of %s", plugin).isGreaterThanOrEqualTo(95.0);
    assertThat(100.0 * parameters / cases.size()).as("parameter accuracy of %s", plugin)
        .isGreaterThanOrEqualTo(95.0);
  }

  static List<Case> read(String plugin) throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = LOADER.getResourceAsStream("nlu-heldout/" + plugin + ".tsv")) {
      assertThat(in).as("nlu-heldout/%s.tsv", plugin).isNotNull();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] columns = line.split("\t");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 2; i < columns.length; i++) {
          int eq = columns[i].indexOf('=');
          attributes.put(columns[i].substring(0, eq), columns[i].substring(eq + 1));
        }
        cases.add(new Case(columns[0], columns[1], attributes));
      }
    }
    return cases;
  }
}
