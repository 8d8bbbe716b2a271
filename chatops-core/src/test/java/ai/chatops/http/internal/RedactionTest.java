package ai.chatops.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void dropsUserInfoFragmentAndSecretQueryValues() {
    assertThat(Redaction.url("https://bob:pw@h.example/a?api_key=k1&page=2&access_token=t#frag"))
        .isEqualTo("https://h.example/a?api_key=***&page=2&access_token=***");
  }

  @Test
  void dropsUserInfoAndQueryOfAnUrlItCannotParse() {
    assertThat(Redaction.url("ftp://bob:pw@h.example/a?token=t")).isEqualTo("ftp://h.example/a");
  }

  @Test
  void keepsShortTextAndCollapsesWhitespace() {
    assertThat(Redaction.excerpt("  a\n\n b\u0007c  ")).isEqualTo("a b c");
  }

  @Test
  void cutsLongTextTo200CharactersWithoutSplittingASurrogatePair() {
    String text = "a".repeat(196) + "\uD83D\uDE00" + "b".repeat(10);

    String excerpt = Redaction.excerpt(text);

    assertThat(excerpt).isEqualTo("a".repeat(196) + "...");
  }

  @Test
  void marksTextCutBeforeItsEndEvenWhenTheRestIsWhitespace() {
    assertThat(Redaction.excerpt("a" + " ".repeat(5000) + "b")).isEqualTo("a...");
  }
}
