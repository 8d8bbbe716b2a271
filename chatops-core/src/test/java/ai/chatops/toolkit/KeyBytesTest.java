package ai.chatops.toolkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class KeyBytesTest {
  private final KeyBytes bytes = new KeyBytes(1024);

  @Test
  void aKeyThatFitsIsKept() {
    String ascii = "k".repeat(512);
    assertThat(bytes.of(ascii)).isSameAs(ascii);
    assertThat(bytes.of("event/slack/Ev1")).isEqualTo("event/slack/Ev1");
  }

  @Test
  void aLongKeyIsCutOnACharacterBoundaryAndHashedSoDistinctKeysStayDistinct() {
    String wide = "😀".repeat(300); // 1,200 bytes of UTF-8 in 600 chars
    String shortened = bytes.of(wide);

    assertThat(shortened.getBytes(UTF_8).length).isLessThanOrEqualTo(1024);
    assertThat(shortened).startsWith("😀".repeat(bytes.keptBytes() / 4) + "\u0000");
    assertThat(shortened).hasSize(bytes.keptBytes() / 4 * 2 + 1 + 43);
    assertThat(bytes.of(wide.substring(2) + "x")).isNotEqualTo(shortened);
  }

  @Test
  void aPrefixQueryFindsShortenedKeysByTheirKeptStart() {
    String wide = "日".repeat(400); // 1,200 bytes
    String prefix = wide.substring(0, 390);

    assertThat(bytes.of(wide)).startsWith(bytes.queryPrefix(prefix));
    assertThat(bytes.queryPrefix("event/")).isEqualTo("event/");
  }

  @Test
  void utf8LengthCountsSurrogatePairsAsFourBytes() {
    for (String s : new String[] {"", "a", "é", "日", "😀", "a😀é日"}) {
      assertThat(KeyBytes.utf8Length(s)).as(s).isEqualTo(s.getBytes(UTF_8).length);
    }
    assertThat(KeyBytes.utf8Length("\uD800")).as("a lone surrogate, as three bytes").isEqualTo(3);
  }

  @Test
  void aLoneSurrogateInALongKeyIsRefused() {
    String broken = "日".repeat(400) + "\uD800";
    assertThatThrownBy(() -> bytes.of(broken.substring(0, 10) + "\uD800" + broken))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
  }

  @Test
  void aLimitWithNoRoomForTheHashIsRefused() {
    assertThatThrownBy(() -> new KeyBytes(44)).isInstanceOf(IllegalArgumentException.class);
  }
}
