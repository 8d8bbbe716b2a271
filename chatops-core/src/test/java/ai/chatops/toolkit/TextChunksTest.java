package ai.chatops.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunksTest {
  @Test
  void keepsATextThatFits() {
    assertThat(TextChunks.split("hello", 10)).containsExactly("hello");
    assertThat(TextChunks.split("", 10)).containsExactly("");
  }

  @Test
  void cutsAtALineBreakBeforeASpace() {
    assertThat(TextChunks.split("one two\nthree four", 12)).containsExactly("one two", "three four");
  }

  @Test
  void cutsAWordWithoutSpacesAtTheLimit() {
    assertThat(TextChunks.split("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
  }

  @Test
  void neverCutsASurrogatePair() {
    String rocket = "\uD83D\uDE80";
    List<String> parts = TextChunks.split("abc" + rocket + "def", 4);

    assertThat(parts).containsExactly("abc", rocket + "de", "f");
    assertThat(String.join("", parts)).isEqualTo("abc" + rocket + "def");
  }
}
