package ai.chatops.nlu.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks the intents with naive Bayes over a message's units (word stems and recognised entity types) and
 * adjacent unit pairs, with additive smoothing. Immutable after construction and thread-safe.
 *
 * <p>Training counts units and pairs by name ("u:build", "b:build_api"); then every unit gets a symbol, which
 * is also its row of log-probabilities, and a pair's row is filed under the symbols of its two units. A
 * message looks each unit up once and finds its pairs in a primitive table: no name is built or hashed.
 */
final class IntentClassifier {
  private static final double ALPHA = 0.1;

  private final int intentCount;
  private final Symbols units = new Symbols();
  // The log-probability rows: first one per unit, by its symbol, then the pairs' rows.
  private final double[][] logProb;
  private final LongIntMap pairRow;
  // The units each intent was trained on, as sorted symbols.
  private final int[][] intentUnits;

  IntentClassifier(List<Example> examples, int intentCount) {
    this.intentCount = intentCount;
    List<Set<String>> unitsByIntent = new ArrayList<>();
    for (int c = 0; c < intentCount; c++) {
      unitsByIntent.add(new HashSet<>());
    }
    Map<String, double[]> lp = train(examples, unitsByIntent);
    this.logProb = new double[lp.size()][];
    this.pairRow = new LongIntMap(lp.size());
    for (Map.Entry<String, double[]> f : lp.entrySet()) {
      if (f.getKey().startsWith("u:")) {
        logProb[units.intern(f.getKey().substring(2))] = f.getValue();
      }
    }
    int row = units.size();
    for (Map.Entry<String, double[]> f : lp.entrySet()) {
      if (f.getKey().startsWith("b:") && indexPair(f.getKey().substring(2), row)) {
        logProb[row++] = f.getValue();
      }
    }
    this.intentUnits = new int[intentCount][];
    for (int c = 0; c < intentCount; c++) {
      Set<String> trained = unitsByIntent.get(c);
      int[] ids = new int[trained.size()];
      int i = 0;
      for (String unit : trained) {
        ids[i++] = units.get(unit);
      }
      Arrays.sort(ids);
      intentUnits[c] = ids;
    }
  }

  /**
   * The log-probability of each unit and pair name given each intent; fills in the units each intent was
   * trained on.
   */
  private Map<String, double[]> train(List<Example> examples, List<Set<String>> unitsByIntent) {
    List<Map<String, Integer>> counts = new ArrayList<>();
    for (int c = 0; c < intentCount; c++) {
      counts.add(new HashMap<>());
    }
    Set<String> vocabulary = new HashSet<>();
    for (Example e : examples) {
      List<String> seq = units(e.tokens, e.mentionType, e.slot);
      for (String f : features(seq)) {
        Map<String, Integer> intentCounts = counts.get(e.intent);
        Integer count = intentCounts.get(f);
        intentCounts.put(f, count == null ? 1 : count + 1);
        vocabulary.add(f);
      }
      for (String u : seq) {
        if (u != null) {
          unitsByIntent.get(e.intent).add(u);
        }
      }
    }
    Map<String, double[]> lp = new HashMap<>();
    double[] totals = new double[intentCount];
    for (int c = 0; c < intentCount; c++) {
      for (int n : counts.get(c).values()) {
        totals[c] += n;
      }
    }
    int v = Math.max(1, vocabulary.size());
    for (String f : vocabulary) {
      double[] row = new double[intentCount];
      for (int c = 0; c < intentCount; c++) {
        row[c] = Math.log((counts.get(c).getOrDefault(f, 0) + ALPHA) / (totals[c] + ALPHA * v));
      }
      lp.put(f, row);
    }
    return lp;
  }

  /**
   * Files a pair under the symbols of its units; false when no reading of it names two known units. The name
   * is first + "_" + second, where units may hold "_" themselves: every split into two known units names this
   * pair, as the concatenated name did.
   */
  private boolean indexPair(String pair, int row) {
    boolean indexed = false;
    for (int at = pair.indexOf('_'); at >= 0; at = pair.indexOf('_', at + 1)) {
      int first = units.get(pair.substring(0, at));
      int second = units.get(pair.substring(at + 1));
      if (first >= 0 && second >= 0) {
        pairRow.put(pair(first, second), row);
        indexed = true;
      }
    }
    return indexed;
  }

  private static long pair(int first, int second) {
    return ((long) first << 32) | second;
  }

