package ai.chatops.nlu.internal;

import java.util.Arrays;

/**
 * The working arrays of one message, kept per thread and engine (for messages up to {@link #REUSED_TOKENS}
 * words) so that scoring allocates little. Holds no reference to the engine, so a dropped engine is not kept
 * alive by the threads that used it; and no reference to the message once it is scored. Not thread-safe.
 */
final class Scratch {
  static final int REUSED_TOKENS = 64;

  // The message: the entity type of each word (null for none), whether it is a stop word; what the engine
  // knows of each word, and its stem's classifier unit and its word's and stem's tagger symbols (Lexicon).
  String[] mentionType = new String[0];
  boolean[] stop = new boolean[0];
  Lexicon.Word[] words = new Lexicon.Word[0];
  int[] stemUnit = new int[0];
  int[] stemSymbol = new int[0];
  // The classifier: the message's units, each word's unit, the score of each intent, the best candidates.
  int[] seq = new int[0];
  int[] unit = new int[0];
  double[] score = new double[0];
  int[] best = new int[8];
  // The tagger's static features of every token, found when a candidate first needs them.
  boolean featuresFound;
  int[] lower = new int[0];
  int[] kind = new int[0];
  int[] featureRows = new int[0];
  int[] featureEnd = new int[0];
  char[] shape = new char[Text.SHAPE_LENGTH];
  // The summed weights of each token's static features, tag by tag, found with them.
  double[] staticScores = new double[0];
  // Per candidate intent.
  boolean[] used = new boolean[0];
  int[] tagged = new int[0];
  double[] margin = new double[0];
  double[] tokenScores = new double[0];
  boolean[] inSpan = new boolean[0];
  double[] spanMargin = new double[0];
  int[] spanFrom = new int[0];
  int[] spanTo = new int[0];
  // How much a word of a tagged value counts as explained: less when an identifier's value is prose.
  double slotWeight;

  void prepare(int size, int intents, int tags) {
    if (mentionType.length < size) {
      int capacity = Math.max(size, Math.min(REUSED_TOKENS, 2 * mentionType.length));
      mentionType = new String[capacity];
      stop = new boolean[capacity];
      words = new Lexicon.Word[capacity];
      stemUnit = new int[capacity];
      stemSymbol = new int[capacity];
      seq = new int[capacity];
      unit = new int[capacity];
      lower = new int[capacity];
      kind = new int[capacity];
      featureRows = new int[capacity * FeatureIndex.PER_TOKEN];
      featureEnd = new int[capacity];
      used = new boolean[capacity];
      tagged = new int[capacity];
      margin = new double[capacity];
      inSpan = new boolean[capacity];
    }
    if (tokenScores.length < mentionType.length * tags) {
      tokenScores = new double[mentionType.length * tags];
      staticScores = new double[mentionType.length * tags];
    }
    if (score.length < intents) {
      score = new double[intents];
    }
    if (spanMargin.length < tags) {
      spanMargin = new double[tags];
      spanFrom = new int[tags];
      spanTo = new int[tags];
    }
    Arrays.fill(score, 0, intents, 0);
    featuresFound = false;
  }

  /** Clears what holds the message's strings, and the engine's words. */
  void release(int size) {
    Arrays.fill(mentionType, 0, size, null);
    Arrays.fill(words, 0, size, null);
  }

  /** Clears the per-candidate arrays. */
  void startCandidate(int size, int tags) {
    Arrays.fill(used, 0, size, false);
    Arrays.fill(tagged, 0, size, 0);
    Arrays.fill(margin, 0, size, 0);
    Arrays.fill(inSpan, 0, size, false);
    Arrays.fill(tokenScores, 0, size * tags, 0);
    Arrays.fill(spanTo, 0, tags, 0);
    slotWeight = 1;
  }
}
