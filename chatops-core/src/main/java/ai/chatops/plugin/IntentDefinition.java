package ai.chatops.plugin;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One intent: a thing users ask for, the route that serves it, its parameters and example sentences.
 *
 * <p>In DialogFlow's agent export the route is the intent's {@code action} (in {@code responses[0]}); it must
 * be the route path, such as {@code /v1/jenkins/build}. {@code jenkins.build} is accepted as a short form
 * when the files are read.
 *
 * @param name the intent name, such as {@code build}
 * @param route the route path, such as {@code /v1/jenkins/build}
 * @param parameters the parameters, in declared order
 * @param phrases the training phrases
 */
public record IntentDefinition(
    String name, String route, List<IntentParameter> parameters, List<TrainingPhrase> phrases) {
  /** Checks that no component is null and that parameter names are unique. */
  public IntentDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(route, "route");
    parameters = List.copyOf(parameters);
    phrases = List.copyOf(phrases);
    Set<String> names = new HashSet<>();
    for (IntentParameter parameter : parameters) {
      if (!names.add(parameter.name())) {
        throw new IllegalArgumentException("intent '" + name + "' declares a parameter twice: " + parameters);
      }
    }
  }

  /** The parameter filling {@code attribute}, if any. */
  public Optional<IntentParameter> parameter(String attribute) {
    for (IntentParameter parameter : parameters) {
      if (parameter.name().equals(attribute)) {
        return Optional.of(parameter);
      }
    }
    return Optional.empty();
  }

  /** The required parameters, in declared order: what slot filling must ask for. */
  public List<IntentParameter> requiredParameters() {
    return parameters.stream().filter(IntentParameter::required).collect(Collectors.toList());
  }
}
