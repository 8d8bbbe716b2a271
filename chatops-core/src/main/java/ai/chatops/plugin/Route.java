package ai.chatops.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One action a plugin declares under {@code Routes} in its {@code config.yaml}, such as
 * {@code /v1/jenkins/build}: the integration router calls the plugin with this action and the attributes
 * resolved for it.
 *
 * @param path the full route, {@code /v1/<plugin>/<action>}
 * @param plugin the plugin name, for example {@code jenkins}
 * @param action the action, for example {@code build}
 * @param description the help text given beside the route, if any
 * @param attributes the names of the attributes declared for this route, in declared order
 * @param confirm whether the user is asked to confirm before the route runs (listed under {@code Confirm})
 * @param attributeSpecs the declaration of each attribute, in the order of {@code attributes}: its type,
 *     whether it is required, its description and prompts
 */
public record Route(
    String path,
    String plugin,
    String action,
    Optional<String> description,
    List<String> attributes,
    boolean confirm,
    List<AttributeSpec> attributeSpecs) {

  /** A route that runs without asking for confirmation, whose attributes are optional strings. */
  public Route(
      String path, String plugin, String action, Optional<String> description, List<String> attributes) {
    this(path, plugin, action, description, attributes, false);
  }

  /** A route whose attributes are optional strings, as {@code config.yaml} alone declares them. */
  public Route(
      String path, String plugin, String action, Optional<String> description, List<String> attributes,
      boolean confirm) {
    this(path, plugin, action, description, attributes, confirm, untyped(attributes));
  }

  /**
   * Checks that no component is null, that {@code path} is {@code /v1/<plugin>/<action>} and that
   * {@code attributeSpecs} declares exactly {@code attributes}, in order.
   */
  public Route {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(plugin, "plugin");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(description, "description");
    attributes = List.copyOf(attributes);
    attributeSpecs = List.copyOf(attributeSpecs);
    List<String> specNames = names(attributeSpecs);
    if (!specNames.equals(attributes)) {
      throw new IllegalArgumentException(
          path + ": attributeSpecs " + specNames + " do not match attributes " + attributes);
    }
    if (!path.equals(pathOf(plugin, action))) {
      throw new IllegalArgumentException(
          "path '" + path + "' does not match plugin '" + plugin + "' and action '" + action + "'");
    }
  }

  /** A route declared with typed attributes; {@link #attributes()} are their names. */
  public static Route of(
      String plugin, String action, Optional<String> description, List<AttributeSpec> attributeSpecs,
      boolean confirm) {
    return new Route(pathOf(plugin, action), plugin, action, description, names(attributeSpecs), confirm,
        attributeSpecs);
  }

  // Loops, not streams, in what every plugin's start runs: each lambda and collector is a class to generate.
  private static List<String> names(List<AttributeSpec> specs) {
    List<String> names = new ArrayList<>(specs.size());
    for (AttributeSpec spec : specs) {
      names.add(spec.name());
    }
    return names;
  }

  /** The declaration of an attribute of this route. */
  public Optional<AttributeSpec> attributeSpec(String name) {
    for (AttributeSpec spec : attributeSpecs) {
      if (spec.name().equals(name)) {
        return Optional.of(spec);
      }
    }
    return Optional.empty();
  }

  /** This route with other declarations for the same attributes (types and requirements from elsewhere). */
  public Route withAttributeSpecs(List<AttributeSpec> specs) {
    return new Route(path, plugin, action, description, attributes, confirm, specs);
  }

  private static List<AttributeSpec> untyped(List<String> attributes) {
    return attributes.stream().map(a -> AttributeSpec.optional(a, AttributeType.STRING))
        .collect(Collectors.toList());
  }

  /** Returns the route path of an action, {@code /v1/<plugin>/<action>}. */
  public static String pathOf(String plugin, String action) {
    return "/v1/" + plugin + "/" + action;
  }
}
