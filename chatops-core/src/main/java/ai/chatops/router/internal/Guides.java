package ai.chatops.router.internal;

import ai.chatops.plugin.RouteGuide;
import ai.chatops.plugin.TrainingSet;
import java.util.List;

/** Turns the plugins' training material into the dialog's route guides. */
public final class Guides {
  private Guides() {}

  /** What the training material says of each route: required attributes, prompts, examples. */
  public static List<RouteGuide> from(List<TrainingSet> trainingSets) {
    return ai.chatops.plugin.internal.RouteGuides.from(trainingSets);
  }
}
