package ai.chatops.plugin.internal;

import ai.chatops.plugin.RouteGuide;
import ai.chatops.plugin.Slot;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.TrainingPhrase;
import ai.chatops.plugin.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns the plugins' training material into the dialog's route guides. */
public final class RouteGuides {
  private RouteGuides() {}

  /** What the training material says of each route: required attributes, prompts, examples. */
  public static List<RouteGuide> from(List<TrainingSet> trainingSets) {
    List<RouteGuide> guides = new ArrayList<>();
    for (TrainingSet set : trainingSets) {
      for (IntentDefinition intent : set.intents()) {
        List<Slot> slots = new ArrayList<>();
        for (IntentParameter parameter : intent.parameters()) {
          slots.add(new Slot(parameter.name(), parameter.required(), parameter.prompts()));
        }
        // Examples show how to say it in words: phrasings that merely repeat the command are left out.
        String action = intent.route().substring(intent.route().lastIndexOf('/') + 1);
        Set<String> plain = Set.of(action, set.plugin() + " " + action);
        List<String> examples = new ArrayList<>();
        for (TrainingPhrase phrase : intent.phrases()) {
          String text = phrase.text();
          if (examples.size() < 2 && !examples.contains(text) && !plain.contains(text.toLowerCase(Locale.ROOT))) {
            examples.add(text);
          }
        }
        guides.add(new RouteGuide(intent.route(), slots, examples));
      }
    }
    return guides;
  }
}
