package ai.chatops.dialog.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words, honouring double and single quotes and backslash escapes inside
 * double quotes: {@code ID=api BRANCH="release 2.4"} is two words, {@code ID=api} and
 * {@code BRANCH=release 2.4}.
 */
public final class CommandTokenizer {
  private CommandTokenizer() {}

  /** A word and where it started in the text (0-based). */
  public record Token(String text, int start) {}

  /** Thrown for text the tokenizer cannot split, such as an unclosed quote. */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  public static List<Token> tokenize(String text) throws SyntaxException {
    List<Token> tokens = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int start = -1;
    char quote = 0;
    int quoteStart = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < text.length()
            && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (start >= 0) {
          tokens.add(new Token(word.toString(), start));
          word.setLength(0);
          start = -1;
        }
      } else {
        if (start < 0) {
          start = i;
        }
        if (c == '"' || c == '\'') {
          quote = c;
          quoteStart = i;
        } else {
          word.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new SyntaxException(
          "the quote " + quote + " at position " + (quoteStart + 1) + " is never closed");
    }
    if (start >= 0) {
      tokens.add(new Token(word.toString(), start));
    }
    return tokens;
  }
}
