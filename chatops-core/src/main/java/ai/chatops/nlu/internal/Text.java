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
      "asap", "real", "quick", "also", "then", "again", "ok", "okay", "so", "by", "yo", "mate", "buddy",
      // Politeness and sign-offs around a command (issue #23): they say nothing about what is asked.
      "thx", "ty", "tia", "cheers", "cheer", "u", "mind",
      // The frame of a reported question ("wants to know if X passed", "I wonder whether ..."): the question
      // inside it is what is asked.
      "if", "whether", "know", "wonder", "wondering", "wanna");
  // A greeting or an address before the command ("hey bot,", "hi there!", "good morning", "chatops:").
  private static final Set<String> GREETINGS = Set.of(
      "hi", "hello", "hey", "heya", "hiya", "yo", "howdy", "greetings", "morning", "afternoon", "evening",
      "dear", "ahoy", "sup");
  private static final Set<String> ADDRESSEES = Set.of(
      "bot", "chatops", "there", "all", "team", "folks", "everyone", "guys", "y'all", "friend", "mate", "buddy");
  private static final String LEADING = "\"'`([{<*_";
  private static final String TRAILING = "\"'`)]}>?!,;:.*_";

  private Text() {}

  /**
   * Splits {@code text} at white space, trimming quotes, code marks and trailing punctuation from each word.
   * What people type around a command is left out: mentions of people ({@code <@U123>}, {@code @dana}),
   * emoji (Unicode, and Slack's {@code :shortcodes:}) and words with no letter or digit. Offsets stay those of
   * {@code text}.
   */
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
      if (isDecoration(text, start, end)) {
        continue;
      }
      while (start < end && LEADING.indexOf(text.charAt(start)) >= 0) {
        start++;
      }
      while (end > start && TRAILING.indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
      if (end > start && hasLetterOrDigit(text, start, end)) {
        String word = text.substring(start, end);
        String lower = word.toLowerCase(Locale.ROOT);
        tokens.add(new Token(word, lower, stem(lower), start, end));
      }
    }
    return tokens;
  }

  /**
   * The words of a message: {@link #tokenize(String)} without a leading greeting with the name it addresses
   * ("hey bot,", "good morning team", "hi there!") or a leading address alone ("bot:", "chatops,"). Training
   * phrases keep theirs, since a value may start one.
   */
  public static List<Token> words(String text) {
    return dropAddress(text, tokenize(text));
  }

  /** A mention of someone ({@code <@U1>}, {@code <!here>}, {@code @dana}) or a Slack emoji shortcode. */
  private static boolean isDecoration(String text, int start, int end) {
    if (end - start >= 2 && (text.startsWith("<@", start) || text.startsWith("<!", start)
        || text.startsWith("<#", start))) {
      return true;
    }
    if (end - start >= 2 && text.charAt(start) == '@' && Character.isLetterOrDigit(text.charAt(start + 1))) {
      return true;
    }
    // :pray: :+1: :+1::skin-tone-2: and the punctuation after them
    int e = end;
    while (e > start && ",.!?;)".indexOf(text.charAt(e - 1)) >= 0) {
      e--;
    }
    if (e - start < 3 || text.charAt(start) != ':' || text.charAt(e - 1) != ':') {
      return false;
    }
    for (int k = start + 1; k < e - 1; k++) {
      char c = text.charAt(k);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "_+-':".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasLetterOrDigit(String text, int start, int end) {
    for (int k = start; k < end; ) {
      int cp = text.codePointAt(k);
      if (Character.isLetterOrDigit(cp)) {
        return true;
      }
      k += Character.charCount(cp);
    }
    return false;
  }

  /**
   * Drops a leading greeting with the name it addresses ("hey bot,", "good morning team", "hi there!") or a
   * leading address alone ("bot:", "chatops,"), when words follow it.
   */
  private static List<Token> dropAddress(String text, List<Token> tokens) {
    int from = 0;
    if (tokens.size() > 1 && tokens.get(0).lower().equals("good") && GREETINGS.contains(tokens.get(1).lower())) {
      from = 2;
    } else if (!tokens.isEmpty() && GREETINGS.contains(tokens.get(0).lower())) {
      from = 1;
    }
    if (from < tokens.size() && ADDRESSEES.contains(tokens.get(from).lower())
        && (from > 0 || followedBy(text, tokens.get(from), ",:"))) {
      from++;
    } else if (from > 0 && from < tokens.size() && followedBy(text, tokens.get(from), ",:!")
        && from + 1 < tokens.size()) {
      from++; // "hey Jarvis, build ...": the bot's own name after a greeting
    }
    if (from == 0 || from >= tokens.size()) {
      return tokens;
    }
    return new ArrayList<>(tokens.subList(from, tokens.size()));
  }

  private static boolean followedBy(String text, Token token, String marks) {
    int e = token.end();
    while (e < text.length() && TRAILING.indexOf(text.charAt(e)) >= 0 && marks.indexOf(text.charAt(e)) < 0) {
      e++;
    }
    return e < text.length() && marks.indexOf(text.charAt(e)) >= 0;
  }

  /** Whether a word is a stop word. */
  static boolean isStop(Token token) {
    // a word without a suffix is its own stem, the same string: looked up once
    return STOP.contains(token.lower()) || token.stem() != token.lower() && STOP.contains(token.stem());
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
    if (n > 5 && w.endsWith("ing") && !(n == 7 && w.charAt(2) == w.charAt(3))) {
      // running, getting, setting stay whole: in chat about builds they describe a state ("the running
      // build"), while their verbs ("run X") ask for an action
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

  /**
   * Whether two words are one edit apart: one letter changed, added or dropped, or two neighbouring letters
   * swapped ("biuld" and "build"); equal words are not.
   */
  static boolean oneEditApart(String a, String b) {
    int la = a.length();
    int lb = b.length();
    if (Math.abs(la - lb) > 1 || a.equals(b)) {
      return false;
    }
    int i = 0;
    while (i < la && i < lb && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (la == lb) {
      if (a.regionMatches(i + 1, b, i + 1, la - i - 1)) {
        return true; // one letter changed
      }
      return i + 1 < la && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
          && a.regionMatches(i + 2, b, i + 2, la - i - 2);
    }
    return la > lb ? a.regionMatches(i + 1, b, i, lb - i) : b.regionMatches(i + 1, a, i, la - i);
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
