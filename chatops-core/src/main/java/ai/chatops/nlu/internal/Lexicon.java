package ai.chatops.nlu.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the engine's parts know of a lower-case word or stem, found with one lookup per message word instead of
 * one per part (stop words, the gazetteer's synonyms and number words, the classifier's units, the tagger's
 * symbols). Every string some part knows has an entry holding what each part says of it; a string none knows
 * gets {@link #NONE}, which is what each part says of a string it does not know. Immutable after
 * construction and thread-safe.
 */
final class Lexicon {
  /** What the parts know of one string. */
  static final class Word {
    /** Whether it is a stop word ({@link Text#STOP}). */
    final boolean stop;
    /** Its classifier unit, or -1. */
    final int unit;
    /** Its tagger symbol, or -1. */
    final int symbol;
    /** The synonyms that start with it, longest first. */
    final List<Gazetteer.Synonym> synonyms;
    /** Its number as a word ("three": 3), or -1. */
    final int number;

    Word(boolean stop, int unit, int symbol, List<Gazetteer.Synonym> synonyms, int number) {
      this.stop = stop;
      this.unit = unit;
      this.symbol = symbol;
      this.synonyms = synonyms;
      this.number = number;
    }
  }

  /** A string no part knows. */
  static final Word NONE = new Word(false, -1, -1, List.of(), -1);

  private final Map<String, Word> words = new HashMap<>();

  Lexicon(Gazetteer gazetteer, IntentClassifier classifier, FeatureIndex features) {
    Set<String> known = new HashSet<>(Text.STOP);
    known.addAll(gazetteer.words());
    known.addAll(classifier.unitNames());
    known.addAll(features.words());
    for (String w : known) {
      words.put(w, new Word(Text.STOP.contains(w), classifier.unit(w), features.symbol(w), gazetteer.synonyms(w),
          Gazetteer.numberWord(w)));
    }
  }

  /** What the parts know of {@code word}; {@link #NONE} when none knows it. */
  Word get(String word) {
    return words.getOrDefault(word, NONE);
  }

  /**
   * Looks up every word of a message once (its stem too, when it has a suffix): fills {@code s.words},
   * {@code s.stop}, {@code s.stemUnit}, {@code s.lower} and {@code s.stemSymbol}.
   */
  void lookUp(List<Token> tokens, Scratch s) {
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      Word lower = get(t.lower());
      // a word without a suffix is its own stem, the same string: looked up once
      Word stem = t.stem() == t.lower() ? lower : get(t.stem());
      s.words[i] = lower;
      s.stop[i] = lower.stop || stem.stop;
      s.stemUnit[i] = stem.unit;
      s.lower[i] = lower.symbol;
      s.stemSymbol[i] = stem.symbol;
    }
  }
}
