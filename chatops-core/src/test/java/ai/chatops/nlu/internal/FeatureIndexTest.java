package ai.chatops.nlu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tagger's weights are summed in the order its features are found, so {@link FeatureIndex#find} must
 * find, for each word of a message, exactly those of the features {@link FeatureIndex#names} names that
 * training met, in that order.
 */
class FeatureIndexTest {
  static final Set<String> CONTEXT = Set.of("deploy", "on", "now");
  static final String TRAINED = "deploy billing-api to prod_eu on release/3.1 now";

  @Test
  void findsEveryFeatureOfATrainingPhraseInTheOrderTrainingNamedThem() {
    Map<String, Integer> rows = rowsOf(TRAINED, 3);
    FeatureIndex index = new FeatureIndex(rows, new TagSet(List.of(), List.of()), CONTEXT);

    List<List<Integer>> found = found(index, TRAINED, 3);

    assertThat(found).isEqualTo(named(rows, TRAINED, 3));
    assertThat(found.stream().mapToInt(List::size).sum()).isEqualTo(namedCount(TRAINED, 3));
  }

  @Test
  void findsOnlyTheTrainedFeaturesOfAMessageWithNewWords() {
    Map<String, Integer> rows = rowsOf(TRAINED, 3);
    FeatureIndex index = new FeatureIndex(rows, new TagSet(List.of(), List.of()), CONTEXT);
    String message = "now ship Payments.v2 to prod_eu on hotfix/ABC-123 quickly";

    assertThat(found(index, message, 4)).isEqualTo(named(rows, message, 4));
  }

  /** Numbers the features of {@code text}, whose word {@code entity} is an entity value, as training does. */
  private static Map<String, Integer> rowsOf(String text, int entity) {
    List<Token> tokens = Text.tokenize(text);
    Map<String, Integer> rows = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      for (String name : FeatureIndex.names(tokens, mentions(tokens, entity), i, CONTEXT)) {
        rows.putIfAbsent(name, rows.size());
      }
    }
    return rows;
  }

  /** The rows of the features {@code names} gives each word that {@code rows} holds, in order. */
  private static List<List<Integer>> named(Map<String, Integer> rows, String text, int entity) {
    List<Token> tokens = Text.tokenize(text);
    List<List<Integer>> named = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      List<Integer> word = new ArrayList<>();
      for (String name : FeatureIndex.names(tokens, mentions(tokens, entity), i, CONTEXT)) {
        if (rows.containsKey(name)) {
          word.add(rows.get(name));
        }
      }
      named.add(word);
    }
    return named;
  }

  private static int namedCount(String text, int entity) {
    List<Token> tokens = Text.tokenize(text);
    int count = 0;
    for (int i = 0; i < tokens.size(); i++) {
      count += FeatureIndex.names(tokens, mentions(tokens, entity), i, CONTEXT).size();
    }
    return count;
  }

  /** The rows {@code find} gives each word of {@code text}. */
  private static List<List<Integer>> found(FeatureIndex index, String text, int entity) {
    List<Token> tokens = Text.tokenize(text);
    String[] mentionType = mentions(tokens, entity);
    Scratch s = new Scratch();
    s.prepare(tokens.size(), 0, 1);
    for (int i = 0; i < tokens.size(); i++) {
      s.mentionType[i] = mentionType[i];
      s.stop[i] = Text.isStop(tokens.get(i));
      // what the engine's Lexicon looks up for it
      s.lower[i] = index.symbol(tokens.get(i).lower());
      s.stemSymbol[i] = index.symbol(tokens.get(i).stem());
    }
    index.find(tokens, s);
    List<List<Integer>> found = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      List<Integer> word = new ArrayList<>();
      for (int r = i == 0 ? 0 : s.featureEnd[i - 1]; r < s.featureEnd[i]; r++) {
        word.add(s.featureRows[r]);
      }
      found.add(word);
    }
    return found;
  }

  private static String[] mentions(List<Token> tokens, int entity) {
    String[] mentionType = new String[tokens.size()];
    mentionType[entity] = "@env";
    return mentionType;
  }
}
