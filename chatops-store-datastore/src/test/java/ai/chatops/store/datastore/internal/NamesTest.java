package ai.chatops.store.datastore.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class NamesTest {
  @Test
  void successorIncrementsTheLastCodePoint() {
    assertThat(Names.successor("k/")).isEqualTo("k0");
    assertThat(Names.successor("a\uFFFF")).isEqualTo("a\uD800\uDC00");
    assertThat(Names.successor("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(Names.successor("a😀")).isEqualTo("a😁");
  }

  @Test
  void successorDropsTrailingMaximalCodePointsAndIsNullWhenNothingIsLeft() {
    String max = new String(Character.toChars(Character.MAX_CODE_POINT));
    assertThat(Names.successor("a" + max + max)).isEqualTo("b");
    assertThat(Names.successor(max)).isNull();
    assertThat(Names.successor("")).isNull();
  }

  @Test
  void namesAreKeysUnlessTooLongOrReserved() {
    assertThat(Names.of("dedupe/slack/1")).isEqualTo("dedupe/slack/1");
    assertThat(Names.of("__")).isEqualTo("__");
    assertThat(Names.of("__x__")).startsWith("__x__\u0000").hasSize(5 + 1 + 43);
    String wide = "日".repeat(512);
    String name = Names.of(wide);
    assertThat(name.getBytes(UTF_8).length).isLessThanOrEqualTo(Names.MAX_BYTES);
    assertThat(name).startsWith("日".repeat(Names.KEPT_BYTES / 3) + "\u0000");
    assertThat(Names.of(wide.substring(1) + "x")).isNotEqualTo(name);
  }

  @Test
  void boundsStepAroundReservedNames() {
    assertThat(Names.bound("__x__")).isEqualTo("__x__\u0000");
    assertThat(Names.bound("__x_")).isEqualTo("__x_");
  }
}
