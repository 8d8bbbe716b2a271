package ai.chatops.plugin.internal;

import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.RouteTool;
import ai.chatops.plugin.TrainingSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place where a route becomes a tool schema, for language models and MCP alike: every declared
 * attribute is a string property; a closed entity (no automated expansion) gives an {@code enum}; the
 * intent's required parameters are {@code required}; {@code additionalProperties} is false. Typed attributes
 * will refine the property types here.
 */
public final class ToolSchemas {
  private ToolSchemas() {}

  public static List<RouteTool> derive(Catalog catalog, List<TrainingSet> trainingSets) {
    List<RouteTool> tools = new ArrayList<>();
    for (Route route : catalog.routes()) {
      Optional<TrainingSet> training = trainingSets.stream().filter(t -> t.plugin().equals(route.plugin()))
          .findFirst();
      Optional<IntentDefinition> intent = training.flatMap(t -> t.intentFor(route.path()));
      Map<String, Object> properties = new LinkedHashMap<>();
      Map<String, List<String>> closed = new LinkedHashMap<>();
      List<String> required = new ArrayList<>();
      for (String attribute : route.attributes()) {
        Map<String, Object> property = new LinkedHashMap<>();
        property.put("type", "string");
        Optional<IntentParameter> parameter = intent.flatMap(i -> i.parameter(attribute));
        Optional<EntityDefinition> entity = parameter.flatMap(p -> training.get().entities().stream()
            .filter(e -> e.name().equals(p.entityType())).findFirst());
        if (entity.isPresent() && !entity.get().automatedExpansion()) {
          List<String> values = entity.get().entries().stream().map(EntityDefinition.Entry::value)
              .collect(Collectors.toList());
          property.put("enum", values);
          closed.put(attribute, values);
        }
        if (parameter.filter(p -> p.dataType().equals(IntentParameter.NUMBER)).isPresent()) {
          property.put("description", attribute + ", a number");
        } else {
          property.put("description", attribute);
        }
        properties.put(attribute, property);
        if (parameter.map(IntentParameter::required).orElse(false)) {
          required.add(attribute);
        }
      }
      Map<String, Object> schema = new LinkedHashMap<>();
      schema.put("type", "object");
      schema.put("properties", properties);
      schema.put("required", required);
      schema.put("additionalProperties", false);
      String description = route.description().orElse(route.plugin() + " " + route.action())
          + (route.confirm() ? " (asks a human to confirm before it runs)" : "");
      tools.add(new RouteTool(name(route), route, description, schema, closed, required));
    }
    return tools;
  }

  /** {@code <plugin>_<action>}. */
  public static String name(Route route) {
    return route.plugin() + "_" + route.action();
  }

  public static Optional<String> problem(RouteTool tool, Map<String, String> arguments) {
    for (Map.Entry<String, String> argument : arguments.entrySet()) {
      if (!tool.route().attributes().contains(argument.getKey())) {
        return Optional.of(tool.name() + " has no attribute " + clip(argument.getKey()) + "; it takes "
            + (tool.route().attributes().isEmpty() ? "none" : String.join(", ", tool.route().attributes())));
      }
      List<String> allowed = tool.closedValues().get(argument.getKey());
      if (allowed != null && !allowed.contains(argument.getValue())) {
        return Optional.of(argument.getKey() + " of " + tool.name() + " must be one of "
            + String.join(", ", allowed) + " but was '" + clip(argument.getValue()) + "'");
      }
    }
    return Optional.empty();
  }

  private static String clip(String s) {
    String clean = s.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
  }
}
