package ai.chatops.console;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.BotPlugin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsoleServiceTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final EventRouter router =
      EventRouter.builder().service(ConsoleService.create(out)).plugin(BotPlugin.create()).build();

  @AfterEach
  void close() {
    router.close();
  }

  private String say(String line) {
    WebhookResponse response = router.handle(ConsoleService.request(line));
    assertThat(response.status()).isEqualTo(200);
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    bytes.reset();
    return printed;
  }

  @Test
  void answersPingThroughTheWholePath() {
    assertThat(say("bot ping")).isEqualTo("bot> pong\n");
  }

  @Test
  void echoesQuotedText() {
    assertThat(say("bot echo TEXT=\"hello  world\"")).isEqualTo("bot> hello world\n");
  }

  @Test
  void asksForWhatIsMissingAndContinuesWithTheAnswer() {
    assertThat(say("bot echo")).isEqualTo("bot> What should I repeat?\n");
    assertThat(say("all systems go")).isEqualTo("bot> all systems go\n");
  }

  @Test
  void reportsStatusWithEveryPluginsHealth() {
    assertThat(say("bot status")).matches("bot> Up \\d+s\\.\n     bot: PASSED\n");
  }

  @Test
  void refusesBodiesThatAreNotUtf8() {
    WebhookResponse response = router.handle(WebhookRequest.builder("POST", "/console")
        .body(new byte[] {(byte) 0xC3, (byte) 0x28}).build());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).isEqualTo("the console message is not valid UTF-8");
  }

  @Test
  void refusesHostileUserNames() {
    WebhookResponse response = router.handle(ConsoleService.request("hi").newBuilder()
        .header("X-Console-User", "<script>\n").build());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString())
        .isEqualTo("X-Console-User must be 1 to 64 letters, digits, '.', '_' or '-'");
  }

  @Test
  void givesEachLineItsOwnEventSoRepeatedWordsAreAnsweredAgain() {
    assertThat(say("bot ping")).isEqualTo("bot> pong\n");
    assertThat(say("bot ping")).isEqualTo("bot> pong\n");
  }

  @Test
  void printsFieldsTheLinkAndNumberedChoicesAndTakesAChoicesNumber() {
    ai.chatops.plugin.PluginRoutes routes = ai.chatops.plugin.PluginRoutes.builder("menu")
        .route("show", r -> r.handle(call -> ai.chatops.plugin.Action.builder("Pick one").field("Size", "large")
            .link("Docs", "https://example.com/menu").choice("Ping the bot", "bot ping")
            .choice("Echo", "bot echo TEXT=hi").ephemeral(true).build()))
        .build();
    ai.chatops.plugin.Plugin menu = new ai.chatops.plugin.Plugin() {
      @Override
      public String name() {
        return "menu";
      }

      @Override
      public java.util.Optional<ai.chatops.plugin.PluginRoutes> routes() {
        return java.util.Optional.of(routes);
      }

      @Override
      public ai.chatops.plugin.PluginConfig config() {
        return ai.chatops.plugin.PluginConfig.parse("menu", "<test>", new java.io.StringReader("Version: 1\n"),
            routes.routes());
      }
    };
    try (EventRouter withMenu = EventRouter.builder().service(ConsoleService.create(out)).plugin(BotPlugin.create())
        .plugin(menu).build()) {
      withMenu.handle(ConsoleService.request("menu show"));
      assertThat(withMenu.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n",
          "bot> Pick one (only you)",
          "     Size: large",
          "     Docs: https://example.com/menu",
          "     1) Ping the bot",
          "     2) Echo",
          ""));
      bytes.reset();
      withMenu.handle(ConsoleService.request("2"));
      assertThat(withMenu.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("bot> hi\n");
    }
  }
}
