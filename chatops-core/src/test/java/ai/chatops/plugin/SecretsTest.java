package ai.chatops.plugin;

import static ai.chatops.plugin.PluginConfigTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Credential values never reach a message, a stack trace or a toString, even when they are the problem. */
class SecretsTest {
  static final String SECRET = "Zq7-s3cr3t-Vk91";

  static String everythingPrinted(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "  TOKEN: " + SECRET + "\n  token_two: " + SECRET + "\n",
        "  TOKEN: [" + SECRET + "]\n",
        "  TOKEN: {" + SECRET + ": x}\n",
        "  TOKEN: " + SECRET + ": nested\n",
        "  TOKEN: *" + SECRET + "\n",
        "  TOKEN: &" + SECRET + " x\n",
        "  TOKEN: !" + SECRET + " x\n",
        "  TOKEN: \"\\U" + SECRET + "\"\n",
        "  TOKEN: \"" + SECRET + "\n",
        "  TOKEN: " + SECRET + "\n  TOKEN: " + SECRET + "\n",
        "  " + SECRET + "\n",
        "  TOKEN: '" + SECRET + "'\n\t" + SECRET + "\n",
      })
  void neverQuotesACredentialValueInAnError(String credentials) {
    String yaml = "Version: 1\nCredentials:\n" + credentials + "Routes: [/v1/jenkins/build]\n";

    ConfigurationException e = failure(yaml);

    assertThat(e.getMessage()).startsWith("jenkins config.yaml");
    assertThat(everythingPrinted(e)).doesNotContain(SECRET).doesNotContain("s3cr3t");
  }

  @Test
  void namesOnlyTheKeyOfACredentialWithAWrongValue() {
    assertThat(failure("Version: 1\nCredentials:\n  TOKEN: [" + SECRET + "]\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage(
            "jenkins config.yaml line 3: Credentials.TOKEN: expected a single value (string, number or"
                + " boolean), found a list");
  }

  @Test
  void masksValuesInToString() {
    PluginConfig config =
        PluginConfig.parse(
            "jenkins", "Version: 1\nCredentials:\n  TOKEN: " + SECRET + "\nRoutes: [/v1/jenkins/build]\n");

    assertThat(config.toString()).doesNotContain(SECRET);
    assertThat(config.credentials()).hasToString("Credentials{TOKEN=***}");
  }

  @Test
  void credentialsOfAMapNeverQuoteTheValueOfABadName() {
    assertThatThrownBy(() -> Credentials.of(Map.of("token", SECRET)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("credential name 'token' is not valid; use UPPER_SNAKE ([A-Z][A-Z0-9_]*), e.g. JENKINS_URL");
  }
}
