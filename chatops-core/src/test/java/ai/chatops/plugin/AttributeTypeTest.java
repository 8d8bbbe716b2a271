package ai.chatops.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AttributeTypeTest {
  private static final AttributeType ENV = AttributeType.entity(new EntityDefinition("env", List.of(
      new EntityDefinition.Entry("production", List.of("prod", "live")),
      new EntityDefinition.Entry("staging", List.of("stage")))));
  private static final AttributeType BRANCH = AttributeType.entity(new EntityDefinition("branch", List.of(
      new EntityDefinition.Entry("develop", List.of("dev"))), true));

  @ParameterizedTest
  @CsvSource({"prod,production", "LIVE,production", "Production,production", "stage,staging", " staging ,staging"})
  void mapsSynonymsToTheCanonicalValueInAnyCase(String raw, String canonical) {
    assertThat(ENV.canonical("ENV", raw)).isEqualTo(canonical);
  }

  @Test
  void refusesAValueOutsideAClosedEntityListingTheAllowedValues() {
    assertThatThrownBy(() -> ENV.canonical("ENV", "qa")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ENV must be one of production, staging (not 'qa')");
    assertThat(ENV.closed()).isTrue();
    assertThat(ENV.allowedValues()).containsExactly("production", "staging");
  }

  @Test
  void keepsAnyValueOfAnOpenEntityMappingItsSynonyms() {
    assertThat(BRANCH.canonical("BRANCH", "dev")).isEqualTo("develop");
    assertThat(BRANCH.canonical("BRANCH", "release/3.1")).isEqualTo("release/3.1");
    assertThat(BRANCH.closed()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"42,42", "+7,7", "-3,-3", "007,7"})
  void readsIntegers(String raw, String canonical) {
    assertThat(AttributeType.INTEGER.canonical("N", raw)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({"yes,true", "On,true", "1,true", "no,false", "OFF,false", "false,false"})
  void readsBooleans(String raw, String canonical) {
    assertThat(AttributeType.BOOLEAN.canonical("DRY_RUN", raw)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({"90s,PT1M30S", "10m,PT10M", "1h30m,PT1H30M", "2d,PT48H", "PT5M,PT5M", "pt1h,PT1H"})
  void readsDurationsShortOrIso(String raw, String canonical) {
    assertThat(AttributeType.DURATION.canonical("WAIT", raw)).isEqualTo(canonical);
  }

  @Test
  void namesTheAttributeAndTheExpectedTypeOfAWrongValue() {
    assertThatThrownBy(() -> AttributeType.INTEGER.canonical("REPLICAS", "many"))
        .hasMessage("REPLICAS must be a whole number, such as 42 (not 'many')");
    assertThatThrownBy(() -> AttributeType.INTEGER.canonical("REPLICAS", "99999999999999999999"))
        .hasMessage("REPLICAS must be a whole number, such as 42 (not '99999999999999999999')");
    assertThatThrownBy(() -> AttributeType.BOOLEAN.canonical("DRY_RUN", "maybe"))
        .hasMessage("DRY_RUN must be yes or no (not 'maybe')");
    assertThatThrownBy(() -> AttributeType.DURATION.canonical("WAIT", "soon"))
        .hasMessage("WAIT must be a duration, such as 90s, 10m or 1h30m (not 'soon')");
    assertThatThrownBy(() -> AttributeType.DURATION.canonical("WAIT", "-PT5M"))
        .hasMessage("WAIT must be a duration, such as 90s, 10m or 1h30m (not '-PT5M')");
    assertThatThrownBy(() -> AttributeType.STRING.canonical("ID", "  ")).hasMessage("ID needs a value");
  }

  @Test
  void clipsALongWrongValueInTheMessage() {
    assertThatThrownBy(() -> AttributeType.INTEGER.canonical("N", "x".repeat(500)))
        .hasMessage("N must be a whole number, such as 42 (not '" + "x".repeat(40) + "...')");
  }

  @Test
  void describesItselfForSchemas() {
    assertThat(AttributeSpec.required("ENV", ENV).dataType()).isEqualTo("@env");
    assertThat(AttributeSpec.optional("N", AttributeType.INTEGER).dataType()).isEqualTo("@sys.number");
    assertThat(AttributeSpec.optional("WAIT", AttributeType.DURATION).dataType()).isEqualTo("@sys.any");
    assertThat(ENV.displayName()).isEqualTo("@env");
    assertThat(AttributeType.oneOf("size", "s", "m").allowedValues()).containsExactly("s", "m");
    assertThatThrownBy(() -> AttributeSpec.optional("lower", AttributeType.STRING))
        .hasMessage("attribute name must be UPPER_SNAKE (A-Z, 0-9, _; up to 64) but was 'lower'");
  }
}
