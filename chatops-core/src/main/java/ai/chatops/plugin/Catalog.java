package ai.chatops.plugin;

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
  private final Map<String, RouteGuide> guides;

  private Catalog(List<PluginConfig> configs, List<RouteGuide> guides) {
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
    Map<String, RouteGuide> byRoute = new LinkedHashMap<>();
    for (RouteGuide guide : guides) {
      if (!byPath.containsKey(guide.route())) {
        throw new IllegalArgumentException("a guide names " + guide.route() + ", which no plugin declares");
      }
      byRoute.put(guide.route(), guide);
    }
    this.guides = java.util.Collections.unmodifiableMap(byRoute);
  }

  /** A catalog of the given configurations, in order, with no guides. */
  public static Catalog of(List<PluginConfig> configs) {
    return new Catalog(configs, List.of());
  }

  /**
   * A catalog of the given configurations with guides for some of their routes.
   *
   * @throws IllegalArgumentException when a guide names a route no configuration declares
   */
  public static Catalog of(List<PluginConfig> configs, List<RouteGuide> guides) {
    return new Catalog(configs, guides);
  }

  /**
   * The catalog a router builds for these plugins: their configurations, routes typed as the dialog checks
   * them (a {@code config.yaml} attribute takes its intent's entity), and guides from their training
   * material. For testing dialog steps ({@code DialogParserTester}) and tools that list what a bot can do.
   *
   * @throws ai.chatops.ConfigurationException when a plugin's configuration or training material is invalid
   */
  public static Catalog forPlugins(List<? extends Plugin> plugins) {
    List<PluginConfig> configs = new java.util.ArrayList<>();
    List<TrainingSet> sets = new java.util.ArrayList<>();
    for (Plugin plugin : plugins) {
      Optional<TrainingSet> training = plugin.trainingSet();
      training.ifPresent(sets::add);
      configs.add(ai.chatops.plugin.internal.Typing.typed(plugin.config(), training));
    }
    return new Catalog(configs, ai.chatops.plugin.internal.RouteGuides.from(sets));
  }

  /** The guide of a route: its slots and examples; empty when its plugin ships no training material. */
  public Optional<RouteGuide> guide(String path) {
    return Optional.ofNullable(guides.get(path));
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
