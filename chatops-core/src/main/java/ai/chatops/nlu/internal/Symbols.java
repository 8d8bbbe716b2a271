package ai.chatops.nlu.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Numbers the strings a model was trained on, so that a message looks each of its words up once and then finds
 * its features by small integers instead of building and hashing their names. Filled during training,
 * read-only after; safe to share between threads once published.
 */
final class Symbols {
  /** The most symbols a table holds: {@link FeatureIndex} packs two of them into 29 bits each. */
  static final int MAX = 1 << 29;

  private final Map<String, Integer> ids = new HashMap<>();

  /** The symbol of {@code s}, numbering it when it is new. */
  int intern(String s) {
    Integer id = ids.get(s);
    if (id == null) {
      if (ids.size() == MAX) {
        throw new IllegalStateException("more than " + MAX + " distinct words in the training material");
      }
      id = ids.size();
      ids.put(s, id);
    }
    return id;
  }

  /** The symbol of {@code s}, or -1 when training never met it. */
  int get(String s) {
    Integer id = ids.get(s);
    return id == null ? -1 : id;
  }

  /** The strings that have a symbol. */
  Set<String> strings() {
    return Collections.unmodifiableSet(ids.keySet());
  }

  /** How many strings have a symbol; symbols are {@code 0} to {@code size() - 1}. */
  int size() {
    return ids.size();
  }
}
