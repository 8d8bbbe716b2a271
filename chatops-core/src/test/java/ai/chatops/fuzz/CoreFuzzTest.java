package ai.chatops.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.dialog.Catalog;
import ai.chatops.dialog.DialogParsers;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.dialog.internal.CommandGrammarStep;
import ai.chatops.dialog.internal.CommandTokenizer;
import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.ScriptedExecutor;
import ai.chatops.internal.HookEndpoint;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz targets for what a stranger reaches in core: the command grammar (with the built-in steps in front
 * of it, as in the router), a plugin's {@code config.yaml}, and the router's webhook paths and bodies.
 *
 * <p>In {@code ./mvnw verify} each target runs once per seed under {@code CoreFuzzTestInputs/<method>}
 * (regression mode). With {@code JAZZER_FUZZ=1} and {@code -Dtest=CoreFuzzTest#<method>} Jazzer fuzzes one
 * target for {@link #DURATION}; {@code .ci/run} does so for each. Every input must end in a documented
 * outcome: a reply, an invocation within the grammar's limits, a {@code ConfigurationException}, or one of
 * the statuses the router documents; any other exception is a finding.
 */
class CoreFuzzTest {
  /** How long each target is fuzzed in fuzzing mode (CI); regression mode ignores it. */
  static final String DURATION = "15s";

  private static final String HOOK_SECRET = "fuzz-hook-secret";
  private static final Catalog CATALOG =
      Catalog.of(List.of(PluginConfig.parse("jenkins", RecordingPlugin.CONFIG)));
  private static final List<ai.chatops.dialog.DialogParser> STEPS = List.of(DialogParsers.ignoreBots(),
      DialogParsers.stripMention(), DialogParsers.normalize(), DialogParsers.help(), DialogParsers.commandGrammar());
  // Hooks run on the calling thread, so that what a plugin's hook does with the body happens inside the target.
  private static final EventRouter ROUTER = EventRouter.builder()
      .plugin(new RecordingPlugin())
      .hookSecret("jenkins", HOOK_SECRET)
      .executor(new ScriptedExecutor(Runnable::run))
      .maxBodyBytes(64 * 1024)
      .build();
  private static final Set<Integer> ROUTER_STATUSES = Set.of(202, 401, 404, 405, 413);

  @AfterAll
  static void closeRouter() {
    ROUTER.close();
  }

  /** Any text as a chat message: the built-in steps and the explicit grammar never throw. */
  @FuzzTest(maxDuration = DURATION)
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

  /** Any document as a plugin's config.yaml: a PluginConfig or a ConfigurationException, nothing else. */
  @FuzzTest(maxDuration = DURATION)
  void pluginConfig(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    try {
      PluginConfig config = PluginConfig.parse("fuzz", yaml);
      assertThat(config.name()).isEqualTo("fuzz");
    } catch (ConfigurationException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /**
   * Any request to the router, hooks first. The input is {@code METHOD PATH}, a newline, the signature
   * header ({@code valid} for a correct one, so that the fuzzer gets past the check; empty for none), a
   * newline, then the body.
   */
  @FuzzTest(maxDuration = DURATION)
  void webhook(byte[] input) {
    String[] parts = new String(input, StandardCharsets.ISO_8859_1).split("\n", 3);
    String[] line = parts[0].split(" ", 2);
    String method = line[0].isEmpty() ? "POST" : line[0];
    String path = line.length > 1 ? line[1] : HookEndpoint.PREFIX + "jenkins";
    String signature = parts.length > 1 ? parts[1] : "valid";
    byte[] body = parts.length > 2 ? parts[2].getBytes(StandardCharsets.ISO_8859_1) : new byte[0];
    WebhookRequest.Builder request = WebhookRequest.builder(method, path).body(body);
    if (signature.equals("valid")) {
      byte[] secret = HOOK_SECRET.getBytes(StandardCharsets.UTF_8);
      request.header(HookEndpoint.SIGNATURE_HEADER, "sha256=" + HookEndpoint.hex(HookEndpoint.hmac(secret, body)));
    } else if (!signature.isEmpty()) {
      request.header(HookEndpoint.SIGNATURE_HEADER, signature);
    }

    WebhookRequest built = request.build();

    WebhookResponse response = ROUTER.handle(built);

    assertThat(response.status()).isIn(ROUTER_STATUSES);
    if (response.status() == 202) {
      assertThat(built.path()).isEqualTo(HookEndpoint.PREFIX + "jenkins");
      assertThat(built.method()).isEqualTo("POST");
    }
  }
}
