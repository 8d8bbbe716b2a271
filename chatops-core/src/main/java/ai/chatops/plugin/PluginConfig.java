package ai.chatops.plugin;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.internal.Names;
import ai.chatops.plugin.internal.PlainConfig;
import ai.chatops.plugin.internal.PluginConfigReader;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A plugin's {@code config.yaml}, parsed and validated: its version, who made it, the credentials it needs,
 * the routes (actions) it serves and the attributes (entities) each route takes.
 *
 * <pre>{@code
 * Version: 1.2.9
 * Website: https://chatops.ai
 * Author: Alec Cunningham
 * Credentials:
 *   JENKINS_URL: https://ci.example.com
 *   JENKINS_TOKEN:            # empty: the host application supplies it
 * Routes:
 *   - /v1/jenkins/start
 *   - /v1/jenkins/build: "Starts a build of a job"
 * Attributes:
 *   ID: [start, build]
 *   BRANCH: [/v1/jenkins/build]
 * Access:                      # optional: who may run which route (see AccessRule)
 *   start:
 *     allow: {groups: [release-managers]}
 * }</pre>
 *
 * <p>Top-level keys match case-insensitively ({@code routes:} works too) and may be given once. Routes are
 * {@code /v1/<plugin>/<action>} with the plugin's own name; attributes name the routes they apply to by
 * action or by full route. Anchors, aliases, custom tags and documents over 256 KiB are refused: a config may
 * come from outside through {@code /v1/yaml}.
 *
 * <p>Every problem is a {@link ConfigurationException} naming the source, line, field and fix, for example
 * {@code jenkins config.yaml line 14: Attributes.BRANCH[1]: 'deploy' is not a declared route; declared
 * actions: build, jobs, start, stop}. Credential values never appear in messages or in {@link #toString()}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PluginConfig {
  private final String name;
  private final String version;
  private final Optional<String> website;
  private final Optional<String> author;
  private final Credentials credentials;
  private final List<Route> routes;
  private final List<String> attributes;
  private final List<AccessRule> accessRules;

  private PluginConfig(String name, PluginConfigReader.Parsed parsed) {
    this.name = name;
    this.version = parsed.version();
    this.website = parsed.website();
    this.author = parsed.author();
    this.credentials = parsed.credentials();
    this.routes = parsed.routes();
    this.attributes = parsed.attributes();
    this.accessRules = parsed.access();
  }

  /**
   * Parses the config of plugin {@code pluginName} from {@code yaml}; {@code sourceName} (a file name or
   * resource path) starts every error message. The reader is not closed.
   *
   * @throws ConfigurationException when the plugin name or the document is invalid
   */
  public static PluginConfig parse(String pluginName, String sourceName, Reader yaml) {
    Names.requirePluginName(pluginName);
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(yaml, "yaml");
    return new PluginConfig(pluginName, PluginConfigReader.read(pluginName, sourceName, yaml));
  }

  /**
   * Parses the config of a plugin that declares {@code routesInCode} (see {@link PluginRoutes}): the document
   * may leave out {@code Routes}, {@code Attributes} and {@code Confirm}; when it gives them, they must say the
   * same as the code (attributes and confirmation per route, descriptions where both have one). The routes of
   * the result are those in code, with their typed attributes.
   *
   * @throws ConfigurationException when the document is invalid or differs from the code, naming the difference
   */
  public static PluginConfig parse(String pluginName, String sourceName, Reader yaml, List<Route> routesInCode) {
    checkInCode(pluginName, sourceName, routesInCode);
    Objects.requireNonNull(yaml, "yaml");
    return new PluginConfig(pluginName, PluginConfigReader.read(pluginName, sourceName, yaml, routesInCode));
  }

  /**
   * As {@link #parse(String, String, Reader, List)}, from text; the simplest documents (see
   * {@link PlainConfig}) are read without SnakeYAML.
   */
  static PluginConfig parse(String pluginName, String sourceName, String yaml, List<Route> routesInCode) {
    checkInCode(pluginName, sourceName, routesInCode);
    Optional<PluginConfigReader.Parsed> plain = PlainConfig.read(yaml, routesInCode);
    if (plain.isPresent()) {
      return new PluginConfig(pluginName, plain.get());
    }
    return new PluginConfig(
        pluginName, PluginConfigReader.read(pluginName, sourceName, new StringReader(yaml), routesInCode));
  }

  private static void checkInCode(String pluginName, String sourceName, List<Route> routesInCode) {
    Names.requirePluginName(pluginName);
    Objects.requireNonNull(sourceName, "sourceName");
    for (Route r : routesInCode) {
      if (!r.plugin().equals(pluginName)) {
        throw new ConfigurationException(sourceName + ": route " + r.path() + " in code is not of plugin " + pluginName);
      }
    }
  }

  /**
   * This configuration with the same routes declared with other attribute types: the router gives a route of
   * {@code config.yaml} the types its intents' parameters name ({@code @env} is that entity).
   *
   * @throws IllegalArgumentException when {@code typed} does not have exactly the same paths and attributes
   */
  public PluginConfig withTypedRoutes(List<Route> typed) {
    if (typed.size() != routes.size()) {
      throw new IllegalArgumentException("expected the " + routes.size() + " routes of " + name);
    }
    for (int i = 0; i < typed.size(); i++) {
      Route a = routes.get(i);
      Route b = typed.get(i);
      if (!a.path().equals(b.path()) || !a.attributes().equals(b.attributes()) || a.confirm() != b.confirm()) {
        throw new IllegalArgumentException(b.path() + " is not the same route as " + a.path());
      }
    }
    return new PluginConfig(name, new PluginConfigReader.Parsed(version, website, author, credentials,
        List.copyOf(typed), attributes, accessRules));
  }

  /**
   * Parses the config of plugin {@code pluginName} from a string; errors name the source {@code <string>}.
   *
   * @throws ConfigurationException when the plugin name or the document is invalid
   */
  public static PluginConfig parse(String pluginName, String yaml) {
    Objects.requireNonNull(yaml, "yaml");
    return parse(pluginName, "<string>", new StringReader(yaml));
  }

  /**
   * Reads the config the plugin ships at {@code chatops/plugins/<pluginName>/config.yaml} on the classpath
   * of {@code loader}; see {@link PluginResources}.
   *
   * @throws ConfigurationException when the resource is missing or invalid
   */
  public static PluginConfig fromClasspath(String pluginName, ClassLoader loader) {
    return PluginResources.of(pluginName, loader).config();
  }

  /** The plugin name, for example {@code jenkins}. */
  public String name() {
    return name;
  }

  /** The plugin's version, as written (a number such as {@code 1.10} keeps its text). */
  public String version() {
    return version;
  }

  /** The plugin's website, if given. */
  public Optional<String> website() {
    return website;
  }

  /** The plugin's author, if given. */
  public Optional<String> author() {
    return author;
  }

  /** The credentials declared under {@code Credentials}, with the values given there. */
  public Credentials credentials() {
    return credentials;
  }

  /** The routes, in declared order; never empty. */
  public List<Route> routes() {
    return routes;
  }

  /** Returns the route with this exact path, such as {@code /v1/jenkins/build}. */
  public Optional<Route> route(String path) {
    for (Route route : routes) {
      if (route.path().equals(path)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  /** Returns the route of this action, such as {@code build}. */
  public Optional<Route> routeForAction(String action) {
    for (Route route : routes) {
      if (route.action().equals(action)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  /** The attribute names declared under {@code Attributes}, in declared order. */
  public List<String> attributes() {
    return attributes;
  }

  /**
   * The rules declared under {@code Access} (an extension of the proposal: who may run which route), in
   * declared order; at most one per route. See {@link AccessRule} and {@code docs/access.md}.
   */
  public List<AccessRule> accessRules() {
    return accessRules;
  }

  /** Returns the access rule of the route with this exact path, if the config declares one. */
  public Optional<AccessRule> accessRule(String path) {
    for (AccessRule rule : accessRules) {
      if (rule.route().equals(path)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PluginConfig)) {
      return false;
    }
    PluginConfig other = (PluginConfig) o;
    return name.equals(other.name)
        && version.equals(other.version)
        && website.equals(other.website)
        && author.equals(other.author)
        && credentials.equals(other.credentials)
        && routes.equals(other.routes)
        && attributes.equals(other.attributes)
        && accessRules.equals(other.accessRules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, website, author, credentials, routes, attributes, accessRules);
  }

  /** Shows the name, version, route paths and credential names; never a credential value. */
  @Override
  public String toString() {
    return "PluginConfig{name="
        + name
        + ", version="
        + version
        + ", routes="
        + routes.stream().map(Route::path).collect(Collectors.toList())
        + ", credentials="
        + credentials.keys()
        + "}";
  }
}
