package ai.chatops.messenger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunksTest {
  @Test
  void keepsATextThatFits() {
    assertThat(Chunks.split("hello", 10)).containsExactly("hello");
    assertThat(Chunks.split("", 10)).containsExactly("");
  }

  @Test
  void cutsAtALineBreakBeforeASpace() {
    assertThat(Chunks.split("one two\nthree four", 12)).containsExactly("one two", "three four");
  }

  @Test
  void cutsAWordWithoutSpacesAtTheLimit() {
    assertThat(Chunks.split("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
  }

  @Test
  void neverCutsASurrogatePair() {
    String rocket = "\uD83D\uDE80";
    List<String> parts = Chunks.split("abc" + rocket + "def", 4);

    assertThat(parts).containsExactly("abc", rocket + "de", "f");
    assertThat(String.join("", parts)).isEqualTo("abc" + rocket + "def");
  }
}
