package ai.chatops.nlu.internal;

import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentParameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds dictionary entity values (longest synonym first) and numbers in a message. Immutable after
 * construction and thread-safe.
 */
public final class Gazetteer {
  /** Longer synonyms first, so that the longest mention wins. */
  private static final Comparator<Synonym> LONGEST_FIRST = new Comparator<>() {
    @Override
    public int compare(Synonym a, Synonym b) {
      return Integer.compare(b.words().length, a.words().length);
    }
  };

  private static final List<String> NUMBER_WORDS = List.of(
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
      "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty");

  /** A value found in a message: tokens {@code [from, to)} say {@code value} of {@code dataType}. */
  public record Mention(String dataType, String value, int from, int to) {}

  /** A synonym's lower-case words, and the value of the entity type it says. */
  record Synonym(String[] words, String dataType, String value) {}

  private final Map<String, List<Synonym>> byFirstWord = new HashMap<>();

  /** Indexes every synonym and value of the given entities. */
  public Gazetteer(List<EntityDefinition> entities) {
    for (EntityDefinition entity : entities) {
      for (EntityDefinition.Entry entry : entity.entries()) {
        List<String> all = new ArrayList<>(entry.synonyms());
        all.add(entry.value());
        for (String synonym : all) {
          List<Token> tokens = Text.tokenize(synonym);
          if (tokens.isEmpty()) {
            continue;
          }
          // Loops, not streams and lambdas: the models are fitted on a cold router's first free-text event.
          String[] words = new String[tokens.size()];
          for (int i = 0; i < words.length; i++) {
            words[i] = tokens.get(i).lower();
          }
          List<Synonym> same = byFirstWord.get(words[0]);
          if (same == null) {
            same = new ArrayList<>();
            byFirstWord.put(words[0], same);
          }
          same.add(new Synonym(words, "@" + entity.name(), entry.value()));
        }
      }
    }
    for (List<Synonym> list : byFirstWord.values()) {
      list.sort(LONGEST_FIRST);
    }
  }

  /** The mentions in {@code tokens}, left to right, never overlapping; the longest match wins. */
  public List<Mention> find(List<Token> tokens) {
    List<Mention> found = new ArrayList<>();
    int i = 0;
    while (i < tokens.size()) {
      String lower = tokens.get(i).lower();
      Mention best = mentionAt(tokens, i, synonyms(lower), numberWord(lower));
      if (best != null) {
        found.add(best);
      }
      i = best != null ? best.to() : i + 1;
    }
    return found;
  }

  /**
   * {@link #find(List)} with each word's synonyms and number word already looked up ({@code words[i]}, see
   * {@link Lexicon}); an empty list when there is no mention.
   */
  List<Mention> find(List<Token> tokens, Lexicon.Word[] words) {
    List<Mention> found = List.of();
    int i = 0;
    while (i < tokens.size()) {
      Mention best = mentionAt(tokens, i, words[i].synonyms, words[i].number);
      if (best != null) {
        found = found.isEmpty() ? new ArrayList<>() : found;
        found.add(best);
      }
      i = best != null ? best.to() : i + 1;
    }
    return found;
  }

  /**
   * The mention starting at word {@code i}: its longest synonym among {@code synonyms} (those that start with
   * the word), else a number ({@code numberWord}: the word's index among the number words, or -1); or null.
   */
  private static Mention mentionAt(List<Token> tokens, int i, List<Synonym> synonyms, int numberWord) {
    for (int k = 0; k < synonyms.size(); k++) { // by index: no iterator per word, whatever the list
      Synonym s = synonyms.get(k);
      if (matches(tokens, i, s.words())) {
        return new Mention(s.dataType(), s.value(), i, i + s.words().length);
      }
    }
    String lower = tokens.get(i).lower();
    if (isNumber(lower)) {
      return new Mention(IntentParameter.NUMBER, lower.startsWith("#") ? lower.substring(1) : lower, i, i + 1);
    }
    return numberWord < 0 ? null : new Mention(IntentParameter.NUMBER, Integer.toString(numberWord), i, i + 1);
  }

  /** The synonyms that start with the lower-case word {@code first}, longest first. */
  List<Synonym> synonyms(String first) {
    return byFirstWord.getOrDefault(first, List.of());
  }

  /** The index of a lower-case word among the number words ("three": 3), or -1. */
  static int numberWord(String lower) {
    return NUMBER_WORDS.indexOf(lower);
  }

  /** The words some synonym starts with, and the number words. */
  Set<String> words() {
    Set<String> words = new HashSet<>(byFirstWord.keySet());
    words.addAll(NUMBER_WORDS);
    return words;
  }

  private static boolean matches(List<Token> tokens, int at, String[] words) {
    if (at + words.length > tokens.size()) {
      return false;
    }
    for (int k = 0; k < words.length; k++) {
      if (!tokens.get(at + k).lower().equals(words[k])) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} is {@code #?-?[0-9]+(\.[0-9]+)?}, read by hand: no matcher per word. */
  static boolean isNumber(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && s.charAt(i) == '#') {
      i++;
    }
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    if (i == digits) {
      return false;
    }
    if (i == n) {
      return true;
    }
    if (s.charAt(i) != '.') {
      return false;
    }
    digits = ++i;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    return i > digits && i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
