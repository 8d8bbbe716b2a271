package ai.chatops.nlu.internal;

import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trained model behind {@code LocalNlu}. Immutable after construction and thread-safe.
 *
 * <p>It composes a {@link Gazetteer}, which recognises dictionary entity values and numbers, with the parts
 * trained on the training phrases ({@link Example}s): an {@link IntentClassifier} (naive Bayes over word stems
 * and stem pairs) ranks the intents; for the best few, a {@link SlotFiller} finds the intent's values, with a
 * {@link Tagger} (an averaged perceptron) marking free-form values from their shape and the words around them.
 * The confidence is the classifier's probability times the share of the message's content words the intent
 * explains.
 *
 * <p>Scoring works in arrays kept per thread and engine ({@link Scratch}: room for 64 words and a double per
 * intent; longer messages get their own arrays).
 */
public final class Engine {
  private static final int CANDIDATES = 3;
  // How much more likely an intent becomes when the message starts with its route's action ("build X",
  // "status of X"): such a message is a command without the plugin's name, and should not need confirming.
  private static final double ACTION_FIRST = 6;

  /** One scored interpretation of a message. */
  public record Interpretation(IntentDefinition intent, Map<String, String> attributes, double confidence) {}

  private final List<IntentDefinition> intents;
  private final Gazetteer gazetteer;
  private final TagSet tags;
  private final IntentClassifier classifier;
  private final SlotFiller slots;
  private final Lexicon lexicon;
  // The stem of each intent's route action (the last part of its path), and whether the intent takes values.
  private final String[] actionStems;
  private final boolean[] takesValues;
  // The classifier's symbol of each action stem, -1 when it was not trained on it.
  private final int[] actionUnits;
  private final ThreadLocal<Scratch> scratch = new ThreadLocal<>() {
    @Override
    protected Scratch initialValue() {
      return new Scratch(); // a class, not a lambda: created on a cold router's first free-text event
    }
  };

  /** Trains on the given intents and entities; {@code seed} fixes the order of training passes. */
  public Engine(List<IntentDefinition> intents, List<EntityDefinition> entities, long seed) {
    this.intents = List.copyOf(intents);
    this.gazetteer = new Gazetteer(entities);
    this.tags = new TagSet(intents, entities);
    List<Example> examples = Example.readAll(intents, gazetteer, tags);
    this.classifier = new IntentClassifier(examples, intents.size());
    Tagger tagger = new Tagger(examples, tags, seed);
    this.slots = new SlotFiller(examples, tags, tagger);
    this.lexicon = new Lexicon(gazetteer, classifier, tagger.features());
    this.actionStems = new String[intents.size()];
    this.takesValues = new boolean[intents.size()];
    this.actionUnits = new int[intents.size()];
    for (int c = 0; c < intents.size(); c++) {
      takesValues[c] = !intents.get(c).parameters().isEmpty();
      String route = intents.get(c).route();
      actionStems[c] = Text.stem(route.substring(route.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT));
      actionUnits[c] = classifier.unit(actionStems[c]);
    }
  }

  /** The intents, in the order they were given. */
  public List<IntentDefinition> intents() {
    return intents;
  }

  /** The values plugins know at run time: by plugin and attribute, lower case to canonical; empty if none. */
  @FunctionalInterface
  public interface Known {
    /** No value known. */
    Known NONE = (plugin, attribute) -> Map.of();

    Map<String, String> values(String plugin, String attribute);
  }

  /** The best interpretations of {@code text}, most confident first; empty when nothing is recognised. */
  public List<Interpretation> interpret(String text, int limit) {
    return interpret(text, limit, Known.NONE);
  }

  /**
   * The best interpretations of {@code text} with the values plugins know at run time: a known value is
   * preferred, written as the plugin spells it, and a plain word that is neither known nor shaped like a
   * value is left out (asked for) in an attribute whose values are known.
   */
  public List<Interpretation> interpret(String text, int limit, Known known) {
    List<Token> tokens = Text.words(text);
    if (tokens.isEmpty() || intents.isEmpty()) {
      return List.of();
    }
    tokens = correctLeadingAction(tokens);
    int size = tokens.size();
    Scratch s = size <= Scratch.REUSED_TOKENS ? scratch.get() : new Scratch();
    s.prepare(size, intents.size(), tags.size());
    try {
      return interpret(text, tokens, limit, s, known);
    } finally {
      s.release(size);
    }
  }

