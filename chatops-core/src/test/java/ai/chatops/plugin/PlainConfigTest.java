package ai.chatops.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.internal.PlainConfig;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The simplest config.yaml is read without SnakeYAML, and means exactly what SnakeYAML's reading means. */
class PlainConfigTest {
  private static final List<Route> IN_CODE = List.of(
      new Route("/v1/bot/ping", "bot", "ping", Optional.of("answers pong"), List.of()),
      new Route("/v1/bot/echo", "bot", "echo", Optional.empty(), List.of("TEXT", "TIMES")));

  @Test
  void readsTheSimplestDocumentsAsSnakeYamlDoes() {
    for (String text : List.of(
        "Version: 0.1.0\n",
        "# a comment\nVersion: 1.10\nWebsite: https://github.com/chatops-ai/chatops-java\nAuthor: chatops-java\n",
        "Author: a@b.example  # who\r\n\r\n  # indented comment\r\nVersion: 2026-01-01\r\n",
        "Version: 0x1F\nWebsite: http://x.example:8080/a/b~c",
        "Version: v1+build.7\n")) {
      assertThat(PlainConfig.read(text, IN_CODE)).as(text).isPresent();
      assertSame(text);
    }
  }

  @Test
  void leavesEverythingElseToSnakeYaml() {
    for (String text : List.of(
        "", "# only a comment\n", "Version: yes\n", "Version: null\n", "Version: ~\n", "Version:\n",
        "Version: 'quoted'\n", "Version: 1.0\nVersion: 2.0\n", "version: 1.0\n", "Version: two words\n",
        "Version: 1.0\n  continued\n", "Version: 1.0\nCredentials:\n  TOKEN: x\n", "Version: a:\n",
        "Version: 1.0\nRoutes: [/v1/bot/ping, /v1/bot/echo]\n", "Version: 1.0\nUnknown: x\n",
        "Version:\t1.0\n", "---\nVersion: 1.0\n", "\uFEFFVersion: 1.0\n", "Version: [1]\n",
        "Version: 1.0\nAccess:\n  ping: {allow: {users: [U1]}}\n", "Version: &a 1.0\n", "Version: -1\n")) {
      assertThat(PlainConfig.read(text, IN_CODE)).as(text).isEmpty();
      assertSame(text);
    }
  }

  @Test
  void needsRoutesInCode() {
    assertThat(PlainConfig.read("Version: 1.0\n", List.of())).isEmpty();
  }

  /** The text read through the resources' path and through SnakeYAML: the same config or the same error. */
  private static void assertSame(String text) {
    PluginConfig plain = null;
    PluginConfig yaml = null;
    Throwable plainError = null;
    Throwable yamlError;
    try {
      plain = PluginConfig.parse("bot", "config.yaml", text, IN_CODE);
    } catch (RuntimeException e) {
      plainError = e;
    }
    try {
      yaml = PluginConfig.parse("bot", "config.yaml", new StringReader(text), IN_CODE);
      yamlError = null;
    } catch (RuntimeException e) {
      yamlError = e;
    }
    if (yaml == null) {
      assertThat(plainError).as(text).isNotNull().hasMessage(yamlError.getMessage());
      return;
    }
    assertThat(plain).as(text).isNotNull();
    assertThat(plain.version()).as(text).isEqualTo(yaml.version());
    assertThat(plain.website()).as(text).isEqualTo(yaml.website());
    assertThat(plain.author()).as(text).isEqualTo(yaml.author());
    assertThat(plain.routes()).as(text).isEqualTo(yaml.routes());
    assertThat(plain.attributes()).as(text).isEqualTo(yaml.attributes());
    assertThat(plain.credentials()).as(text).isEqualTo(yaml.credentials());
    assertThat(plain.accessRules()).as(text).isEqualTo(yaml.accessRules());
  }
}