  /** The unit sequence of a training phrase: stems and entity types; null marks a gap that breaks pairs. */
  private static List<String> units(List<Token> tokens, String[] mentionType, String[] slot) {
    List<String> seq = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String unit;
      if (slot[i] != null) {
        unit = null;
      } else if (mentionType[i] != null) {
        if (i > 0 && mentionType[i].equals(mentionType[i - 1]) && slot[i - 1] == null) {
          continue;
        }
        unit = mentionType[i];
      } else if (Text.isStop(tokens.get(i))) {
        continue;
      } else {
        unit = tokens.get(i).stem();
      }
      seq.add(unit);
    }
    return seq;
  }

  private static List<String> features(List<String> seq) {
    List<String> features = new ArrayList<>();
    for (int i = 0; i < seq.size(); i++) {
      String u = seq.get(i);
      if (u == null) {
        continue;
      }
      features.add("u:" + u);
      if (i + 1 < seq.size() && seq.get(i + 1) != null) {
        features.add("b:" + u + "_" + seq.get(i + 1));
      }
    }
    return features;
  }

  /** The units the classifier was trained on. */
  Set<String> unitNames() {
    return units.strings();
  }

  /** The symbol of a known unit (one the classifier was trained on), or -1. */
  int unit(String s) {
    return units.get(s);
  }

  /**
   * Writes the message's units, in order, into {@code s.seq}: the symbol of a stem or entity type the
   * classifier knows, or -1 for a gap; and each word's unit into {@code s.unit}: its entity type's or, for a
   * content word, its stem's symbol (-1 for stop words and units the classifier does not know). Reads
   * {@code s.mentionType}, {@code s.stop} and {@code s.stemUnit} (see {@link Lexicon#lookUp}), not the tokens.
   *
   * @return how many units there are
   */
  int units(int size, Scratch s) {
    String[] mentionType = s.mentionType;
    int[] seq = s.seq;
    int[] unit = s.unit;
    int length = 0;
    for (int i = 0; i < size; i++) {
      String type = mentionType[i];
      if (type != null) {
        boolean continued = i > 0 && type.equals(mentionType[i - 1]);
        unit[i] = continued ? unit[i - 1] : unit(type);
        if (!continued) {
          seq[length++] = unit[i];
        }
      } else if (!s.stop[i]) {
        unit[i] = s.stemUnit[i];
        seq[length++] = unit[i];
      } else {
        unit[i] = -1;
      }
    }
    return length;
  }

  /**
   * Writes each intent's probability given the units {@code seq[0, length)} into {@code score}, which holds
   * zeros on entry.
   *
   * @return false, with {@code score} left unnormalised, when the classifier knows none of the units
   */
  boolean posterior(int[] seq, int length, double[] score) {
    int n = intentCount;
    boolean any = false;
    for (int k = 0; k < length; k++) {
      if (seq[k] < 0) {
        continue;
      }
      add(score, logProb[seq[k]], n);
      any = true;
      if (k + 1 < length && seq[k + 1] >= 0) {
        int row = pairRow.get(pair(seq[k], seq[k + 1]));
        if (row >= 0) {
          add(score, logProb[row], n);
        }
      }
    }
    if (!any) {
      return false;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      max = Math.max(max, score[c]);
    }
    double sum = 0;
    double[] posterior = score; // each score is read once, just before its posterior replaces it
    for (int c = 0; c < n; c++) {
      posterior[c] = Math.exp(score[c] - max);
      sum += posterior[c];
    }
    for (int c = 0; c < n; c++) {
      posterior[c] /= sum;
    }
    return true;
  }

  private static void add(double[] sums, double[] row, int n) {
    for (int c = 0; c < n; c++) {
      sums[c] += row[c];
    }
  }

  /**
   * Writes the {@code k} intents of highest {@code posterior} into {@code best}, highest first; of equal ones,
   * the earlier intent first.
   */
  void best(double[] posterior, int[] best, int k) {
    int filled = 0;
    for (int c = 0; c < intentCount; c++) {
      if (filled == k && Double.compare(posterior[c], posterior[best[k - 1]]) <= 0) {
        continue;
      }
      int at = filled == k ? k - 1 : filled++;
      while (at > 0 && Double.compare(posterior[c], posterior[best[at - 1]]) > 0) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = c;
    }
  }

  /** Whether intent {@code c} was trained on at least one of the units {@code seq[0, length)}. */
  boolean anchored(int c, int[] seq, int length) {
    for (int k = 0; k < length; k++) {
      if (seq[k] >= 0 && knows(c, seq[k])) {
        return true;
      }
    }
    return false;
  }

  /** Whether intent {@code c} was trained on the unit of this symbol (-1: no unit). */
  boolean knows(int c, int symbol) {
    return symbol >= 0 && Arrays.binarySearch(intentUnits[c], symbol) >= 0;
  }
}
