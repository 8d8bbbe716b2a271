package ai.chatops.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.Catalog;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.DialogParsers;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.dialog.internal.CommandGrammarStep;
import ai.chatops.dialog.internal.CommandTokenizer;
import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the explicit command grammar with the built-in steps in front of it, as the router runs them (seeds
 * under {@code CommandGrammarFuzzTestInputs/commandGrammar}). Any text must end in a reply, an ignore, or an
 * invocation within the grammar's limits; an exception is a finding.
 */
class CommandGrammarFuzzTest {
  private static final Catalog CATALOG =
      Catalog.of(List.of(PluginConfig.parse("jenkins", RecordingPlugin.CONFIG)));
  private static final List<DialogParser> STEPS = List.of(DialogParsers.ignoreBots(),
      DialogParsers.stripMention(), DialogParsers.normalize(), DialogParsers.help(), DialogParsers.commandGrammar());

  @FuzzTest(maxDuration = Fuzzing.DURATION)
  void commandGrammar(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ChatEvent event = ChatEvent.builder("fuzz", "E1").channel("C1").user("U1").text(text).time(Instant.EPOCH)
        .build();

    Outcome outcome = RealDialogChain.run(STEPS, Turn.of(event, CATALOG), t -> Outcome.ignore("not a command"));

    assertThat(outcome).isNotNull();
    if (outcome.kind() == Outcome.Kind.INVOKE) {
      Route route = outcome.route().orElseThrow();
      Map<String, String> attributes = outcome.attributes();
      assertThat(attributes.size()).isLessThanOrEqualTo(CommandGrammarStep.MAX_ATTRIBUTES);
      assertThat(route.attributes()).containsAll(attributes.keySet());
      attributes.values().forEach(v -> assertThat(v.length()).isLessThanOrEqualTo(CommandGrammarStep.MAX_VALUE_CHARS));
    }
    try {
      List<CommandTokenizer.Token> tokens = CommandTokenizer.tokenize(text);
      tokens.forEach(t -> assertThat(t.start()).isBetween(0, text.length() - 1));
    } catch (CommandTokenizer.SyntaxException e) {
      assertThat(e.getMessage()).contains("is never closed");
    }
  }
}
