package ai.chatops.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.PluginConfig;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes a plugin's {@code config.yaml} ({@link PluginConfig#parse}; seeds under
 * {@code PluginConfigFuzzTestInputs/pluginConfig}): any document gives a config or a
 * {@link ConfigurationException}, nothing else.
 */
class PluginConfigFuzzTest {
  @FuzzTest(maxDuration = Fuzzing.DURATION)
  void pluginConfig(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    try {
      PluginConfig config = PluginConfig.parse("fuzz", yaml);
      assertThat(config.name()).isEqualTo("fuzz");
    } catch (ConfigurationException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
