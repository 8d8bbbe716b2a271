package ai.chatops.nlu.internal;

import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the values of one candidate intent's parameters in a message: recognised entity values and numbers by
 * type, in order of appearance; free-form and open-entity values from the spans the {@link Tagger} marks.
 * Immutable after construction and thread-safe.
 */
final class SlotFiller {
  /** Higher scores first. A class, not a lambda: this runs on a cold router's first free-text event. */
  private static final Comparator<double[]> BEST_FIRST = new Comparator<>() {
    @Override
    public int compare(double[] x, double[] y) {
      return Double.compare(y[0], x[0]);
    }
  };

  private final TagSet tags;
  private final Tagger tagger;
  // Which tags' values are usually identifiers (job-name-like words) rather than prose.
  private final boolean[] identifierTag;

  SlotFiller(List<Example> examples, TagSet tags, Tagger tagger) {
    this.tags = tags;
    this.tagger = tagger;
    int[] identifier = new int[tags.size()];
    int[] spans = new int[tags.size()];
    for (Example e : examples) {
      for (Map.Entry<Integer, String> span : e.spanValues.entrySet()) {
        spans[span.getKey()]++;
        if (Text.looksLikeIdentifier(span.getValue())) {
          identifier[span.getKey()]++;
        }
      }
    }
    this.identifierTag = new boolean[tags.size()];
    for (int t = 1; t < tags.size(); t++) {
      identifierTag[t] = spans[t] > 0 && identifier[t] >= 0.7 * spans[t];
    }
  }

  /**
   * The values intent {@code c} finds in the message, by parameter name; null when none. Marks the words of
   * entity values in {@code s.used} and those of tagged values in {@code s.inSpan}, and sets
   * {@code s.slotWeight}; expects the candidate arrays cleared ({@link Scratch#startCandidate}).
   */
  Map<String, String> fill(int c, IntentDefinition intent, String text, List<Token> tokens,
      List<Gazetteer.Mention> mentions, Scratch s) {
    Map<String, String> attributes = mentions.isEmpty() ? null : entityValues(intent, mentions, s.used);
    int[] allowed = tags.allowed(c);
    if (allowed.length > 1) {
      tagger.tag(allowed, tokens, s);
    }
    List<double[]> losers = bestSpans(c, tokens, s);
    if (losers != null) {
      reassign(losers, allowed, attributes, tokens, s);
    }
    loneValueToRequired(intent, attributes, tokens, s);
    return spanValues(c, text, tokens, attributes, s);
  }

  /** Entity and number parameters take the recognised values of their type, in order of appearance. */
  private static Map<String, String> entityValues(IntentDefinition intent, List<Gazetteer.Mention> mentions,
      boolean[] used) {
    Map<String, String> attributes = null;
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
    return attributes;
  }

  /**
   * Writes the best span of each tag into {@code s.spanMargin}, {@code s.spanFrom} and {@code s.spanTo} (its
   * summed margin, first and end word; {@code spanTo} 0 when it has none).
   *
   * @return the other spans as {margin, from, to}, or null when there are none
   */
  private List<double[]> bestSpans(int c, List<Token> tokens, Scratch s) {
    int size = tokens.size();
    int[] tagged = s.tagged;
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
        m += s.margin[j];
        j++;
      }
      boolean eligible = !tags.open(c, t) || Text.looksLikeIdentifier(tokens.get(i).text());
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
    return losers;
  }

  /**
   * Two spans of one tag ("build X from Y", both read as job names): a losing span goes to another parameter
   * of the intent that found no value, when the tagger rates that parameter above no value.
   */
  private void reassign(List<double[]> losers, int[] allowed, Map<String, String> attributes, List<Token> tokens,
      Scratch s) {
    int tagCount = tags.size();
    double[] tokenScores = s.tokenScores;
    losers.sort(BEST_FIRST);
    for (double[] loser : losers) {
      int from = (int) loser[1];
      int to = (int) loser[2];
      if (!Text.looksLikeIdentifier(tokens.get(from).text())) {
        continue; // prose the tagger hesitated over ("the result") is no value of anything
      }
      int bestAlternative = -1;
      double bestSum = Double.NEGATIVE_INFINITY;
      for (int t : allowed) {
        if (t == 0 || s.spanTo[t] != 0 || (attributes != null && attributes.containsKey(tags.name(t)))) {
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
        s.spanMargin[bestAlternative] = loser[0];
        s.spanFrom[bestAlternative] = from;
        s.spanTo[bestAlternative] = to;
      }
    }
  }

  /**
   * One value shaped like a name and an empty required parameter ("could you kick off geo_tiles2?" read as a
   * branch): the value goes to the required parameter, when the tagger rates that parameter above no value
   * for it. A message naming two values keeps the tagger's reading.
   */
  private void loneValueToRequired(IntentDefinition intent, Map<String, String> attributes, List<Token> tokens,
      Scratch s) {
    int lone = -1;
    for (int t = 1; t < tags.size(); t++) {
      if (s.spanTo[t] != 0) {
        if (lone >= 0) {
          return;
        }
        lone = t;
      }
    }
    if (lone < 0 || !Text.looksLikeIdentifier(tokens.get(s.spanFrom[lone]).text())) {
      return;
    }
    int tagCount = tags.size();
    for (IntentParameter p : intent.parameters()) {
      if (!p.required() || !tags.tagged(p) || (attributes != null && attributes.containsKey(p.name()))) {
        continue;
      }
      int t = tags.index(p.name());
      if (t <= 0 || t == lone) {
        return;
      }
      double sum = 0;
      double none = 0;
      for (int k = s.spanFrom[lone]; k < s.spanTo[lone]; k++) {
        sum += s.tokenScores[k * tagCount + t];
        none += s.tokenScores[k * tagCount];
      }
      if (sum > none) {
        s.spanMargin[t] = s.spanMargin[lone];
        s.spanFrom[t] = s.spanFrom[lone];
        s.spanTo[t] = s.spanTo[lone];
        s.spanTo[lone] = 0;
      }
      return;
    }
  }

  /** Adds the text of each tag's span to {@code attributes}, unless an entity value came first. */
  private Map<String, String> spanValues(int c, String text, List<Token> tokens, Map<String, String> attributes,
      Scratch s) {
    for (int t = 1; t < tags.size(); t++) {
      if (s.spanTo[t] == 0) {
        continue;
      }
      int from = s.spanFrom[t];
      int to = s.spanTo[t];
      if (attributes != null && attributes.containsKey(tags.name(t))) {
        continue; // an open entity already found a listed value, which wins
      }
      if (tags.open(c, t)) {
        // A value outside an open entity's list is one word shaped like a name (release/3.1, PAY-77):
        // plain prose words around it ("passing", "the result") are not values.
        to = from + 1;
        if (!Text.looksLikeIdentifier(tokens.get(from).text())) {
          continue;
        }
      }
      String value = text.substring(tokens.get(from).start(), tokens.get(to - 1).end());
      attributes = put(attributes, tags.name(t), value);
      for (int i = from; i < to; i++) {
        s.inSpan[i] = true;
      }
      if (identifierTag[t] && !Text.looksLikeIdentifier(value)) {
        s.slotWeight = 0.5;
      }
    }
    return attributes;
  }

  private static Map<String, String> put(Map<String, String> attributes, String name, String value) {
    Map<String, String> map = attributes == null ? new HashMap<>() : attributes;
    map.put(name, value);
    return map;
  }
}
