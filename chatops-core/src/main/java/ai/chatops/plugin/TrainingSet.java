package ai.chatops.plugin;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.internal.TrainingReader;
import ai.chatops.plugin.PluginResources;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin's training material: its intents (with their parameters and phrases) and its dictionary
 * entities, as read from the plugin's {@code intents/}, {@code entities/} and {@code data/} folders.
 *
 * <h2>intents/ and entities/: DialogFlow ES agent export</h2>
 *
 * <p>The same files can be uploaded to DialogFlow. {@code intents/NAME.json} gives {@code name} and, in
 * {@code responses[0]}, the {@code action} (the route path, such as {@code /v1/jenkins/build}, or the short
 * form {@code jenkins.build}) and {@code parameters} (each with {@code name}, {@code dataType} such as
 * {@code @sys.any} or {@code @branch}, {@code required} and {@code prompts}, each prompt a string or
 * {@code {"lang": "en", "value": "..."}}). A parameter's {@code name} maps to an attribute by upper-casing it
 * and turning {@code -} into {@code _}; see {@link IntentParameter}. {@code intents/NAME_usersays_en.json} is
 * an array of phrases, each {@code {"data": [parts]}}, each part {@code {"text": ..., "alias": ...,
 * "meta": ..., "userDefined": ...}}; a part with an {@code alias} is the value of that parameter. Other
 * languages' {@code _usersays_} files are ignored. {@code entities/NAME.json} gives the entity {@code name};
 * {@code entities/NAME_entries_en.json} is an array of {@code {"value": ..., "synonyms": [...]}}.
 *
 * <h2>data/: plain sentences</h2>
 *
 * <p>{@code data/NAME.txt} holds more phrases of intent {@code NAME}, one sentence per line. Blank lines and
 * lines starting with {@code #} are skipped. A parameter's value is marked inline as
 * {@code [value](ATTRIBUTE)}, the attribute written as in {@code config.yaml} or as the DialogFlow parameter
 * name:
 *
 * <pre>
 * # data/build.txt
 * build [api-server](ID) on [main](BRANCH)
 * kick off a build of [payments.v2](ID)
 * </pre>
 *
 * <p>When there is no {@code intents/NAME.json}, the file alone defines intent {@code NAME} for the route
 * {@code /v1/<plugin>/NAME}, and every marked attribute becomes an optional {@code @sys.any} parameter.
 * Files in {@code data/} that do not end in {@code .txt} are ignored.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param plugin the plugin name
 * @param intents the intents, sorted by name
 * @param entities the entities, sorted by name
 */
public record TrainingSet(String plugin, List<IntentDefinition> intents, List<EntityDefinition> entities) {
  /** Checks that no component is null. */
  public TrainingSet {
    Objects.requireNonNull(plugin, "plugin");
    intents = List.copyOf(intents);
    entities = List.copyOf(entities);
  }

  /**
   * Reads a plugin's training material, checking it against the plugin's {@code config.yaml}.
   *
   * @throws ConfigurationException naming the file, the field and what was expected, when a file is malformed,
   *     an intent's action is not a declared route of the plugin, a parameter is not an attribute of that
   *     route, or a data type names an entity the plugin does not define
   */
  public static TrainingSet load(PluginResources resources) {
    Objects.requireNonNull(resources, "resources");
    return TrainingReader.read(resources);
  }

  /**
   * Reads the training material of a plugin that declares its routes in code: the intents carry phrasings
   * only (their parameters are derived from the routes' attributes), entities of the attributes' types are
   * added to those of {@code entities/}, and the routes' examples become phrases.
   *
   * @throws ConfigurationException as {@link #load(PluginResources)}, and when an intent file lists parameters
   *     of a route declared in code or a file defines an entity of the code differently
   */
  public static TrainingSet load(PluginResources resources, PluginRoutes routes) {
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(routes, "routes");
    return TrainingReader.read(resources, routes);
  }

  /** The intent serving {@code route}, such as {@code /v1/jenkins/build}. */
  public Optional<IntentDefinition> intentFor(String route) {
    for (IntentDefinition intent : intents) {
      if (intent.route().equals(route)) {
        return Optional.of(intent);
      }
    }
    return Optional.empty();
  }
}
