package ai.chatops.plugin;

import ai.chatops.plugin.internal.ToolSchemas;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A declared route as a tool that a language model or an agent may propose: its name
 * ({@code <plugin>_<action>}, such as {@code jenkins_build}), the route's description, and the JSON schema of
 * its attributes (each a string; a closed entity's values as {@code enum}; the intent's required parameters as
 * {@code required}; no other property). The model module offers these to the model and the MCP module lists
 * them; both check a proposal with {@link #problem} before it goes anywhere. Immutable.
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
   * @param trainingSets the plugins' training material: their entities and intents give the enums and the
   *     required attributes; a route without one gets free-text attributes, none required
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
   * declare, or a value outside a closed entity. Missing required attributes are not a problem here: slot
   * filling asks for them.
   *
   * @return the problem, worded for the user, or empty when the arguments may be used
   */
  public Optional<String> problem(Map<String, String> arguments) {
    return ToolSchemas.problem(this, arguments);
  }
}
