package ai.chatops.dialog;

import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every plugin configuration the router serves, for dialog steps that resolve routes (the command grammar,
 * help, NLU). Immutable and thread-safe.
 */
public final class Catalog {
  private final Map<String, PluginConfig> plugins;
  private final Map<String, Route> routes;

  private Catalog(List<PluginConfig> configs) {
    Map<String, PluginConfig> byName = new LinkedHashMap<>();
    Map<String, Route> byPath = new LinkedHashMap<>();
    for (PluginConfig config : configs) {
      byName.put(config.name(), config);
      for (Route route : config.routes()) {
        byPath.put(route.path(), route);
      }
    }
    this.plugins = java.util.Collections.unmodifiableMap(byName);
    this.routes = java.util.Collections.unmodifiableMap(byPath);
  }

  /** A catalog of the given configurations, in order. */
  public static Catalog of(List<PluginConfig> configs) {
    return new Catalog(configs);
  }

  /** The configurations, in registration order. */
  public List<PluginConfig> plugins() {
    return List.copyOf(plugins.values());
  }

  /** The configuration of the named plugin. */
  public Optional<PluginConfig> plugin(String name) {
    return Optional.ofNullable(plugins.get(name));
  }

  /** The route with the given path, such as {@code /v1/jenkins/build}. */
  public Optional<Route> route(String path) {
    return Optional.ofNullable(routes.get(path));
  }

  /** Every route of every plugin, in registration order. */
  public List<Route> routes() {
    return List.copyOf(routes.values());
  }
}
