package ai.chatops.nlu.internal;

import ai.chatops.nlu.EntityDefinition;
import ai.chatops.nlu.IntentDefinition;
import ai.chatops.nlu.IntentParameter;
import ai.chatops.nlu.TrainingPhrase;
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
 */
public final class ReferenceEngine {
  private static final double ALPHA = 0.1;
  private static final int EPOCHS = 8;
  private static final int CANDIDATES = 3;
  private static final String O = "O";

  /** One scored interpretation of a message. */
  public record Interpretation(IntentDefinition intent, Map<String, String> attributes, double confidence) {}

  private final List<IntentDefinition> intents;
  private final Set<String> openTypes;
  private final ReferenceGazetteer gazetteer;
  private final Set<String> contextWords;
  private final List<Set<String>> intentUnits;
  private final Map<String, double[]> logProb;
  private final String[] tags;
  private final Map<String, Integer> tagIndex;
  private final boolean[] identifierTag;
  private final int[][] allowedTags;
  private final Map<String, Integer> featureIndex;
  private final double[][] weights;

  /** Trains on the given intents and entities; {@code seed} fixes the order of training passes. */
  public ReferenceEngine(List<IntentDefinition> intents, List<EntityDefinition> entities, long seed) {
    this.intents = List.copyOf(intents);
    Set<String> open = new HashSet<>();
    for (EntityDefinition entity : entities) {
      if (entity.automatedExpansion()) {
        open.add("@" + entity.name());
      }
    }
    this.openTypes = open;
    this.gazetteer = new ReferenceGazetteer(entities);

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
    this.intentUnits = units;
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
    this.logProb = lp;

    // Which free-form attributes usually hold identifiers (job-name-like words) rather than prose.
    int[] identifier = new int[tags.length];
    int[] spans = new int[tags.length];
    for (Example e : examples) {
      for (Map.Entry<Integer, String> span : e.spanValues.entrySet()) {
        spans[span.getKey()]++;
        if (ReferenceText.looksLikeIdentifier(span.getValue())) {
          identifier[span.getKey()]++;
        }
      }
    }
    this.identifierTag = new boolean[tags.length];
    for (int t = 1; t < tags.length; t++) {
      identifierTag[t] = spans[t] > 0 && identifier[t] >= 0.7 * spans[t];
    }

    // The tagger: an averaged perceptron, trained with the gold previous tag.
    this.featureIndex = new HashMap<>();
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
  }

  /** The intents, in the order they were given. */
  public List<IntentDefinition> intents() {
    return intents;
  }

  /** The best interpretations of {@code text}, most confident first; empty when nothing is recognised. */
  public List<Interpretation> interpret(String text, int limit) {
    List<ReferenceToken> tokens = ReferenceText.tokenize(text);
    if (tokens.isEmpty() || intents.isEmpty()) {
      return List.of();
    }
    List<ReferenceGazetteer.Mention> mentions = gazetteer.find(tokens);
    String[] mentionType = new String[tokens.size()];
    for (ReferenceGazetteer.Mention m : mentions) {
      for (int i = m.from(); i < m.to(); i++) {
        mentionType[i] = m.dataType();
      }
    }
    List<String> seq = units(tokens, mentionType, new String[tokens.size()], logProb.keySet());
    List<String> features = features(seq);
    features.removeIf(f -> !logProb.containsKey(f));
    if (features.isEmpty()) {
      return List.of();
    }
    int n = intents.size();
    double[] score = new double[n];
    for (String f : features) {
      double[] row = logProb.get(f);
      for (int c = 0; c < n; c++) {
        score[c] += row[c];
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double s : score) {
      max = Math.max(max, s);
    }
    double sum = 0;
    double[] posterior = new double[n];
    for (int c = 0; c < n; c++) {
      posterior[c] = Math.exp(score[c] - max);
      sum += posterior[c];
    }
    Integer[] order = new Integer[n];
    for (int c = 0; c < n; c++) {
      posterior[c] /= sum;
      order[c] = c;
    }
    Arrays.sort(order, (a, b) -> Double.compare(posterior[b], posterior[a]));

    List<List<String>> staticFeatures = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      staticFeatures.add(staticFeatures(tokens, mentionType, i));
    }
    List<Interpretation> results = new ArrayList<>();
    for (int k = 0; k < Math.min(n, Math.max(limit, CANDIDATES)); k++) {
      int c = order[k];
      if (!anchored(c, seq)) {
        continue;
      }
      results.add(interpretAs(c, posterior[c], text, tokens, mentions, mentionType, staticFeatures));
    }
    results.sort((a, b) -> Double.compare(b.confidence(), a.confidence()));
    return results.size() > limit ? List.copyOf(results.subList(0, limit)) : List.copyOf(results);
  }