  private List<Interpretation> interpret(String text, List<Token> tokens, int limit, Scratch s, Known known) {
    lexicon.lookUp(tokens, s);
    List<Gazetteer.Mention> mentions = gazetteer.find(tokens, s.words);
    for (int k = 0; k < mentions.size(); k++) { // by index: no iterator, whatever the list
      Gazetteer.Mention m = mentions.get(k);
      for (int i = m.from(); i < m.to(); i++) {
        s.mentionType[i] = m.dataType();
      }
    }
    int length = classifier.units(tokens.size(), s);
    double[] posterior = s.score;
    if (!classifier.posterior(s.seq, length, posterior)) {
      return List.of();
    }
    favourLeadingAction(tokens, s, posterior);
    int candidates = Math.min(intents.size(), Math.max(limit, CANDIDATES));
    int[] best = candidates <= s.best.length ? s.best : new int[candidates];
    classifier.best(posterior, best, candidates);

    List<Interpretation> results = new ArrayList<>(candidates);
    for (int k = 0; k < candidates; k++) {
      int c = best[k];
      if (classifier.anchored(c, s.seq, length)) {
        results.add(interpretAs(c, posterior[c], text, tokens, mentions, s, known));
      }
    }
    sortByConfidence(results);
    if (results.size() > limit) {
      results.subList(limit, results.size()).clear();
    }
    // a view of the list built here, which nothing else holds: read-only without copying it twice
    return Collections.unmodifiableList(results);
  }

  /**
   * Sorts a few interpretations, most confident first; equal ones keep their order (as a stable sort would),
   * by insertion: no comparator, no sorting machinery for three to five items.
   */
  private static void sortByConfidence(List<Interpretation> results) {
    for (int k = 1; k < results.size(); k++) {
      Interpretation r = results.get(k);
      int at = k;
      while (at > 0 && Double.compare(r.confidence(), results.get(at - 1).confidence()) > 0) {
        results.set(at, results.get(at - 1));
        at--;
      }
      results.set(at, r);
    }
  }

  /**
   * A mistyped action as the first content word ("biuld X", "stpo X", "sttaus of X"): a word no intent was
   * trained on, of four letters or more, that starts exactly one route's action or is one edit from it (a letter
   * changed, added, dropped, or two neighbours swapped), and is neither to any other, is read as that action.
   * Other words are left as typed: a typo elsewhere costs little, and a value may look like anything.
   */
  private List<Token> correctLeadingAction(List<Token> tokens) {
    int first = 0;
    while (first < tokens.size() && Text.isStop(tokens.get(first))) {
      first++;
    }
    if (first == tokens.size()) {
      return tokens;
    }
    Token t = tokens.get(first);
    String w = t.lower();
    if (w.length() < 4 || !isLetters(w) || classifier.unit(t.stem()) >= 0 || classifier.unit(w) >= 0) {
      return tokens;
    }
    String match = null;
    for (String action : actionStems) {
      if (action.equals(match) || !(action.startsWith(w) || Text.oneEditApart(w, action))) {
        continue;
      }
      if (match != null) {
        return tokens; // two actions as close ("stat": status cut short, or start mistyped?): no guess
      }
      match = action;
    }
    if (match == null || classifier.unit(match) < 0) {
      return tokens;
    }
    List<Token> corrected = new ArrayList<>(tokens);
    corrected.set(first, new Token(t.text(), match, match, t.start(), t.end()));
    return corrected;
  }

