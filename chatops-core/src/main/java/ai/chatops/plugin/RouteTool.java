package ai.chatops.plugin;

import ai.chatops.plugin.internal.ToolSchemas;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A declared route as a tool that a language model or an agent may propose: its name
 * ({@code <plugin>_<action>}, such as {@code jenkins_build}), the route's description, and the JSON schema of
 * its attributes, read from {@link Route#attributeSpecs()}: STRING, DURATION and an open entity are strings,
 * INTEGER an {@code integer}, BOOLEAN a {@code boolean}, a closed entity a string with its canonical values as
 * {@code enum}; each property carries the attribute's description; the required attributes are
 * {@code required}; no other property is allowed. The model module offers these to the model and the MCP
 * module lists them, from this one derivation; both check a proposal with {@link #problem} before it goes
 * anywhere. Immutable.
 *
 * @param name the tool name, {@code <plugin>_<action>}
 * @param route the route it calls
 * @param description what the tool does, from the route's description in {@code config.yaml}
 * @param inputSchema the JSON schema of the arguments, as maps and lists ready to serialise
 * @param closedValues the allowed values of the attributes whose entity is closed, by attribute
 * @param required the attributes the route cannot do without
 */
public record RouteTool(String name, Route route, String description, Map<String, Object> inputSchema,
    Map<String, List<String>> closedValues, List<String> required) {
  public RouteTool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(description, "description");
    inputSchema = Map.copyOf(inputSchema);
    closedValues = Map.copyOf(closedValues);
    required = List.copyOf(required);
  }

  /**
   * The tools of every route in {@code catalog}, in the catalog's order.
   *
   * @param trainingSets the plugins' training material, for a catalog whose {@code config.yaml} routes were
   *     not typed by their intents yet (the router's catalog is): an intent parameter of a closed entity gives
   *     its {@code enum}, a required one makes the attribute required. Attributes declared in code keep their
   *     declaration; may be empty
   */
  public static List<RouteTool> of(Catalog catalog, List<TrainingSet> trainingSets) {
    return ToolSchemas.derive(catalog, trainingSets);
  }

  /** The tool of this name among {@code tools}. */
  public static Optional<RouteTool> named(List<RouteTool> tools, String name) {
    return tools.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * What is wrong with a proposed call's arguments, so that it is not run: an attribute the route does not
   * declare, a value outside a closed entity (its synonyms are accepted), or a value its type does not take
   * (not a whole number, not yes or no, not a duration). Missing required attributes, and blank values, are
   * not a problem here: slot filling asks for them.
   *
   * @return the problem, worded for the user, or empty when the arguments may be used
   */
  public Optional<String> problem(Map<String, String> arguments) {
    return ToolSchemas.problem(this, arguments);
  }
}
