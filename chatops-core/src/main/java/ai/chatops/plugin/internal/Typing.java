package ai.chatops.plugin.internal;

import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives the routes of a {@code config.yaml} the types their intents name: a parameter of type {@code @env}
 * makes the attribute that entity (closed unless the entity expands), so {@code ENV=prod} in an explicit
 * command gives {@code production} as free text does, and its {@code required} flag and prompts make the
 * attribute required. Attributes declared in code keep their declaration.
 */
public final class Typing {
  private Typing() {}

  /** The configuration with typed routes; the same object when the training set adds nothing. */
  public static PluginConfig typed(PluginConfig config, Optional<TrainingSet> training) {
    if (training.isEmpty()) {
      return config;
    }
    List<Route> routes = new ArrayList<>();
    boolean changed = false;
    for (Route route : config.routes()) {
      Route typed = typed(route, training.get());
      changed |= typed != route;
      routes.add(typed);
    }
    return changed ? config.withTypedRoutes(routes) : config;
  }

  /** The route with the types its intent names; the same object when the intent adds nothing. */
  public static Route typed(Route route, TrainingSet training) {
    Optional<IntentDefinition> intent = training.intentFor(route.path());
    List<AttributeSpec> specs = new ArrayList<>();
    boolean changed = false;
    for (AttributeSpec spec : route.attributeSpecs()) {
      Optional<IntentParameter> parameter = intent.isPresent() ? intent.get().parameter(spec.name())
          : Optional.empty();
      if (parameter.isEmpty() || !undeclared(spec)) {
        specs.add(spec);
        continue;
      }
      AttributeType type = AttributeType.STRING;
      String entity = parameter.get().entityType();
      if (!parameter.get().dataType().startsWith("@sys.")) {
        for (EntityDefinition definition : training.entities()) {
          if (definition.name().equals(entity)) {
            type = AttributeType.entity(definition);
            break;
          }
        }
      }
      specs.add(new AttributeSpec(spec.name(), type, parameter.get().required(), spec.description(),
          parameter.get().prompts()));
      changed = true;
    }
    return changed ? route.withAttributeSpecs(specs) : route;
  }

  /**
   * Whether the spec says no more than {@code AttributeSpec.optional(name, STRING)}, compared field by field:
   * a record's generated {@code equals} spins up method handles on its first call, at start-up.
   */
  private static boolean undeclared(AttributeSpec spec) {
    return spec.type().equals(AttributeType.STRING) && !spec.required() && spec.description().isEmpty()
        && spec.prompts().isEmpty();
  }
}
