package ai.chatops.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void returnsSetValuesAndTreatsBlankAsUnset() {
    Credentials credentials = Credentials.of(ordered("JENKINS_URL", "https://ci", "JENKINS_TOKEN", "  "));

    assertThat(credentials.get("JENKINS_URL")).contains("https://ci");
    assertThat(credentials.get("JENKINS_TOKEN")).isEmpty();
    assertThat(credentials.get("OTHER")).isEmpty();
    assertThat(credentials.keys()).containsExactly("JENKINS_URL", "JENKINS_TOKEN");
  }

  @Test
  void treatsANullValueAsUnset() {
    Map<String, String> values = new HashMap<>();
    values.put("JENKINS_TOKEN", null);

    assertThat(Credentials.of(values).get("JENKINS_TOKEN")).isEmpty();
    assertThat(Credentials.of(values).keys()).containsExactly("JENKINS_TOKEN");
  }

  @Test
  void requireNamesTheMissingKey() {
    assertThatThrownBy(() -> Credentials.of(ordered("JENKINS_TOKEN", "")).require("JENKINS_TOKEN"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "credential JENKINS_TOKEN is not set; give it under Credentials in the plugin's config.yaml, or"
                + " supply it from the host application with Credentials.withOverrides(...)");
  }

  @Test
  void letsHostValuesWinWithoutErasingWithBlanks() {
    Credentials declared = Credentials.of(ordered("JENKINS_URL", "https://config", "JENKINS_TOKEN", ""));

    Credentials merged =
        declared.withOverrides(ordered("JENKINS_URL", "https://host", "JENKINS_TOKEN", "t", "EXTRA", ""));
    Credentials blanks = declared.withOverrides(ordered("JENKINS_URL", " "));

    assertThat(merged.get("JENKINS_URL")).contains("https://host");
    assertThat(merged.require("JENKINS_TOKEN")).isEqualTo("t");
    assertThat(merged.keys()).containsExactly("JENKINS_URL", "JENKINS_TOKEN", "EXTRA");
    assertThat(blanks.get("JENKINS_URL")).contains("https://config");
    assertThat(declared.get("JENKINS_URL")).contains("https://config");
  }

  @Test
  void masksEveryValueInToString() {
    Credentials credentials = Credentials.of(ordered("JENKINS_URL", "https://ci", "JENKINS_USER", "alec", "X", ""));

    assertThat(credentials).hasToString("Credentials{JENKINS_URL=***, JENKINS_USER=***, X=<unset>}");
    assertThat(Credentials.empty()).hasToString("Credentials{}");
  }

  @Test
  void comparesByNamesAndValues() {
    assertThat(Credentials.of(ordered("A", "1"))).isEqualTo(Credentials.of(Map.of("A", "1")));
    assertThat(Credentials.of(ordered("A", "1"))).hasSameHashCodeAs(Credentials.of(Map.of("A", "1")));
    assertThat(Credentials.of(ordered("A", "1"))).isNotEqualTo(Credentials.of(Map.of("A", "2")));
    assertThat(Credentials.of(Map.of())).isSameAs(Credentials.empty());
  }

  @Test
  void rejectsAnOverrideWithABadName() {
    assertThatThrownBy(() -> Credentials.empty().withOverrides(Map.of("jenkins_url", "x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "credential name 'jenkins_url' is not valid; use UPPER_SNAKE ([A-Z][A-Z0-9_]*), e.g. JENKINS_URL");
  }
}
