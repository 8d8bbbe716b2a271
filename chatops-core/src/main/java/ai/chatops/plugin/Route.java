package ai.chatops.plugin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 */
public record Route(
    String path,
    String plugin,
    String action,
    Optional<String> description,
    List<String> attributes,
    boolean confirm) {

  /** A route that runs without asking for confirmation. */
  public Route(
      String path, String plugin, String action, Optional<String> description, List<String> attributes) {
    this(path, plugin, action, description, attributes, false);
  }

  /** Checks that no component is null and that {@code path} is {@code /v1/<plugin>/<action>}. */
  public Route {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(plugin, "plugin");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(description, "description");
    attributes = List.copyOf(attributes);
    if (!path.equals(pathOf(plugin, action))) {
      throw new IllegalArgumentException(
          "path '" + path + "' does not match plugin '" + plugin + "' and action '" + action + "'");
    }
  }

  /** Returns the route path of an action, {@code /v1/<plugin>/<action>}. */
  public static String pathOf(String plugin, String action) {
    return "/v1/" + plugin + "/" + action;
  }
}
