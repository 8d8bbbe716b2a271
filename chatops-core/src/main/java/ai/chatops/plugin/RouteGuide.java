package ai.chatops.plugin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the dialog knows of a route beyond {@code config.yaml}, from the plugin's training material: its
 * slots (which attributes it requires and how to ask for them) and example phrasings for {@code help}.
 *
 * @param route the route path, such as {@code /v1/jenkins/build}
 * @param slots the route's attributes with their requirements, in declared order
 * @param examples phrasings users may say, best first
 */
public record RouteGuide(String route, List<Slot> slots, List<String> examples) {
  public RouteGuide {
    Objects.requireNonNull(route, "route");
    slots = List.copyOf(slots);
    examples = List.copyOf(examples);
  }

  /** The slot of an attribute, if the guide has one. */
  public Optional<Slot> slot(String attribute) {
    return slots.stream().filter(s -> s.attribute().equals(attribute)).findFirst();
  }
}
