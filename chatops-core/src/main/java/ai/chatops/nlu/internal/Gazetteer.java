package ai.chatops.nlu.internal;

import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentParameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds dictionary entity values (longest synonym first) and numbers in a message. Immutable after
 * construction and thread-safe.
 */
public final class Gazetteer {
  private static final List<String> NUMBER_WORDS = List.of(
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
      "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty");

  /** A value found in a message: tokens {@code [from, to)} say {@code value} of {@code dataType}. */
  public record Mention(String dataType, String value, int from, int to) {}

  private record Synonym(String[] words, String dataType, String value) {}

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
          String[] words = tokens.stream().map(Token::lower).toArray(String[]::new);
          byFirstWord.computeIfAbsent(words[0], k -> new ArrayList<>())
              .add(new Synonym(words, "@" + entity.name(), entry.value()));
        }
      }
    }
    for (List<Synonym> list : byFirstWord.values()) {
      list.sort(Comparator.comparingInt((Synonym s) -> -s.words().length));
    }
  }

  /** The mentions in {@code tokens}, left to right, never overlapping; the longest match wins. */
  public List<Mention> find(List<Token> tokens) {
    List<Mention> found = new ArrayList<>();
    int i = 0;
    while (i < tokens.size()) {
      Mention best = null;
      for (Synonym s : byFirstWord.getOrDefault(tokens.get(i).lower(), List.of())) {
        if (matches(tokens, i, s.words())) {
          best = new Mention(s.dataType(), s.value(), i, i + s.words().length);
          break;
        }
      }
      if (best == null) {
        String number = number(tokens.get(i).lower());
        if (number != null) {
          best = new Mention(IntentParameter.NUMBER, number, i, i + 1);
        }
      }
      if (best != null) {
        found.add(best);
        i = best.to();
      } else {
        i++;
      }
    }
    return found;
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

  private static String number(String lower) {
    if (isNumber(lower)) {
      return lower.startsWith("#") ? lower.substring(1) : lower;
    }
    int index = NUMBER_WORDS.indexOf(lower); // a token's lower case: no second toLowerCase
    return index < 0 ? null : Integer.toString(index);
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
