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
    assertThat(report.misses().get(0)).isEqualTo("are you alive -> /v1/bot/ping {}, expected /v1/bot/status {}");
    assertThat(report.toString()).isEqualTo("intent 33.3% (1/3), parameters 33.3% (1/3)");
  }
}
