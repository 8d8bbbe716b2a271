package ai.chatops.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.EntityDefinition;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Fuzzes the typed attribute parsers with any value a user can type (seeds under
 * {@code AttributeTypeFuzzTestInputs/attributeValues}). Each type either gives its canonical text, which it
 * accepts again unchanged, or refuses with an {@link IllegalArgumentException} naming the attribute; anything
 * else is a finding.
 */
class AttributeTypeFuzzTest {
  private static final List<AttributeType> TYPES = List.of(AttributeType.STRING, AttributeType.INTEGER,
      AttributeType.BOOLEAN, AttributeType.DURATION,
      AttributeType.entity(new EntityDefinition("env", List.of(
          new EntityDefinition.Entry("production", List.of("prod", "live"))))),
      AttributeType.entity(new EntityDefinition("branch", List.of(
          new EntityDefinition.Entry("develop", List.of("dev"))), true)));

  @FuzzTest(maxDuration = Fuzzing.DURATION)
  void attributeValues(byte[] input) {
    String value = new String(input, StandardCharsets.UTF_8);
    for (AttributeType type : TYPES) {
      String canonical;
      try {
        canonical = type.canonical("ATTR", value);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).startsWith("ATTR ");
        assertThat(e.getMessage().length()).isLessThan(200);
        continue;
      }
      assertThat(type.canonical("ATTR", canonical)).isEqualTo(canonical);
      if (type == AttributeType.DURATION) {
        assertThat(Duration.parse(canonical).isNegative()).isFalse();
      }
    }
  }
}
