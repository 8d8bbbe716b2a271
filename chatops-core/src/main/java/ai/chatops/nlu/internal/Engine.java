package ai.chatops.nlu.internal;

import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.TrainingPhrase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The trained model behind {@code LocalNlu}: a naive-Bayes intent classifier over word stems and stem pairs,
 * a dictionary and number recogniser for entity parameters, and an averaged-perceptron tagger that marks
 * free-form values from their shape and the words around them. Immutable after construction and
 * thread-safe.
 *
 * <p>Training names features as strings ("w=build", "p1=on|k=unk", "b:build_api"), as it always did; then
 * every string that is part of a name gets a symbol id, and each feature is filed under its template and
 * symbols. A message looks up its words once and finds its features in a primitive table keyed by those ids:
 * no name is built or hashed. Scoring works in arrays kept per thread and engine (room for 64 words and a double per
 * intent; longer messages get their own arrays).
 */
public final class Engine {
  private static final double ALPHA = 0.1;
  private static final int EPOCHS = 8;
  private static final int CANDIDATES = 3;
  private static final String O = "O";

  /** One scored interpretation of a message. */
  public record Interpretation(IntentDefinition intent, Map<String, String> attributes, double confidence) {}

  // Tagger feature templates: the structure of the feature names the tagger is trained on (see
  // staticFeatures), so that a message's features are found by symbol ids instead of built as strings.
  private static final int W = 1;
  private static final int ST = 2;
  private static final int SH = 3;
  private static final int K = 4;
  private static final int E = 5;
  private static final int P1 = 6;
  private static final int P2 = 7;
  private static final int N1 = 8;
  private static final int N2 = 9;
  private static final int P1K = 10;
  private static final int N1K = 11;
  private static final int P2P1 = 12;
  private static final int PK = 13;
  private static final int NK = 14;
  private static final int PT = 15;
  private static final int PTK = 16;
  private static final String[] KINDS = {"ent", "stop", "known", "unk"};
  private static final int ENT = 0;
  private static final int STOP = 1;
  private static final int KNOWN = 2;
  private static final int UNK = 3;
  private static final int MAX_SYMBOLS = 1 << 29;

  private final List<IntentDefinition> intents;
  private final Set<String> openTypes;
  private final Gazetteer gazetteer;
  private final Set<String> contextWords;
  private final String[] tags;
  private final Map<String, Integer> tagIndex;
  private final boolean[] identifierTag;
  private final int[][] allowedTags;
  private final boolean[][] openTag;

