package ai.chatops.nlu.internal;

import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tagger's tags: {@value #O} (no value) as tag 0, then one per name of a tagged parameter, shared by the
 * intents that use that name; and which tags each intent may give. Immutable after construction and
 * thread-safe.
 */
final class TagSet {
  /** The tag of a word that is no parameter's value. */
  static final String O = "O";

  private final Set<String> openTypes;
  private final String[] names;
  private final Map<String, Integer> index;
  private final int[][] allowed;
  private final boolean[][] open;

  TagSet(List<IntentDefinition> intents, List<EntityDefinition> entities) {
    Set<String> openEntities = new HashSet<>();
    for (EntityDefinition entity : entities) {
      if (entity.automatedExpansion()) {
        openEntities.add("@" + entity.name());
      }
    }
    this.openTypes = openEntities;
    List<String> tagList = new ArrayList<>(List.of(O));
    for (IntentDefinition intent : intents) {
      for (IntentParameter p : intent.parameters()) {
        if (tagged(p) && !tagList.contains(p.name())) {
          tagList.add(p.name());
        }
      }
    }
    this.names = tagList.toArray(new String[0]);
    this.index = new HashMap<>();
    for (int t = 0; t < names.length; t++) {
      index.put(names[t], t);
    }
    this.allowed = new int[intents.size()][];
    this.open = new boolean[intents.size()][names.length];
    for (int c = 0; c < intents.size(); c++) {
      List<Integer> tags = new ArrayList<>(List.of(0));
      for (IntentParameter p : intents.get(c).parameters()) {
        if (tagged(p)) {
          tags.add(index.get(p.name()));
        }
      }
      int[] ids = new int[tags.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = tags.get(i);
      }
      allowed[c] = ids;
      for (int t = 1; t < names.length; t++) {
        open[c][t] = isOpenTag(intents.get(c), names[t]);
      }
    }
  }

  /**
   * Whether the tagger finds this parameter's values from their place in the sentence: free-form
   * parameters, and entities open to values outside their list (automated expansion).
   */
  boolean tagged(IntentParameter p) {
    return p.isFreeForm() || openTypes.contains(p.dataType());
  }

  /** How many tags there are, {@value #O} included. */
  int size() {
    return names.length;
  }

  /** The parameter name of tag {@code t}; {@value #O} for tag 0. */
  String name(int t) {
    return names[t];
  }

  /** The tag of a tagged parameter's name. */
  int index(String name) {
    return index.get(name);
  }

  /** The tags intent {@code c} may give, tag 0 first; shared, not to be written. */
  int[] allowed(int c) {
    return allowed[c];
  }

  /** Whether tag {@code t} is an open entity's parameter (not free-form) in intent {@code c}. */
  boolean open(int c, int t) {
    return open[c][t];
  }

  private boolean isOpenTag(IntentDefinition intent, String name) {
    Optional<IntentParameter> parameter = intent.parameter(name);
    return parameter.isPresent() && !parameter.get().isFreeForm()
        && openTypes.contains(parameter.get().dataType());
  }
}
