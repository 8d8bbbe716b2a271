package ai.chatops.dialog;

import ai.chatops.plugin.Catalog;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.dialog.internal.CommandGrammarStep;
import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.service.ChatEvent;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CommandGrammarLimitsTest {
  // A route declaring more attributes than one command may give, so that the count limit can be reached.
  private static final Catalog CATALOG = Catalog.of(List.of(PluginConfig.parse("wide", String.join("\n",
      "Version: v1",
      "Routes:",
      "  - /v1/wide/run",
      "Attributes:",
      IntStream.rangeClosed(1, 25).mapToObj(i -> "  A" + i + ": [run]").collect(Collectors.joining("\n")),
      ""))));

  private static Outcome run(String text) {
    ChatEvent event = ChatEvent.builder("test", "E1").channel("C1").user("U1").text(text).time(Instant.EPOCH).build();
    return RealDialogChain.run(List.of(DialogParsers.commandGrammar()), Turn.of(event, CATALOG),
        t -> Outcome.reply("went on to the NLU"));
  }

  private static String attributes(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> "A" + i + "=v").collect(Collectors.joining(" "));
  }

  @Test
  void acceptsTwentyAttributes() {
    Outcome outcome = run("wide run " + attributes(CommandGrammarStep.MAX_ATTRIBUTES));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.INVOKE);
    assertThat(outcome.attributes()).hasSize(20);
  }

  @Test
  void refusesTwentyOneAttributesWithAReplySayingTheLimit() {
    Outcome outcome = run("wide run " + attributes(21));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.REPLY);
    assertThat(outcome.reply().orElseThrow().text())
        .startsWith("that command gives 21 attributes; a command may give at most 20. Usage: wide run A1=...");
  }

  @Test
  void refusesAValueLongerThanAThousandCharacters() {
    Outcome accepted = run("wide run A1=" + "x".repeat(1000));
    Outcome refused = run("wide run A2=ok A1=\"" + "x".repeat(1001) + "\"");

    assertThat(accepted.attributes().get("A1")).hasSize(1000);
    assertThat(refused.reply().orElseThrow().text())
        .startsWith("A1 is 1001 characters long; a value may have at most 1000. Usage: wide run A1=...");
  }
}