  // Every string that is part of a feature (unit, word, stem, shape, kind, tag, entity type) has a symbol id.
  private final Map<String, Integer> symbols;
  // Naive Bayes: the log-probability row of unit u:S by the symbol of S (-1 when S was never a unit), of the
  // pair b:S_T by the symbols of S and T; the units each intent was trained on, as sorted symbols.
  private final int[] unitRow;
  private final LongIntMap pairRow;
  private final double[][] logProb;
  private final int[][] intentUnits;
  // The tagger: the weight row of each feature by its template and symbols; the constant features' rows.
  private final LongIntMap featureRow;
  private final int biasRow;
  private final int dashRow;
  private final int slashRow;
  private final int dotRow;
  private final int equalsRow;
  private final int digitRow;
  private final int startSymbol;
  private final int endSymbol;
  private final int[] kindSymbol;
  private final int[] tagSymbol;
  private final double[][] weights;
  private final Map<String, Integer> shapeSymbols;
  private final ShapeTable shapes;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** Trains on the given intents and entities; {@code seed} fixes the order of training passes. */
  public Engine(List<IntentDefinition> intents, List<EntityDefinition> entities, long seed) {
    this.intents = List.copyOf(intents);
    Set<String> open = new HashSet<>();
    for (EntityDefinition entity : entities) {
      if (entity.automatedExpansion()) {
        open.add("@" + entity.name());
      }
    }
    this.openTypes = open;
    this.gazetteer = new Gazetteer(entities);

    List<String> tagList = new ArrayList<>(List.of(O));
    for (IntentDefinition intent : intents) {
      for (IntentParameter p : intent.parameters()) {
        if (tagged(p) && !tagList.contains(p.name())) {
          tagList.add(p.name());
        }
      }
    }
    this.tags = tagList.toArray(new String[0]);
    this.tagIndex = new HashMap<>();
    for (int t = 0; t < tags.length; t++) {
      tagIndex.put(tags[t], t);
    }
    this.allowedTags = new int[intents.size()][];
    for (int c = 0; c < intents.size(); c++) {
      List<Integer> allowed = new ArrayList<>(List.of(0));
      for (IntentParameter p : intents.get(c).parameters()) {
        if (tagged(p)) {
          allowed.add(tagIndex.get(p.name()));
        }
      }
      allowedTags[c] = allowed.stream().mapToInt(Integer::intValue).toArray();
    }
    this.openTag = new boolean[intents.size()][tags.length];
    for (int c = 0; c < intents.size(); c++) {
      for (int t = 1; t < tags.length; t++) {
        openTag[c][t] = isOpenTag(intents.get(c), tags[t]);
      }
    }

    // Read every phrase once: tokens, mentions and gold tags.
    List<Example> examples = new ArrayList<>();
    Set<String> context = new HashSet<>();
    for (int c = 0; c < intents.size(); c++) {
      IntentDefinition intent = intents.get(c);
      for (TrainingPhrase phrase : intent.phrases()) {
        Example e = example(c, intent, phrase);
        examples.add(e);
        for (int i = 0; i < e.tokens.size(); i++) {
          if (e.slot[i] == null) {
            context.add(e.tokens.get(i).lower());
          }
        }
      }
    }
    this.contextWords = Collections.unmodifiableSet(context);

    // Naive Bayes over units (stems, entity types) and adjacent unit pairs.
    List<Map<String, Integer>> counts = new ArrayList<>();
    List<Set<String>> units = new ArrayList<>();
    for (int c = 0; c < intents.size(); c++) {
      counts.add(new HashMap<>());
      units.add(new HashSet<>());
    }
    Set<String> vocabulary = new HashSet<>();
    for (Example e : examples) {
      List<String> seq = units(e.tokens, e.mentionType, e.slot, null);
      for (String f : features(seq)) {
        counts.get(e.intent).merge(f, 1, Integer::sum);
        vocabulary.add(f);
      }
      for (String u : seq) {
        if (u != null) {
          units.get(e.intent).add(u);
        }
      }
    }
    Map<String, double[]> lp = new HashMap<>();
    double[] totals = new double[intents.size()];
    for (int c = 0; c < intents.size(); c++) {
      for (int n : counts.get(c).values()) {
        totals[c] += n;
      }
    }
    int v = Math.max(1, vocabulary.size());
    for (String f : vocabulary) {
      double[] row = new double[intents.size()];
      for (int c = 0; c < intents.size(); c++) {
        row[c] = Math.log((counts.get(c).getOrDefault(f, 0) + ALPHA) / (totals[c] + ALPHA * v));
      }
      lp.put(f, row);
    }

    // Which free-form attributes usually hold identifiers (job-name-like words) rather than prose.
    int[] identifier = new int[tags.length];
    int[] spans = new int[tags.length];
    for (Example e : examples) {
      for (Map.Entry<Integer, String> span : e.spanValues.entrySet()) {
        spans[span.getKey()]++;
        if (Text.looksLikeIdentifier(span.getValue())) {
          identifier[span.getKey()]++;
        }
      }
    }
    this.identifierTag = new boolean[tags.length];
    for (int t = 1; t < tags.length; t++) {
      identifierTag[t] = spans[t] > 0 && identifier[t] >= 0.7 * spans[t];
    }

    // The tagger: an averaged perceptron, trained with the gold previous tag.
    Map<String, Integer> featureIndex = new HashMap<>();
    List<double[]> w = new ArrayList<>();
    List<double[]> acc = new ArrayList<>();
    List<int[][]> exampleFeatures = new ArrayList<>();
    for (Example e : examples) {
      int[][] f = new int[e.tokens.size()][];
      for (int i = 0; i < e.tokens.size(); i++) {
        List<String> names = staticFeatures(e.tokens, e.taggerMention, i);
        String prev = i == 0 ? "<s>" : tags[e.gold[i - 1]];
        names.add("pt=" + prev);
        names.add("pt=" + prev + "|k=" + kind(e.tokens.get(i), e.taggerMention[i]));
        f[i] = new int[names.size()];
        for (int k = 0; k < names.size(); k++) {
          Integer id = featureIndex.get(names.get(k));
          if (id == null) {
            id = featureIndex.size();
            featureIndex.put(names.get(k), id);
            w.add(new double[tags.length]);
            acc.add(new double[tags.length]);
          }
          f[i][k] = id;
        }
      }
      exampleFeatures.add(f);
    }
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
        int[] allowed = allowedTags[e.intent];
        for (int i = 0; i < f.length; i++) {
          int best = argmax(f[i], allowed, w);
          int gold = e.gold[i];
          if (best != gold) {
            for (int id : f[i]) {
              w.get(id)[gold] += 1;
              acc.get(id)[gold] += step;
              w.get(id)[best] -= 1;
              acc.get(id)[best] -= step;
            }
          }
          step++;
        }
      }
    }
    this.weights = new double[w.size()][];
    for (int id = 0; id < w.size(); id++) {
      double[] row = new double[tags.length];
      for (int t = 0; t < tags.length; t++) {
        row[t] = w.get(id)[t] - acc.get(id)[t] / step;
      }
      weights[id] = row;
    }

    // Index both models by symbols, so that a message is scored without building a feature name.
    this.symbols = new HashMap<>();
    for (String f : lp.keySet()) {
      if (f.startsWith("u:")) {
        symbol(f.substring(2));
      }
    }
    int unitSymbols = symbols.size();
    this.featureRow = new LongIntMap(featureIndex.size());
    this.shapeSymbols = new HashMap<>();
    for (Map.Entry<String, Integer> feature : featureIndex.entrySet()) {
      indexFeature(feature.getKey(), feature.getValue());
    }
    int[] rows = new int[unitSymbols];
    Arrays.fill(rows, -1);
    this.logProb = new double[lp.size()][];
    this.pairRow = new LongIntMap(lp.size());
    int row = 0;
    for (Map.Entry<String, double[]> f : lp.entrySet()) {
      if (f.getKey().startsWith("u:")) {
        rows[symbols.get(f.getKey().substring(2))] = row;
        logProb[row++] = f.getValue();
      }
    }
    this.unitRow = rows;
    for (Map.Entry<String, double[]> f : lp.entrySet()) {
      if (f.getKey().startsWith("b:")) {
        // "b:" + first + "_" + second, where units may hold "_" themselves: every split into two known units
        // names this pair, as the concatenated name did.
        String pair = f.getKey().substring(2);
        boolean indexed = false;
        for (int at = pair.indexOf('_'); at >= 0; at = pair.indexOf('_', at + 1)) {
          int first = unit(pair.substring(0, at));
          int second = unit(pair.substring(at + 1));
          if (first >= 0 && second >= 0) {
            pairRow.put(pair(first, second), row);
            indexed = true;
          }
        }
        if (indexed) {
          logProb[row++] = f.getValue();
        }
      }
    }
    this.intentUnits = new int[intents.size()][];
    for (int c = 0; c < intents.size(); c++) {
      intentUnits[c] = units.get(c).stream().mapToInt(symbols::get).sorted().toArray();
    }
    this.biasRow = featureIndex.getOrDefault("bias", -1);
    this.dashRow = featureIndex.getOrDefault("has-", -1);
    this.slashRow = featureIndex.getOrDefault("has/", -1);
    this.dotRow = featureIndex.getOrDefault("has.", -1);
    this.equalsRow = featureIndex.getOrDefault("has=", -1);
    this.digitRow = featureIndex.getOrDefault("hasdigit", -1);
    this.startSymbol = symbols.getOrDefault("<s>", -1);
    this.endSymbol = symbols.getOrDefault("</s>", -1);
    this.kindSymbol = new int[KINDS.length];
    for (int k = 0; k < KINDS.length; k++) {
      kindSymbol[k] = symbols.getOrDefault(KINDS[k], -1);
    }
    this.shapes = new ShapeTable(shapeSymbols);
    this.tagSymbol = new int[tags.length];
    for (int t = 0; t < tags.length; t++) {
      tagSymbol[t] = symbols.getOrDefault(tags[t], -1);
    }
  }

  private int symbol(String s) {
    Integer id = symbols.get(s);
    if (id == null) {
      if (symbols.size() == MAX_SYMBOLS) {
        throw new IllegalStateException("more than " + MAX_SYMBOLS + " distinct words in the training material");
      }
      id = symbols.size();
      symbols.put(s, id);
    }
    return id;
  }

  /** The symbol of a known unit (one the classifier was trained on), or -1. */
  private int unit(String s) {
    Integer id = symbols.get(s);
    return id != null && id < unitRow.length && unitRow[id] >= 0 ? id : -1;
  }

  private static long pair(int first, int second) {
    return ((long) first << 32) | second;
  }

  private static long key(int template, int a) {
    return a < 0 ? -1 : ((long) template << 58) | a;
  }

  private static long key(int template, int a, int b) {
    return a < 0 || b < 0 ? -1 : ((long) template << 58) | ((long) a << 29) | b;
  }

  /**
   * Files a tagger feature under every template and symbols whose name it is. Names are concatenations, so
   * one may read several ways ("p1=a|k=unk" is the previous word "a|k=unk", and the previous word "a" of
   * kind "unk"): each reading is filed, so that a message finds exactly the features its names would find.
   */
  private void indexFeature(String name, int row) {
    int eq = name.indexOf('=');
    if (eq < 0 || name.equals("has=")) {
      return; // bias, has-, has/, has., has=, hasdigit: constant features, kept as fields
    }
    String rest = name.substring(eq + 1);
    switch (name.substring(0, eq + 1)) {
      case "w=" -> featureRow.put(key(W, symbol(rest)), row);
      case "st=" -> featureRow.put(key(ST, symbol(rest)), row);
      case "sh=" -> {
        featureRow.put(key(SH, symbol(rest)), row);
        shapeSymbols.put(rest, symbol(rest));
      }
      case "k=" -> featureRow.put(key(K, symbol(rest)), row);
      case "e=" -> featureRow.put(key(E, symbol(rest)), row);
      case "p2=" -> featureRow.put(key(P2, symbol(rest)), row);
      case "n2=" -> featureRow.put(key(N2, symbol(rest)), row);
      case "p1=" -> {
        featureRow.put(key(P1, symbol(rest)), row);
        indexSplits(P1K, rest, "|k=", row);
      }
      case "n1=" -> {
        featureRow.put(key(N1, symbol(rest)), row);
        indexSplits(N1K, rest, "|k=", row);
      }
      case "pt=" -> {
        featureRow.put(key(PT, symbol(rest)), row);
        indexSplits(PTK, rest, "|k=", row);
      }
      case "p2p1=" -> indexSplits(P2P1, rest, "_", row);
      case "pk=" -> indexSplits(PK, rest, "|k=", row);
      case "nk=" -> indexSplits(NK, rest, "|k=", row);
      default -> throw new IllegalStateException("unknown tagger feature " + name);
    }
  }

  private void indexSplits(int template, String rest, String separator, int row) {
    for (int at = rest.indexOf(separator); at >= 0; at = rest.indexOf(separator, at + 1)) {
      featureRow.put(key(template, symbol(rest.substring(0, at)), symbol(rest.substring(at + separator.length()))),
          row);
    }
  }

  /** The intents, in the order they were given. */
  public List<IntentDefinition> intents() {
    return intents;
  }

  /** The best interpretations of {@code text}, most confident first; empty when nothing is recognised. */
  public List<Interpretation> interpret(String text, int limit) {
    List<Token> tokens = Text.tokenize(text);
    if (tokens.isEmpty() || intents.isEmpty()) {
      return List.of();
    }
    int size = tokens.size();
    Scratch s = size <= Scratch.REUSED_TOKENS ? scratch.get() : new Scratch();
    s.prepare(size, intents.size(), tags.length);
    try {
      return interpret(text, tokens, limit, s);
    } finally {
      s.release(size);
    }
  }

  private List<Interpretation> interpret(String text, List<Token> tokens, int limit, Scratch s) {
    List<Gazetteer.Mention> mentions = gazetteer.find(tokens);
    int size = tokens.size();
    String[] mentionType = s.mentionType;
    for (Gazetteer.Mention m : mentions) {
      for (int i = m.from(); i < m.to(); i++) {
        mentionType[i] = m.dataType();
      }
    }
    for (int i = 0; i < size; i++) {
      s.stop[i] = Text.isStop(tokens.get(i));
    }
    // The classifier's units, in order: the symbol of a stem or entity type it knows, or -1 for a gap.
    int[] seq = s.seq;
    int length = 0;
    for (int i = 0; i < size; i++) {
      String type = mentionType[i];
      if (type != null) {
        if (i > 0 && type.equals(mentionType[i - 1])) {
          continue;
        }
        seq[length++] = unit(type);
      } else if (!s.stop[i]) {
        seq[length++] = unit(tokens.get(i).stem());
      }
    }
    int n = intents.size();
    double[] score = s.score;
    boolean any = false;
    for (int k = 0; k < length; k++) {
      if (seq[k] < 0) {
        continue;
      }
      add(score, logProb[unitRow[seq[k]]], n);
      any = true;
      if (k + 1 < length && seq[k + 1] >= 0) {
        int row = pairRow.get(pair(seq[k], seq[k + 1]));
        if (row >= 0) {
          add(score, logProb[row], n);
        }
      }
    }
    if (!any) {
      return List.of();
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
    int candidates = Math.min(n, Math.max(limit, CANDIDATES));
    int[] best = candidates <= s.best.length ? s.best : new int[candidates];
    best(posterior, n, best, candidates);

    List<Interpretation> results = new ArrayList<>(candidates);
    for (int k = 0; k < candidates; k++) {
      int c = best[k];
      if (anchored(c, seq, length)) {
        results.add(interpretAs(c, posterior[c], text, tokens, mentions, s));
      }
    }
    results.sort((a, b) -> Double.compare(b.confidence(), a.confidence()));
    return results.size() > limit ? List.copyOf(results.subList(0, limit)) : List.copyOf(results);
  }

  private static void add(double[] sums, double[] row, int n) {
    for (int c = 0; c < n; c++) {
      sums[c] += row[c];
    }
  }

  /** The {@code k} highest of {@code posterior}, highest first; of equal ones, the earlier intent first. */
  private static void best(double[] posterior, int n, int[] best, int k) {
    int filled = 0;
    for (int c = 0; c < n; c++) {
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

  /**
   * Whether the tagger finds this parameter's values from their place in the sentence: free-form
   * parameters, and entities open to values outside their list (automated expansion).
   */
  private boolean tagged(IntentParameter p) {
    return p.isFreeForm() || openTypes.contains(p.dataType());
  }

  /** Whether {@code name} is an open entity's parameter (not free-form) in {@code intent}. */
  private boolean isOpenTag(IntentDefinition intent, String name) {
    return intent.parameter(name).map(p -> !p.isFreeForm() && openTypes.contains(p.dataType())).orElse(false);
  }

  private boolean anchored(int c, int[] seq, int length) {
    for (int k = 0; k < length; k++) {
      if (seq[k] >= 0 && knows(c, seq[k])) {
        return true;
      }
    }
    return false;
  }

  /** Whether intent {@code c} was trained on the unit of this symbol. */
  private boolean knows(int c, int symbol) {
    return symbol >= 0 && Arrays.binarySearch(intentUnits[c], symbol) >= 0;
  }

  /**
   * The working arrays of one message, kept per thread (for messages up to {@link #REUSED_TOKENS} words) so
   * that scoring allocates little. Holds no reference to the engine, so a dropped engine is not kept alive by
   * the threads that used it; and no reference to the message once it is scored.
   */
  private static final class Scratch {
    static final int REUSED_TOKENS = 64;

    String[] mentionType = new String[0];
    boolean[] stop = new boolean[0];
    int[] seq = new int[0];
    double[] score = new double[0];
    int[] best = new int[8];
    // The tagger's static features of every token, found when a candidate first needs them.
    boolean featuresFound;
    int[] lower = new int[0];
    int[] kind = new int[0];
    int[] featureRows = new int[0];
    int[] featureEnd = new int[0];
    // Per candidate intent.
    boolean[] used = new boolean[0];
    int[] tagged = new int[0];
    double[] margin = new double[0];
    double[] tokenScores = new double[0];
    boolean[] inSpan = new boolean[0];
    double[] spanMargin = new double[0];
    int[] spanFrom = new int[0];
    int[] spanTo = new int[0];
    char[] shape = new char[Text.SHAPE_LENGTH];

    void prepare(int size, int intents, int tags) {
      if (mentionType.length < size) {
        int capacity = Math.max(size, Math.min(REUSED_TOKENS, 2 * mentionType.length));
        mentionType = new String[capacity];
        stop = new boolean[capacity];
        seq = new int[capacity];
        lower = new int[capacity];
        kind = new int[capacity];
        featureRows = new int[capacity * FEATURES_PER_TOKEN];
        featureEnd = new int[capacity];
        used = new boolean[capacity];
        tagged = new int[capacity];
        margin = new double[capacity];
        inSpan = new boolean[capacity];
      }
      if (tokenScores.length < mentionType.length * tags) {
        tokenScores = new double[mentionType.length * tags];
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

    /** Clears what holds the message's strings. */
    void release(int size) {
      Arrays.fill(mentionType, 0, size, null);
    }

    /** Clears the per-candidate arrays. */
    void startCandidate(int size, int tags) {
      Arrays.fill(used, 0, size, false);
      Arrays.fill(tagged, 0, size, 0);
      Arrays.fill(margin, 0, size, 0);
      Arrays.fill(inSpan, 0, size, false);
      Arrays.fill(tokenScores, 0, size * tags, 0);
      Arrays.fill(spanTo, 0, tags, 0);
    }
  }

  private static final int FEATURES_PER_TOKEN = 20;

  /** Finds the static features of every token, in the order {@link #staticFeatures} names them. */
  private void findFeatures(List<Token> tokens, Scratch s) {
    if (s.featuresFound) {
      return;
    }
    s.featuresFound = true;
    int size = tokens.size();
    int[] lower = s.lower;
    int[] kind = s.kind;
    String[] mentionType = s.mentionType;
    for (int i = 0; i < size; i++) {
      Token t = tokens.get(i);
      lower[i] = symbols.getOrDefault(t.lower(), -1);
      kind[i] = mentionType[i] != null ? ENT : s.stop[i] ? STOP : contextWords.contains(t.lower()) ? KNOWN : UNK;
    }
    int[] rows = s.featureRows;
    int at = 0;
    for (int i = 0; i < size; i++) {
      Token t = tokens.get(i);
      int k = kindSymbol[kind[i]];
      at = put(rows, at, biasRow);
      at = put(rows, at, featureRow.get(key(W, lower[i])));
      at = put(rows, at, featureRow.get(key(ST, symbols.getOrDefault(t.stem(), -1))));
      at = put(rows, at, featureRow.get(key(SH, shapes.get(s.shape, Text.shape(t.text(), s.shape)))));
      at = put(rows, at, featureRow.get(key(K, k)));
      if (mentionType[i] != null) {
        at = put(rows, at, featureRow.get(key(E, symbols.getOrDefault(mentionType[i], -1))));
      }
      String w = t.text();
      if (w.indexOf('-') >= 0) {
        at = put(rows, at, dashRow);
      }
      if (w.indexOf('/') >= 0) {
        at = put(rows, at, slashRow);
      }
      if (w.indexOf('.') >= 0) {
        at = put(rows, at, dotRow);
      }
      if (w.indexOf('_') >= 0 || w.indexOf('=') >= 0) {
        at = put(rows, at, equalsRow);
      }
      if (hasDigit(w)) {
        at = put(rows, at, digitRow);
      }
      int p1 = i > 0 ? lower[i - 1] : startSymbol;
      int p2 = i > 1 ? lower[i - 2] : startSymbol;
      int n1 = i + 1 < size ? lower[i + 1] : endSymbol;
      int n2 = i + 2 < size ? lower[i + 2] : endSymbol;
      at = put(rows, at, featureRow.get(key(P1, p1)));
      at = put(rows, at, featureRow.get(key(P2, p2)));
      at = put(rows, at, featureRow.get(key(N1, n1)));
      at = put(rows, at, featureRow.get(key(N2, n2)));
      at = put(rows, at, featureRow.get(key(P1K, p1, k)));
      at = put(rows, at, featureRow.get(key(N1K, n1, k)));
      at = put(rows, at, featureRow.get(key(P2P1, p2, p1)));
      int pk = i > 0 ? kindSymbol[kind[i - 1]] : startSymbol;
      int nk = i + 1 < size ? kindSymbol[kind[i + 1]] : endSymbol;
      at = put(rows, at, featureRow.get(key(PK, pk, k)));
      at = put(rows, at, featureRow.get(key(NK, nk, k)));
      s.featureEnd[i] = at;
    }
  }

  private static int put(int[] rows, int at, int row) {
    if (row < 0) {
      return at;
    }
    rows[at] = row;
    return at + 1;
  }

  private static boolean hasDigit(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (Character.isDigit(w.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private Interpretation interpretAs(int c, double posterior, String text, List<Token> tokens,
      List<Gazetteer.Mention> mentions, Scratch s) {
    IntentDefinition intent = intents.get(c);
    String[] mentionType = s.mentionType;
    int size = tokens.size();
    int tagCount = tags.length;
    s.startCandidate(size, tagCount);
    Map<String, String> attributes = null;
    boolean[] used = s.used;
    // Entity and number parameters take the recognised values of their type, in order of appearance.
    if (!mentions.isEmpty()) {
      List<Gazetteer.Mention> free = new ArrayList<>(mentions);
      for (IntentParameter p : intent.parameters()) {
        if (p.isFreeForm()) {
          continue;
        }
        for (Gazetteer.Mention m : free) {
          if (m.dataType().equals(p.dataType())) {
            attributes = put(attributes, p.name(), m.value());
            for (int i = m.from(); i < m.to(); i++) {
              used[i] = true;
            }
            free.remove(m);
            break;
          }
        }
      }
    }
    // Free-form parameters: tag each word, greedily left to right.
    int[] allowed = allowedTags[c];
    int[] tagged = s.tagged;
    double[] margin = s.margin;
    double[] tokenScores = s.tokenScores;
    if (allowed.length > 1) {
      findFeatures(tokens, s);
      int[] rows = s.featureRows;
      int prev = startSymbol;
      for (int i = 0; i < size; i++) {
        if (used[i]) {
          prev = tagSymbol[0];
          continue;
        }
        int offset = i * tagCount;
        for (int r = i == 0 ? 0 : s.featureEnd[i - 1]; r < s.featureEnd[i]; r++) {
          addAt(tokenScores, offset, weights[rows[r]]);
        }
        int pt = featureRow.get(key(PT, prev));
        if (pt >= 0) {
          addAt(tokenScores, offset, weights[pt]);
        }
        int ptk = featureRow.get(key(PTK, prev, kindSymbol[s.kind[i]]));
        if (ptk >= 0) {
          addAt(tokenScores, offset, weights[ptk]);
        }
        int best = 0;
        for (int t : allowed) {
          if (tokenScores[offset + t] > tokenScores[offset + best]) {
            best = t;
          }
        }
        tagged[i] = best;
        margin[i] = tokenScores[offset + best] - tokenScores[offset];
        prev = tagSymbol[best];
      }
    }
    // The best span of each tag: its summed margin, first and end token; spanTo 0 when it has none.
    double[] spanMargin = s.spanMargin;
    int[] spanFrom = s.spanFrom;
    int[] spanTo = s.spanTo;
    List<double[]> losers = null;
    for (int i = 0; i < size; ) {
      if (tagged[i] == 0) {
        i++;
        continue;
      }
      int t = tagged[i];
      int j = i;
      double m = 0;
      while (j < size && tagged[j] == t) {
        m += margin[j];
        j++;
      }
      boolean eligible = !openTag[c][t] || Text.looksLikeIdentifier(tokens.get(i).text());
      if (eligible && (spanTo[t] == 0 || m > spanMargin[t])) {
        if (spanTo[t] != 0) {
          losers = losers == null ? new ArrayList<>() : losers;
          losers.add(new double[] {spanMargin[t], spanFrom[t], spanTo[t]});
        }
        spanMargin[t] = m;
        spanFrom[t] = i;
        spanTo[t] = j;
      } else {
        losers = losers == null ? new ArrayList<>() : losers;
        losers.add(new double[] {m, i, j});
      }
      i = j;
    }
    // Two spans of one tag ("build X from Y", both read as job names): a losing span goes to another
    // parameter of the intent that found no value, when the tagger rates that parameter above no value.
    if (losers != null) {
      losers.sort((x, y) -> Double.compare(y[0], x[0]));
      for (double[] loser : losers) {
        int from = (int) loser[1];
        int to = (int) loser[2];
        if (!Text.looksLikeIdentifier(tokens.get(from).text())) {
          continue; // prose the tagger hesitated over ("the result") is no value of anything
        }
        int bestAlternative = -1;
        double bestSum = Double.NEGATIVE_INFINITY;
        for (int t : allowed) {
          if (t == 0 || spanTo[t] != 0 || (attributes != null && attributes.containsKey(tags[t]))) {
            continue;
          }
          double sum = 0;
          double none = 0;
          for (int k = from; k < to; k++) {
            sum += tokenScores[k * tagCount + t];
            none += tokenScores[k * tagCount];
          }
          if (sum > none && sum > bestSum) {
            bestSum = sum;
            bestAlternative = t;
          }
        }
        if (bestAlternative > 0) {
          spanMargin[bestAlternative] = loser[0];
          spanFrom[bestAlternative] = from;
          spanTo[bestAlternative] = to;
        }
      }
    }
    boolean[] inSpan = s.inSpan;
    double slotWeight = 1;
    for (int t = 1; t < tagCount; t++) {
      if (spanTo[t] == 0) {
        continue;
      }
      int from = spanFrom[t];
      int to = spanTo[t];
      if (attributes != null && attributes.containsKey(tags[t])) {
        continue; // an open entity already found a listed value, which wins
      }
      if (openTag[c][t]) {
        // A value outside an open entity's list is one word shaped like a name (release/3.1, PAY-77):
        // plain prose words around it ("passing", "the result") are not values.
        to = from + 1;
        if (!Text.looksLikeIdentifier(tokens.get(from).text())) {
          continue;
        }
      }
      String value = text.substring(tokens.get(from).start(), tokens.get(to - 1).end());
      attributes = put(attributes, tags[t], value);
      for (int i = from; i < to; i++) {
        inSpan[i] = true;
      }
      if (identifierTag[t] && !Text.looksLikeIdentifier(value)) {
        slotWeight = 0.5;
      }
    }
    // Coverage: how much of the message this intent explains.
    double content = 0;
    double covered = 0;
    for (int i = 0; i < size; i++) {
      if (mentionType[i] == null && s.stop[i]) {
        continue;
      }
      content++;
      if (used[i] || (mentionType[i] != null && knows(c, unit(mentionType[i])))) {
        covered++;
      } else if (inSpan[i]) {
        covered += slotWeight;
      } else if (knows(c, unit(tokens.get(i).stem()))) {
        covered++;
      }
    }
    double coverage = content == 0 ? 1 : covered / content;
    double confidence = Math.max(0, Math.min(1, posterior * coverage));
    if (attributes == null) {
      return new Interpretation(intent, Map.of(), confidence);
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (IntentParameter p : intent.parameters()) {
      String value = attributes.get(p.name());
      if (value != null) {
        ordered.put(p.name(), value);
      }
    }
    return new Interpretation(intent, ordered, confidence);
  }

  private static Map<String, String> put(Map<String, String> attributes, String name, String value) {
    Map<String, String> map = attributes == null ? new HashMap<>() : attributes;
    map.put(name, value);
    return map;
  }

  private static void addAt(double[] sums, int offset, double[] row) {
    for (int t = 0; t < row.length; t++) {
      sums[offset + t] += row[t];
    }
  }

  private static int argmax(int[] features, int[] allowed, List<double[]> w) {
    int best = allowed[0];
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int t : allowed) {
      double s = 0;
      for (int id : features) {
        s += w.get(id)[t];
      }
      if (s > bestScore) {
        bestScore = s;
        best = t;
      }
    }
    return best;
  }

  /** The unit sequence of a message: stems and entity types; null marks a gap that breaks pairs. */
  private static List<String> units(List<Token> tokens, String[] mentionType, String[] slot, Set<String> known) {
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
      if (unit != null && known != null && !known.contains("u:" + unit)) {
        unit = null;
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

  private String kind(Token token, String mentionType) {
    if (mentionType != null) {
      return "ent";
    }
    if (Text.isStop(token)) {
      return "stop";
    }
    return contextWords.contains(token.lower()) ? "known" : "unk";
  }

  private List<String> staticFeatures(List<Token> tokens, String[] mentionType, int i) {
    Token t = tokens.get(i);
    String kind = kind(t, mentionType[i]);
    List<String> f = new ArrayList<>(24);
    f.add("bias");
    f.add("w=" + t.lower());
    f.add("st=" + t.stem());
    f.add("sh=" + Text.shape(t.text()));
    f.add("k=" + kind);
    if (mentionType[i] != null) {
      f.add("e=" + mentionType[i]);
    }
    String w = t.text();
    if (w.indexOf('-') >= 0) {
      f.add("has-");
    }
    if (w.indexOf('/') >= 0) {
      f.add("has/");
    }
    if (w.indexOf('.') >= 0) {
      f.add("has.");
    }
    if (w.indexOf('_') >= 0 || w.indexOf('=') >= 0) {
      f.add("has=");
    }
    if (w.chars().anyMatch(Character::isDigit)) {
      f.add("hasdigit");
    }
    String p1 = i > 0 ? tokens.get(i - 1).lower() : "<s>";
    String p2 = i > 1 ? tokens.get(i - 2).lower() : "<s>";
    String n1 = i + 1 < tokens.size() ? tokens.get(i + 1).lower() : "</s>";
    String n2 = i + 2 < tokens.size() ? tokens.get(i + 2).lower() : "</s>";
    f.add("p1=" + p1);
    f.add("p2=" + p2);
    f.add("n1=" + n1);
    f.add("n2=" + n2);
    f.add("p1=" + p1 + "|k=" + kind);
    f.add("n1=" + n1 + "|k=" + kind);
    f.add("p2p1=" + p2 + "_" + p1);
    String pk = i > 0 ? kind(tokens.get(i - 1), mentionType[i - 1]) : "<s>";
    String nk = i + 1 < tokens.size() ? kind(tokens.get(i + 1), mentionType[i + 1]) : "</s>";
    f.add("pk=" + pk + "|k=" + kind);
    f.add("nk=" + nk + "|k=" + kind);
    return f;
  }

  private static final class Example {
    final int intent;
    final List<Token> tokens;
    final String[] mentionType;
    // The tagger learns an open entity's values from their place and shape, as it will meet values outside
    // the list: it does not see that the listed ones were recognised.
    final String[] taggerMention;
    final String[] slot;
    final int[] gold;
    final Map<Integer, String> spanValues = new HashMap<>();

    Example(int intent, List<Token> tokens, String[] mentionType, String[] slot, int[] gold) {
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
  }

  private Example example(int c, IntentDefinition intent, TrainingPhrase phrase) {
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
          if (p.isPresent() && tagged(p.get())) {
            gold[i] = tagIndex.get(p.get().name());
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
    for (int i = 0; i < tokens.size(); ) {
      if (gold[i] == 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < tokens.size() && gold[j] == gold[i]) {
        j++;
      }
      e.spanValues.put(gold[i], sentence.substring(tokens.get(i).start(), tokens.get(j - 1).end()));
      i = j;
    }
    return e;
  }
}