  private static boolean isLetters(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (w.charAt(i) < 'a' || w.charAt(i) > 'z') {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes the intents whose action is the message's first content word {@link #ACTION_FIRST} times likelier;
   * when words follow it, only those intents that take values ("status of X": Jenkins's status, not the
   * bot's own).
   */
  private void favourLeadingAction(List<Token> tokens, Scratch s, double[] posterior) {
    int first = 0;
    while (first < tokens.size() && s.stop[first] && s.mentionType[first] == null) {
      first++;
    }
    if (first == tokens.size() || s.mentionType[first] != null) {
      return;
    }
    String stem = tokens.get(first).stem();
    int unit = s.unit[first];
    boolean more = false;
    for (int i = first + 1; i < tokens.size() && !more; i++) {
      more = !s.stop[i] || s.mentionType[i] != null;
    }
    double sum = 0;
    boolean any = false;
    for (int c = 0; c < actionStems.length; c++) {
      if (isAction(c, unit, stem) && (takesValues[c] || !more)) {
        posterior[c] *= ACTION_FIRST;
        any = true;
      }
      sum += posterior[c];
    }
    if (any) {
      for (int c = 0; c < actionStems.length; c++) {
        posterior[c] /= sum;
      }
    }
  }

  /** Whether {@code stem}, of classifier symbol {@code unit}, is intent {@code c}'s action: ints when known. */
  private boolean isAction(int c, int unit, String stem) {
    return unit >= 0 ? actionUnits[c] == unit : actionUnits[c] < 0 && actionStems[c].equals(stem);
  }

  private Interpretation interpretAs(int c, double posterior, String text, List<Token> tokens,
      List<Gazetteer.Mention> mentions, Scratch s, Known known) {
    IntentDefinition intent = intents.get(c);
    s.startCandidate(tokens.size(), tags.size());
    Map<String, String> attributes = slots.fill(c, intent, text, tokens, mentions, s);
    if (known != Known.NONE) {
      attributes = preferKnown(intent, attributes, tokens, s, known);
    }
    double confidence = Math.max(0, Math.min(1, posterior * coverage(c, tokens, s)));
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

  /**
   * Checks each free-form value against the values the plugin knows for its attribute: a known value is
   * written as the plugin spells it; otherwise a known value elsewhere in the message replaces it; otherwise a
   * plain word (no digit, capital or symbol) is dropped, so that slot filling asks for it instead of guessing.
   * Attributes with no known values are left as they are.
   */
  private Map<String, String> preferKnown(IntentDefinition intent, Map<String, String> attributes,
      List<Token> tokens, Scratch s, Known known) {
    String route = intent.route();
    String plugin = route.startsWith("/v1/") && route.indexOf('/', 4) > 0
        ? route.substring(4, route.indexOf('/', 4)) : "";
    Map<String, String> result = attributes;
    for (IntentParameter p : intent.parameters()) {
      if (!tags.tagged(p)) {
        continue;
      }
      Map<String, String> values = known.values(plugin, p.name());
      if (values.isEmpty()) {
        continue;
      }
      String value = result == null ? null : result.get(p.name());
      String canonical = value == null ? null : values.get(value.toLowerCase(java.util.Locale.ROOT));
      if (canonical == null) {
        for (int i = 0; i < tokens.size(); i++) {
          String candidate = s.used[i] ? null : values.get(tokens.get(i).lower());
          if (candidate == null) {
            continue;
          }
          String holder = result == null ? null : holderOf(result, tokens.get(i).text(), candidate);
          if (holder != null && known.values(plugin, holder).containsKey(tokens.get(i).lower())) {
            continue; // a value the other attribute knows too: the tagger's choice stands
          }
          if (holder != null) {
            // A known job the tagger read as another attribute (a branch, a parameter): the known value wins
            // its attribute, and what this attribute held goes to the other one.
            result.remove(holder);
            if (value != null && Text.looksLikeIdentifier(value)) {
              result.put(holder, value);
            }
          }
          canonical = candidate;
          s.used[i] = true;
          break;
        }
      } else {
        markUsed(tokens, value, s);
      }
      if (canonical != null) {
        result = result == null ? new java.util.HashMap<>() : result;
        result.put(p.name(), canonical);
        s.slotWeight = 1;
      } else if (value != null && !Text.looksLikeIdentifier(value) && !recognised(tokens, value, s)) {
        result.remove(p.name()); // a dictionary entity's value (an open entity's listed one) stays
      }
    }
    return result;
  }

  /** The attribute whose value is {@code text} or {@code canonical} (any case), or null. */
  private static String holderOf(Map<String, String> attributes, String text, String canonical) {
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (e.getValue().equalsIgnoreCase(text) || e.getValue().equalsIgnoreCase(canonical)) {
        return e.getKey();
      }
    }
    return null;
  }

  private static boolean recognised(List<Token> tokens, String value, Scratch s) {
    for (int i = 0; i < tokens.size(); i++) {
      if (s.used[i] && value.startsWith(tokens.get(i).text())) {
        return true;
      }
    }
    return false;
  }

  private static void markUsed(List<Token> tokens, String value, Scratch s) {
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).text().equals(value)) {
        s.used[i] = true;
      }
    }
  }

  /**
   * How much of the message intent {@code c} explains: the share of its content words (all but stop words)
   * that are its values or units it was trained on; a tagged value's words count {@code s.slotWeight} each.
   */
  private double coverage(int c, List<Token> tokens, Scratch s) {
    double content = 0;
    double covered = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String type = s.mentionType[i];
      if (type == null && s.stop[i]) {
        continue;
      }
      content++;
      if (s.used[i] || (type != null && classifier.knows(c, s.unit[i]))) {
        covered++;
      } else if (s.inSpan[i]) {
        covered += s.slotWeight;
      } else if (classifier.knows(c, type == null ? s.unit[i] : s.stemUnit[i])) {
        covered++;
      }
    }
    return content == 0 ? 1 : covered / content;
  }
}