  /**
   * Whether the tagger finds this parameter's values from their place in the sentence: free-form
   * parameters, and entities open to values outside their list (automated expansion).
   */
  private boolean tagged(IntentParameter p) {
    return p.isFreeForm() || openTypes.contains(p.dataType());
  }

  /** Whether tag {@code t} is an open entity's parameter (not free-form) in intent {@code c}. */
  private boolean openTag(int c, int t) {
    return intents.get(c).parameter(tags[t]).map(p -> !p.isFreeForm() && openTypes.contains(p.dataType()))
        .orElse(false);
  }

  private boolean anchored(int c, List<String> seq) {
    for (String u : seq) {
      if (u != null && intentUnits.get(c).contains(u)) {
        return true;
      }
    }
    return false;
  }

  private Interpretation interpretAs(int c, double posterior, String text, List<ReferenceToken> tokens,
      List<ReferenceGazetteer.Mention> mentions, String[] mentionType, List<List<String>> staticFeatures) {
    IntentDefinition intent = intents.get(c);
    Map<String, String> attributes = new LinkedHashMap<>();
    boolean[] used = new boolean[tokens.size()];
    // Entity and number parameters take the recognised values of their type, in order of appearance.
    List<ReferenceGazetteer.Mention> free = new ArrayList<>(mentions);
    for (IntentParameter p : intent.parameters()) {
      if (p.isFreeForm()) {
        continue;
      }
      for (ReferenceGazetteer.Mention m : free) {
        if (m.dataType().equals(p.dataType())) {
          attributes.put(p.name(), m.value());
          for (int i = m.from(); i < m.to(); i++) {
            used[i] = true;
          }
          free.remove(m);
          break;
        }
      }
    }
    // Free-form parameters: tag each word, greedily left to right.
    int[] allowed = allowedTags[c];
    int[] tagged = new int[tokens.size()];
    double[] margin = new double[tokens.size()];
    double[][] tokenScores = new double[tokens.size()][];
    String prev = "<s>";
    double[] scores = new double[tags.length];
    for (int i = 0; i < tokens.size(); i++) {
      if (used[i] || allowed.length == 1) {
        prev = O;
        continue;
      }
      Arrays.fill(scores, 0);
      add(scores, staticFeatures.get(i));
      add(scores, "pt=" + prev);
      add(scores, "pt=" + prev + "|k=" + kind(tokens.get(i), mentionType[i]));
      int best = 0;
      for (int t : allowed) {
        if (scores[t] > scores[best]) {
          best = t;
        }
      }
      tagged[i] = best;
      margin[i] = scores[best] - scores[0];
      tokenScores[i] = scores.clone();
      prev = tags[best];
    }
    Map<Integer, double[]> bestSpan = new HashMap<>();
    List<double[]> losers = new ArrayList<>();
    for (int i = 0; i < tokens.size(); ) {
      if (tagged[i] == 0) {
        i++;
        continue;
      }
      int j = i;
      double m = 0;
      while (j < tokens.size() && tagged[j] == tagged[i]) {
        m += margin[j];
        j++;
      }
      double[] current = bestSpan.get(tagged[i]);
      boolean eligible = !openTag(c, tagged[i]) || ReferenceText.looksLikeIdentifier(tokens.get(i).text());
      if (eligible && (current == null || m > current[0])) {
        if (current != null) {
          losers.add(new double[] {current[0], current[1], current[2]});
        }
        bestSpan.put(tagged[i], new double[] {m, i, j});
      } else {
        losers.add(new double[] {m, i, j});
      }
      i = j;
    }
    // Two spans of one tag ("build X from Y", both read as job names): a losing span goes to another
    // parameter of the intent that found no value, when the tagger rates that parameter above no value.
    losers.sort((x, y) -> Double.compare(y[0], x[0]));
    for (double[] loser : losers) {
      int from = (int) loser[1];
      int to = (int) loser[2];
      if (!ReferenceText.looksLikeIdentifier(tokens.get(from).text())) {
        continue; // prose the tagger hesitated over ("the result") is no value of anything
      }
      int bestAlternative = -1;
      double bestSum = Double.NEGATIVE_INFINITY;
      for (int t : allowed) {
        if (t == 0 || bestSpan.containsKey(t) || attributes.containsKey(tags[t])) {
          continue;
        }
        double sum = 0;
        double none = 0;
        for (int k = from; k < to; k++) {
          sum += tokenScores[k][t];
          none += tokenScores[k][0];
        }
        if (sum > none && sum > bestSum) {
          bestSum = sum;
          bestAlternative = t;
        }
      }
      if (bestAlternative > 0) {
        bestSpan.put(bestAlternative, new double[] {loser[0], from, to});
      }
    }
    boolean[] inSpan = new boolean[tokens.size()];
    double slotWeight = 1;
    for (Map.Entry<Integer, double[]> e : bestSpan.entrySet()) {
      int from = (int) e.getValue()[1];
      int to = (int) e.getValue()[2];
      if (attributes.containsKey(tags[e.getKey()])) {
        continue; // an open entity already found a listed value, which wins
      }
      if (openTag(c, e.getKey())) {
        // A value outside an open entity's list is one word shaped like a name (release/3.1, PAY-77):
        // plain prose words around it ("passing", "the result") are not values.
        to = from + 1;
        if (!ReferenceText.looksLikeIdentifier(tokens.get(from).text())) {
          continue;
        }
      }
      String value = text.substring(tokens.get(from).start(), tokens.get(to - 1).end());
      attributes.put(tags[e.getKey()], value);
      for (int i = from; i < to; i++) {
        inSpan[i] = true;
      }
      if (identifierTag[e.getKey()] && !ReferenceText.looksLikeIdentifier(value)) {
        slotWeight = 0.5;
      }
    }
    // Coverage: how much of the message this intent explains.
    double content = 0;
    double covered = 0;
    Set<String> known = intentUnits.get(c);
    for (int i = 0; i < tokens.size(); i++) {
      ReferenceToken t = tokens.get(i);
      if (mentionType[i] == null && ReferenceText.isStop(t)) {
        continue;
      }
      content++;
      if (used[i] || (mentionType[i] != null && known.contains(mentionType[i]))) {
        covered++;
      } else if (inSpan[i]) {
        covered += slotWeight;
      } else if (known.contains(t.stem())) {
        covered++;
      }
    }
    double coverage = content == 0 ? 1 : covered / content;
    double confidence = Math.max(0, Math.min(1, posterior * coverage));
    Map<String, String> ordered = new LinkedHashMap<>();
    for (IntentParameter p : intent.parameters()) {
      Optional.ofNullable(attributes.get(p.name())).ifPresent(value -> ordered.put(p.name(), value));
    }
    return new Interpretation(intent, ordered, confidence);
  }

