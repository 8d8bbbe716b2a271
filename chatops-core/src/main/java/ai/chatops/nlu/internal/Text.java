package ai.chatops.nlu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Splits messages into words, and the few word-level rules the engine shares. */
public final class Text {
  /** Words that say little about what a message asks for; they still serve as context around values. */
  static final Set<String> STOP = Set.of(
      "a", "an", "the", "please", "pls", "plz", "to", "of", "for", "me", "my", "i", "can", "could", "would",
      "will", "on", "in", "at", "with", "and", "it", "this", "that", "be", "hey", "just", "us", "our", "kindly",
      "now", "thanks", "thank", "from", "some", "like", "want", "need", "ahead", "quickly", "right", "away",
      "asap", "real", "quick", "also", "then", "again", "ok", "okay", "so", "by", "yo", "mate", "buddy");
  private static final String LEADING = "\"'`([{<*_";
  private static final String TRAILING = "\"'`)]}>?!,;:.*_";

  private Text() {}

  /** Splits {@code text} at white space, trimming quotes and trailing punctuation from each word. */
  public static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int end = i;
      while (start < end && LEADING.indexOf(text.charAt(start)) >= 0) {
        start++;
      }
      while (end > start && TRAILING.indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
      if (end > start) {
        String word = text.substring(start, end);
        String lower = word.toLowerCase(Locale.ROOT);
        tokens.add(new Token(word, lower, stem(lower), start, end));
      }
    }
    return tokens;
  }

  /** Whether a word is a stop word. */
  static boolean isStop(Token token) {
    return STOP.contains(token.lower()) || STOP.contains(token.stem());
  }

  /** Removes a few English suffixes, so that builds, building and built-in forms meet. */
  static String stem(String lower) {
    String w = lower;
    if (w.endsWith("'s") || w.endsWith("’s")) {
      w = w.substring(0, w.length() - 2);
    }
    if (w.endsWith("n't")) {
      w = w.substring(0, w.length() - 3);
    }
    if (!isAlpha(w)) {
      return w;
    }
    int n = w.length();
    if (n > 5 && w.endsWith("ing")) {
      w = undouble(w.substring(0, n - 3));
    } else if (n > 4 && w.endsWith("ied")) {
      w = w.substring(0, n - 3) + "y";
    } else if (n > 4 && w.endsWith("ed")) {
      w = undouble(w.substring(0, n - 2));
    } else if (n > 4 && w.endsWith("ies")) {
      w = w.substring(0, n - 3) + "y";
    } else if (n > 4 && (w.endsWith("ches") || w.endsWith("shes") || w.endsWith("sses") || w.endsWith("xes"))) {
      w = w.substring(0, n - 2);
    } else if (n > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
      w = w.substring(0, n - 1);
    }
    return w;
  }

  private static String undouble(String w) {
    int n = w.length();
    if (n > 2 && w.charAt(n - 1) == w.charAt(n - 2) && "lsz".indexOf(w.charAt(n - 1)) < 0
        && "aeiou".indexOf(w.charAt(n - 1)) < 0) {
      return w.substring(0, n - 1);
    }
    return w;
  }

  private static boolean isAlpha(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (!Character.isLetter(w.charAt(i))) {
        return false;
      }
    }
    return !w.isEmpty();
  }

  /** The longest shape {@link #shape(String)} gives. */
  static final int SHAPE_LENGTH = 12;

  /** The word's shape: letters as {@code a} or {@code A}, digits as {@code 0}, runs collapsed. */
  static String shape(String word) {
    char[] shape = new char[SHAPE_LENGTH];
    return new String(shape, 0, shape(word, shape));
  }

  /** Writes {@link #shape(String)} into {@code into} (at least {@link #SHAPE_LENGTH} long); its length. */
  static int shape(String word, char[] into) {
    int length = 0;
    char last = 0;
    for (int i = 0; i < word.length() && length < SHAPE_LENGTH; i++) {
      char c = word.charAt(i);
      char s = Character.isDigit(c) ? '0'
          : Character.isUpperCase(c) ? 'A'
          : Character.isLetter(c) ? 'a'
          : c;
      if (s != last) {
        into[length++] = s;
        last = s;
      }
    }
    return length;
  }

  /** Whether a word looks like an identifier rather than a plain word: it has digits, capitals or symbols. */
  static boolean looksLikeIdentifier(String word) {
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (!Character.isLowerCase(c)) {
        return true;
      }
    }
    return false;
  }
}
