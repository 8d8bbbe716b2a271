package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.BotPlugin;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NluQualityTest {
  private static List<NluQuality.Case> read(String text) {
    return NluQuality.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsCasesSkippingCommentsAndBlankLines() {
    List<NluQuality.Case> cases = read("# held out\n\nrepeat hello there\t/v1/bot/echo\tTEXT=hello there\nping?\t/v1/bot/ping\n");

    assertThat(cases).containsExactly(
        new NluQuality.Case("repeat hello there", "/v1/bot/echo", Map.of("TEXT", "hello there")),
        new NluQuality.Case("ping?", "/v1/bot/ping", Map.of()));
  }

  @Test
  void namesTheLineOfAMalformedCase() {
    assertThatThrownBy(() -> read("# x\nping\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("held-out line 2: expected utterance<TAB>route[<TAB>NAME=value...]");
    assertThatThrownBy(() -> read("ping\t/v1/bot/ping\tTEXT\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("held-out line 1: 'TEXT' is not NAME=value");
  }

  @Test
  void countsRoutesAndExactAttributesAndListsTheMisses() {
    TrainingSet bot = BotPlugin.create().trainingSet().orElseThrow();
    LocalNlu nlu = LocalNlu.train(List.of(bot));

    NluQuality.Report report = NluQuality.evaluate(nlu, read(String.join("\n",
        "are you alive\t/v1/bot/ping",
        "are you alive\t/v1/bot/status",
        "what's the weather in Lisbon\t/v1/bot/ping")));

    assertThat(report.cases()).isEqualTo(3);
    assertThat(report.intents()).isEqualTo(1);
    assertThat(report.parameters()).isEqualTo(1);
    assertThat(report.misses()).hasSize(2);
    assertThat(report.misses().get(0)).isEqualTo("are you alive -> /v1/bot/ping {} 1.00, expected /v1/bot/status {}");
    assertThat(report.toString()).isEqualTo("intent 33.3% (1/3), parameters 33.3% (1/3)");
  }

  @Test
  void countsWhatTheRouterWouldDoPerRouteWithAnyEngine() {
    ai.chatops.plugin.Catalog catalog = ai.chatops.plugin.Catalog.of(List.of(ai.chatops.plugin.PluginConfig.parse(
        "ci", String.join("\n", "Version: 1.0.0", "Routes:", "  - /v1/ci/build: b", "  - /v1/ci/stop: s",
            "Attributes:", "  ID: [build, stop]", "Confirm: [stop]"))));
    Map<String, List<ai.chatops.nlu.NluResult>> answers = Map.of(
        "build a", List.of(new ai.chatops.nlu.NluResult("/v1/ci/build", Map.of("ID", "a"), 0.9)),
        "build b", List.of(new ai.chatops.nlu.NluResult("/v1/ci/build", Map.of("ID", "b"), 0.5)),
        "run c", List.of(new ai.chatops.nlu.NluResult("/v1/ci/stop", Map.of("ID", "c"), 0.5),
            new ai.chatops.nlu.NluResult("/v1/ci/build", Map.of("ID", "c"), 0.4)),
        "go d", List.of(new ai.chatops.nlu.NluResult("/v1/ci/stop", Map.of("ID", "d"), 0.9)),
        "stop e", List.of(new ai.chatops.nlu.NluResult("/v1/ci/stop", Map.of("ID", "x"), 0.5)));
    ai.chatops.nlu.NluEngine engine = new ai.chatops.nlu.NluEngine() {
      @Override
      public java.util.Optional<ai.chatops.nlu.NluResult> understand(ai.chatops.nlu.NluQuery query) {
        return answers.get(query.text()).stream().findFirst();
      }

      @Override
      public List<ai.chatops.nlu.NluResult> closest(ai.chatops.nlu.NluQuery query, int limit) {
        return answers.get(query.text());
      }
    };

    NluQuality.Report report = NluQuality.evaluate(engine, catalog, read(String.join("\n",
        "build a\t/v1/ci/build\tID=a", "build b\t/v1/ci/build\tID=b", "run c\t/v1/ci/build\tID=c",
        "go d\t/v1/ci/build\tID=d", "stop e\t/v1/ci/stop\tID=e")));

    assertThat(report.routes().get("/v1/ci/build"))
        .isEqualTo(new NluQuality.RouteFigures(4, 2, 2, 2, 0, 1));
    // "go d" acted on stop, and "stop e" proposed stop alone with the wrong job: both count against stop
    assertThat(report.routes().get("/v1/ci/stop")).isEqualTo(new NluQuality.RouteFigures(1, 0, 1, 1, 2, 0));
    assertThat(report.asked()).isEqualTo(3);
    assertThat(report.wrongAndActed()).isEqualTo(2);
    assertThat(report.actedExactly()).isEqualTo(1);
    assertThat(report.table()).contains("all                          5     2 (40.0%)     3 (60.0%)      3"
        + "               2     1 (20.0%)");
  }

  @Test
  void countsAMessageToLeaveAloneAsRightUnlessTheRouterWouldActOnIt() {
    ai.chatops.plugin.Catalog catalog = ai.chatops.plugin.Catalog.of(List.of(ai.chatops.plugin.PluginConfig.parse(
        "ci", String.join("\n", "Version: 1.0.0", "Routes:", "  - /v1/ci/build: b", "  - /v1/ci/stop: s",
            "Attributes:", "  ID: [build, stop]", "Confirm: [stop]"))));
    Map<String, List<ai.chatops.nlu.NluResult>> answers = Map.of(
        "thanks", List.of(),
        "lol", List.of(new ai.chatops.nlu.NluResult("/v1/ci/build", Map.of("ID", "lol"), 0.4)),
        "never mind", List.of(new ai.chatops.nlu.NluResult("/v1/ci/build", Map.of("ID", "mind"), 0.9)),
        "ok stop", List.of(new ai.chatops.nlu.NluResult("/v1/ci/stop", Map.of("ID", "ok"), 0.4)));
    ai.chatops.nlu.NluEngine engine = new ai.chatops.nlu.NluEngine() {
      @Override
      public java.util.Optional<ai.chatops.nlu.NluResult> understand(ai.chatops.nlu.NluQuery query) {
        return answers.get(query.text()).stream().findFirst();
      }

      @Override
      public List<ai.chatops.nlu.NluResult> closest(ai.chatops.nlu.NluQuery query, int limit) {
        return answers.get(query.text());
      }
    };

    NluQuality.Report report = NluQuality.evaluate(engine, catalog, read(String.join("\n",
        "thanks\t-", "lol\t-", "never mind\t-", "ok stop\t-")));

    // not understood and asked about are right; acted on build, and stop proposed alone, are wrong
    assertThat(report.routes().get(NluQuality.NO_ACTION)).isEqualTo(new NluQuality.RouteFigures(4, 2, 2, 2, 0, 0));
    assertThat(report.routes().get("/v1/ci/build").wrongAndActed()).isEqualTo(1);
    assertThat(report.routes().get("/v1/ci/stop").wrongAndActed()).isEqualTo(1);
    assertThat(report.misses()).containsExactly(
        "never mind -> /v1/ci/build {ID=mind} 0.90, expected - {}",
        "ok stop -> /v1/ci/stop {ID=ok} 0.40 (confirm), expected - {}");
  }
}
