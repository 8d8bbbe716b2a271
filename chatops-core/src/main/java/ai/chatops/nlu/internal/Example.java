package ai.chatops.nlu.internal;

import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.TrainingPhrase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One training phrase, read once for both models: its words, the entity values recognised in it, which
 * attribute each word belongs to and the tagger's gold tags.
 */
final class Example {
  final int intent;
  final List<Token> tokens;
  final String[] mentionType;
  // The tagger learns an open entity's values from their place and shape, as it will meet values outside
  // the list: it does not see that the listed ones were recognised.
  final String[] taggerMention;
  // The attribute a word is part of, for the classifier: null for words it reads as units.
  final String[] slot;
  final int[] gold;
  // The text of the gold span of each tag.
  final Map<Integer, String> spanValues = new HashMap<>();

  private Example(int intent, List<Token> tokens, String[] mentionType, String[] slot, int[] gold) {
    this.intent = intent;
    this.tokens = tokens;
    this.mentionType = mentionType;
    this.taggerMention = mentionType.clone();
    for (int i = 0; i < gold.length; i++) {
      if (gold[i] != 0) {
        taggerMention[i] = null;
      }
    }
    this.slot = slot;
    this.gold = gold;
  }

  /** Every phrase of every intent, intent by intent. */
  static List<Example> readAll(List<IntentDefinition> intents, Gazetteer gazetteer, TagSet tags) {
    List<Example> examples = new ArrayList<>();
    for (int c = 0; c < intents.size(); c++) {
      IntentDefinition intent = intents.get(c);
      for (TrainingPhrase phrase : intent.phrases()) {
        examples.add(read(c, intent, phrase, gazetteer, tags));
      }
    }
    return examples;
  }

  private static Example read(int c, IntentDefinition intent, TrainingPhrase phrase, Gazetteer gazetteer,
      TagSet tags) {
    StringBuilder text = new StringBuilder();
    List<int[]> ranges = new ArrayList<>();
    List<String> attributes = new ArrayList<>();
    for (TrainingPhrase.Part part : phrase.parts()) {
      int start = text.length();
      text.append(part.text());
      if (part.attribute().isPresent()) {
        ranges.add(new int[] {start, text.length()});
        attributes.add(part.attribute().get());
      }
    }
    String sentence = text.toString();
    List<Token> tokens = Text.tokenize(sentence);
    String[] slot = new String[tokens.size()];
    int[] gold = new int[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      for (int r = 0; r < ranges.size(); r++) {
        if (tokens.get(i).start() >= ranges.get(r)[0] && tokens.get(i).start() < ranges.get(r)[1]) {
          slot[i] = attributes.get(r);
          Optional<IntentParameter> p = intent.parameter(attributes.get(r));
          if (p.isPresent() && tags.tagged(p.get())) {
            gold[i] = tags.index(p.get().name());
          }
        }
      }
    }
    String[] mentionType = new String[tokens.size()];
    for (Gazetteer.Mention m : gazetteer.find(tokens)) {
      for (int i = m.from(); i < m.to(); i++) {
        mentionType[i] = m.dataType();
        // A recognised entity value is an entity unit, not a gap, for the intent classifier.
        if (slot[i] != null && gold[i] == 0) {
          slot[i] = null;
        }
      }
    }
    Example e = new Example(c, tokens, mentionType, slot, gold);
    e.findSpanValues(sentence);
    return e;
  }

  private void findSpanValues(String sentence) {
    for (int i = 0; i < tokens.size(); ) {
      if (gold[i] == 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < tokens.size() && gold[j] == gold[i]) {
        j++;
      }
      spanValues.put(gold[i], sentence.substring(tokens.get(i).start(), tokens.get(j - 1).end()));
      i = j;
    }
  }
}