  private void add(double[] scores, List<String> names) {
    for (String name : names) {
      add(scores, name);
    }
  }

  private void add(double[] scores, String name) {
    Integer id = featureIndex.get(name);
    if (id != null) {
      double[] row = weights[id];
      for (int t = 0; t < row.length; t++) {
        scores[t] += row[t];
      }
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
  private static List<String> units(List<ReferenceToken> tokens, String[] mentionType, String[] slot, Set<String> known) {
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
      } else if (ReferenceText.isStop(tokens.get(i))) {
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

  private String kind(ReferenceToken token, String mentionType) {
    if (mentionType != null) {
      return "ent";
    }
    if (ReferenceText.isStop(token)) {
      return "stop";
    }
    return contextWords.contains(token.lower()) ? "known" : "unk";
  }

  private List<String> staticFeatures(List<ReferenceToken> tokens, String[] mentionType, int i) {
    ReferenceToken t = tokens.get(i);
    String kind = kind(t, mentionType[i]);
    List<String> f = new ArrayList<>(24);
    f.add("bias");
    f.add("w=" + t.lower());
    f.add("st=" + t.stem());
    f.add("sh=" + ReferenceText.shape(t.text()));
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
    final List<ReferenceToken> tokens;
    final String[] mentionType;
    // The tagger learns an open entity's values from their place and shape, as it will meet values outside
    // the list: it does not see that the listed ones were recognised.
    final String[] taggerMention;
    final String[] slot;
    final int[] gold;
    final Map<Integer, String> spanValues = new HashMap<>();

    Example(int intent, List<ReferenceToken> tokens, String[] mentionType, String[] slot, int[] gold) {
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
    List<ReferenceToken> tokens = ReferenceText.tokenize(sentence);
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
    for (ReferenceGazetteer.Mention m : gazetteer.find(tokens)) {
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
