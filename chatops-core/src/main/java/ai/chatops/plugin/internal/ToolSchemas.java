package ai.chatops.plugin.internal;

import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.RouteTool;
import ai.chatops.plugin.TrainingSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where a route becomes a tool schema, for language models and MCP alike, read from the route's
 * {@link AttributeSpec}s (typed by the plugin's intents when the route came from {@code config.yaml}): STRING,
 * DURATION and an open entity are a JSON string, INTEGER an integer, BOOLEAN a boolean, a closed entity a
 * string with its canonical values as {@code enum}; each property has the attribute's description (or its
 * name) and, where it helps, what the value looks like; the required attributes are {@code required};
 * {@code additionalProperties} is false.
 */
public final class ToolSchemas {
  private ToolSchemas() {}

  public static List<RouteTool> derive(Catalog catalog, List<TrainingSet> trainingSets) {
    List<RouteTool> tools = new ArrayList<>();
    for (Route declared : catalog.routes()) {
      Optional<TrainingSet> training = trainingSets.stream().filter(t -> t.plugin().equals(declared.plugin()))
          .findFirst();
      Route route = training.map(t -> Typing.typed(declared, t)).orElse(declared);
      Map<String, Object> properties = new LinkedHashMap<>();
      Map<String, List<String>> closed = new LinkedHashMap<>();
      List<String> required = new ArrayList<>();
      for (AttributeSpec spec : route.attributeSpecs()) {
        properties.put(spec.name(), property(spec));
        if (spec.type().closed()) {
          closed.put(spec.name(), spec.type().allowedValues());
        }
        if (spec.required()) {
          required.add(spec.name());
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

  /** The JSON schema of one attribute. */
  static Map<String, Object> property(AttributeSpec spec) {
    Map<String, Object> property = new LinkedHashMap<>();
    String description = spec.description().orElse(spec.name());
    AttributeType type = spec.type();
    switch (type.kind()) {
      case INTEGER:
        property.put("type", "integer");
        break;
      case BOOLEAN:
        property.put("type", "boolean");
        break;
      case DURATION:
        property.put("type", "string");
        description += " (a duration, such as 90s, 10m, 1h30m or PT10M)";
        break;
      case ENTITY:
        property.put("type", "string");
        if (type.closed()) {
          property.put("enum", type.allowedValues());
        } else {
          description += " (such as " + String.join(", ", type.allowedValues()) + ")";
        }
        break;
      default:
        property.put("type", "string");
    }
    property.put("description", description);
    return property;
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
      if (argument.getValue().isBlank()) {
        continue; // as if absent: a missing required attribute is asked for, or refused, by the caller
      }
      List<String> allowed = tool.closedValues().get(argument.getKey());
      AttributeType type = tool.route().attributeSpec(argument.getKey()).map(AttributeSpec::type)
          .orElse(AttributeType.STRING);
      try {
        type.canonical(argument.getKey(), argument.getValue());
      } catch (IllegalArgumentException e) {
        return Optional.of(allowed != null
            ? argument.getKey() + " of " + tool.name() + " must be one of " + String.join(", ", allowed)
                + " but was '" + clip(argument.getValue()) + "'"
            : tool.name() + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static String clip(String s) {
    String clean = s.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
  }
}
