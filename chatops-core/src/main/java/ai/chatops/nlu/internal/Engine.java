package ai.chatops.nlu.internal;

import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import java.util.ArrayList;
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

  /** One scored interpretation of a message. */
  public record Interpretation(IntentDefinition intent, Map<String, String> attributes, double confidence) {}

  private final List<IntentDefinition> intents;
  private final Gazetteer gazetteer;
  private final TagSet tags;
  private final IntentClassifier classifier;
  private final SlotFiller slots;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** Trains on the given intents and entities; {@code seed} fixes the order of training passes. */
  public Engine(List<IntentDefinition> intents, List<EntityDefinition> entities, long seed) {
    this.intents = List.copyOf(intents);
    this.gazetteer = new Gazetteer(entities);
    this.tags = new TagSet(intents, entities);
    List<Example> examples = Example.readAll(intents, gazetteer, tags);
    this.classifier = new IntentClassifier(examples, intents.size());
    this.slots = new SlotFiller(examples, tags, new Tagger(examples, tags, seed));
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
    s.prepare(size, intents.size(), tags.size());
    try {
      return interpret(text, tokens, limit, s);
    } finally {
      s.release(size);
    }
  }

  private List<Interpretation> interpret(String text, List<Token> tokens, int limit, Scratch s) {
    List<Gazetteer.Mention> mentions = gazetteer.find(tokens);
    for (Gazetteer.Mention m : mentions) {
      for (int i = m.from(); i < m.to(); i++) {
        s.mentionType[i] = m.dataType();
      }
    }
    for (int i = 0; i < tokens.size(); i++) {
      s.stop[i] = Text.isStop(tokens.get(i));
    }
    int length = classifier.units(tokens, s);
    double[] posterior = s.score;
    if (!classifier.posterior(s.seq, length, posterior)) {
      return List.of();
    }
    int candidates = Math.min(intents.size(), Math.max(limit, CANDIDATES));
    int[] best = candidates <= s.best.length ? s.best : new int[candidates];
    classifier.best(posterior, best, candidates);

    List<Interpretation> results = new ArrayList<>(candidates);
    for (int k = 0; k < candidates; k++) {
      int c = best[k];
      if (classifier.anchored(c, s.seq, length)) {
        results.add(interpretAs(c, posterior[c], text, tokens, mentions, s));
      }
    }
    results.sort((a, b) -> Double.compare(b.confidence(), a.confidence()));
    return results.size() > limit ? List.copyOf(results.subList(0, limit)) : List.copyOf(results);
  }

  private Interpretation interpretAs(int c, double posterior, String text, List<Token> tokens,
      List<Gazetteer.Mention> mentions, Scratch s) {
    IntentDefinition intent = intents.get(c);
    s.startCandidate(tokens.size(), tags.size());
    Map<String, String> attributes = slots.fill(c, intent, text, tokens, mentions, s);
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
      if (s.used[i] || (type != null && classifier.knows(c, classifier.unit(type)))) {
        covered++;
      } else if (s.inSpan[i]) {
        covered += s.slotWeight;
      } else if (classifier.knows(c, classifier.unit(tokens.get(i).stem()))) {
        covered++;
      }
    }
    return content == 0 ? 1 : covered / content;
  }
}
