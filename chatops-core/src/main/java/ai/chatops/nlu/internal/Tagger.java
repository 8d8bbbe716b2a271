package ai.chatops.nlu.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * An averaged perceptron that tags each word of a message with the parameter it is a value of, or with
 * {@value TagSet#O}, from the word's shape, the words and word kinds around it and the previous tag. Trained
 * with the gold previous tag; run greedily left to right. Immutable after construction and thread-safe.
 */
final class Tagger {
  private static final int EPOCHS = 8;

  private final TagSet tags;
  private final FeatureIndex features;
  // The weight of each tag, by feature row: row r's tags at [r * tags.size(), (r + 1) * tags.size()), in one
  // array so that a word's rows, summed one after another, are not each a separate object to reach.
  private final double[] weights;

  /** Trains on the examples' gold tags; {@code seed} fixes the order of training passes. */
  Tagger(List<Example> examples, TagSet tags, long seed) {
    this.tags = tags;
    Set<String> contextWords = Collections.unmodifiableSet(contextWords(examples));
    Map<String, Integer> rows = new HashMap<>();
    List<int[][]> exampleFeatures = new ArrayList<>();
    for (Example e : examples) {
      exampleFeatures.add(features(e, contextWords, rows));
    }
    this.weights = flatten(train(examples, exampleFeatures, rows.size(), seed), tags.size());
    this.features = new FeatureIndex(rows, tags, contextWords);
  }

  /** The index of the features this tagger weighs. */
  FeatureIndex features() {
    return features;
  }

  /** The words of the training phrases outside attribute values, lower-case: the words a bot's users use. */
  private static Set<String> contextWords(List<Example> examples) {
    Set<String> context = new HashSet<>();
    for (Example e : examples) {
      for (int i = 0; i < e.tokens.size(); i++) {
        if (e.slot[i] == null) {
          context.add(e.tokens.get(i).lower());
        }
      }
    }
    return context;
  }

  /** The feature rows of each token of an example, numbering the features not yet in {@code rows}. */
  private int[][] features(Example e, Set<String> contextWords, Map<String, Integer> rows) {
    int[][] f = new int[e.tokens.size()][];
    for (int i = 0; i < e.tokens.size(); i++) {
      List<String> names = FeatureIndex.names(e.tokens, e.taggerMention, i, contextWords);
      String previous = i == 0 ? "<s>" : tags.name(e.gold[i - 1]);
      names.addAll(FeatureIndex.previousTagNames(previous,
          FeatureIndex.kind(e.tokens.get(i), e.taggerMention[i], contextWords)));
      f[i] = new int[names.size()];
      for (int k = 0; k < names.size(); k++) {
        Integer id = rows.get(names.get(k));
        if (id == null) {
          id = rows.size();
          rows.put(names.get(k), id);
        }
        f[i][k] = id;
      }
    }
    return f;
  }

  /** The averaged weights after {@value #EPOCHS} passes over the examples in seeded random orders. */
  private double[][] train(List<Example> examples, List<int[][]> exampleFeatures, int featureCount, long seed) {
    int tagCount = tags.size();
    double[][] w = new double[featureCount][tagCount];
    double[][] acc = new double[featureCount][tagCount];
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < examples.size(); k++) {
      order.add(k);
    }
    Random random = new Random(seed);
    long step = 1;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      Collections.shuffle(order, random);
      for (int k : order) {
        Example e = examples.get(k);
        int[][] f = exampleFeatures.get(k);
        int[] allowed = tags.allowed(e.intent);
        for (int i = 0; i < f.length; i++) {
          int best = argmax(f[i], allowed, w);
          int gold = e.gold[i];
          if (best != gold) {
            for (int id : f[i]) {
              w[id][gold] += 1;
              acc[id][gold] += step;
              w[id][best] -= 1;
              acc[id][best] -= step;
            }
          }
          step++;
        }
      }
    }
    double[][] averaged = new double[featureCount][];
    for (int id = 0; id < featureCount; id++) {
      double[] row = new double[tagCount];
      for (int t = 0; t < tagCount; t++) {
        row[t] = w[id][t] - acc[id][t] / step;
      }
      averaged[id] = row;
    }
    return averaged;
  }

  private static double[] flatten(double[][] rows, int tagCount) {
    double[] flat = new double[rows.length * tagCount];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * tagCount, tagCount);
    }
    return flat;
  }

  private static int argmax(int[] features, int[] allowed, double[][] w) {
    int best = allowed[0];
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int t : allowed) {
      double s = 0;
      for (int id : features) {
        s += w[id][t];
      }
      if (s > bestScore) {
        bestScore = s;
        best = t;
      }
    }
    return best;
  }

  /**
   * Tags the words not marked in {@code s.used}, left to right, with the best of the {@code allowed} tags:
   * {@code s.tagged} gets each word's tag, {@code s.margin} how far it beats {@value TagSet#O}, and
   * {@code s.tokenScores} (word by word, tag by tag) every tag's score.
   */
  void tag(int[] allowed, List<Token> tokens, Scratch s) {
    int size = tokens.size();
    int tagCount = tags.size();
    if (!s.featuresFound) {
      features.find(tokens, s);
      sumStaticFeatures(size, tagCount, s);
    }
    double[] staticScores = s.staticScores;
    double[] tokenScores = s.tokenScores;
    int previous = tagCount; // the start of the message
    for (int i = 0; i < size; i++) {
      if (s.used[i]) {
        previous = 0;
        continue;
      }
      int offset = i * tagCount;
      System.arraycopy(staticScores, offset, tokenScores, offset, tagCount);
      int pt = features.previousTagRow(previous);
      if (pt >= 0) {
        addAt(tokenScores, offset, weights, pt * tagCount, tagCount);
      }
      int ptk = features.previousTagAndKindRow(previous, s.kind[i]);
      if (ptk >= 0) {
        addAt(tokenScores, offset, weights, ptk * tagCount, tagCount);
      }
      int best = 0;
      for (int t : allowed) {
        if (tokenScores[offset + t] > tokenScores[offset + best]) {
          best = t;
        }
      }
      s.tagged[i] = best;
      s.margin[i] = tokenScores[offset + best] - tokenScores[offset];
      previous = best;
    }
  }

  /**
   * Sums the weights of each word's static features into {@code s.staticScores}, once per message: they are
   * the same for every candidate intent. Summed from zero in the order they were found, as training named them,
   * so that a candidate's scores are those it would sum itself; tag by tag, in a local, so that the running sum
   * is not stored and reloaded per row (the same additions in the same order: the same doubles).
   */
  private void sumStaticFeatures(int size, int tagCount, Scratch s) {
    int[] rows = s.featureRows;
    double[] staticScores = s.staticScores;
    double[] w = weights;
    for (int i = 0; i < size; i++) {
      int offset = i * tagCount;
      int from = i == 0 ? 0 : s.featureEnd[i - 1];
      int to = s.featureEnd[i];
      for (int t = 0; t < tagCount; t++) {
        double sum = 0;
        for (int r = from; r < to; r++) {
          sum += w[rows[r] * tagCount + t];
        }
        staticScores[offset + t] = sum;
      }
    }
  }

  /** Adds the {@code tagCount} weights from {@code weights[row]} on to the sums from {@code offset}. */
  private static void addAt(double[] sums, int offset, double[] weights, int row, int tagCount) {
    for (int t = 0; t < tagCount; t++) {
      sums[offset + t] += weights[row + t];
    }
  }
}
