package ai.chatops.dialog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

final class BuiltInStepsTest {
  /** The normalisation as three replacements, which {@link BuiltInSteps#normalize} must match exactly. */
  private static String reference(String text) {
    String s = Pattern.compile("[\\u200B-\\u200D\\u2060\\uFEFF]").matcher(text).replaceAll("");
    s = s.replace('\u201C', '"').replace('\u201D', '"').replace('\u201E', '"')
        .replace('\u2018', '\'').replace('\u2019', '\'');
    return Pattern.compile("[\\s\\u00A0\\u2007\\u202F]+").matcher(s).replaceAll(" ").trim();
  }

  @Test
  void leavesPlainTextAsItIsButForTheEnds() {
    assertThat(BuiltInSteps.normalize("  jenkins build api ")).isEqualTo("jenkins build api");
    assertThat(BuiltInSteps.normalize("bot ping")).isEqualTo("bot ping");
  }

  @Test
  void normalizesSpacesQuotesAndInvisibleCharacters() {
    assertThat(BuiltInSteps.normalize("\u201Cbuild\u201D \t\u00A0 it\u200B\u2019s\u2007now\u202F\n"))
        .isEqualTo("\"build\" it's now");
  }

  @Test
  void normalizesEveryMixOfCharactersAsTheRegularExpressionsDo() {
    char[] alphabet = {'a', 'Z', '1', ' ', ' ', '\t', '\n', '\u000B', '\f', '\r', '\u0001', '\u001F', '\u00A0',
        '\u00E9', '\u2007', '\u202F', '\u200A', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u201C',
        '\u201D', '\u201E', '\u2018', '\u2019', '\u201A', '"', '\''};
    SplittableRandom random = new SplittableRandom(21);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(9);
      for (int i = 0; i < length; i++) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String s = text.toString();
      assertThat(BuiltInSteps.normalize(s)).as("normalize(%s)", s.chars().mapToObj(Integer::toHexString).toList())
          .isEqualTo(reference(s));
    }
  }
}
