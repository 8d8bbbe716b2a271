package ai.chatops.plugin;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.internal.ClasspathFolders;
import ai.chatops.plugin.internal.Names;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files a plugin ships in its jar, under one classpath folder named after the plugin:
 *
 * <pre>
 * chatops/plugins/&lt;name&gt;/
 *   config.yaml      version, credentials, routes and attributes ({@link PluginConfig})
 *   intents/         DialogFlow ES agent-export intents, one JSON file per intent (and its _usersays_ file)
 *   entities/        DialogFlow ES agent-export entities, one JSON file per entity (and its _entries_ file)
 *   data/            training sentences, .txt files with one sentence per line
 * </pre>
 *
 * <p>In a Maven project the folder is {@code src/main/resources/chatops/plugins/<name>/}. Resources are found
 * through a {@link ClassLoader}, so they work from a directory on disk (tests, IDEs) and from a jar alike.
 *
 * <p>Instances are thread-safe; every call reads the class loader afresh, except that the files of a jar,
 * once listed, are remembered: a jar does not change while it is on the classpath.
 */
public final class PluginResources {
  /** The classpath folder that holds every plugin's folder. */
  public static final String ROOT = "chatops/plugins/";
  /** The largest file {@link #read(String)} accepts, in bytes. */
  public static final int MAX_FILE_BYTES = 1024 * 1024;

  private static final Set<String> FOLDERS = Set.of("intents", "entities", "data");

  private final String name;
  private final String base;
  private final ClassLoader loader;

  /**
   * The files under this plugin's folder in each jar listed so far, by jar: one walk of a jar serves the
   * listing of all three folders (a cold start otherwise walked a shaded jar's thousands of entries three
   * times). A jar does not change while it is on the classpath.
   */
  private final Map<String, SortedSet<String>> jarFiles = new ConcurrentHashMap<>();

  private PluginResources(String name, ClassLoader loader) {
    this.name = name;
    this.base = ROOT + name + "/";
    this.loader = loader;
  }

  /**
   * Returns the resources of plugin {@code pluginName} as seen by {@code loader}.
   *
   * @throws ConfigurationException when the plugin name is not {@code [a-z][a-z0-9-]*}
   */
  public static PluginResources of(String pluginName, ClassLoader loader) {
    Names.requirePluginName(pluginName);
    Objects.requireNonNull(loader, "loader");
    return new PluginResources(pluginName, loader);
  }

  /** The plugin name. */
  public String name() {
    return name;
  }

  /** The classpath folder of this plugin, for example {@code chatops/plugins/jenkins/}. */
  public String folder() {
    return base;
  }

  /**
   * Reads and parses {@code config.yaml}; errors name its resource path.
   *
   * @throws ConfigurationException when it is missing, too large or invalid
   */
  public PluginConfig config() {
    return config(List.of());
  }

  /**
   * Reads and parses {@code config.yaml} of a plugin that declares {@code routesInCode}: the file may then
   * leave out {@code Routes}, {@code Attributes} and {@code Confirm}; when it lists them they must agree.
   *
   * @throws ConfigurationException when it is missing, too large, invalid, or differs from the code
   */
  public PluginConfig config(List<Route> routesInCode) {
    String path = base + "config.yaml";
    Optional<String> text = read("config.yaml");
    if (text.isEmpty()) {
      throw new ConfigurationException("plugin '" + name + "' has no config: expected the classpath resource "
          + path + " (src/main/resources/" + path + " in the plugin's project)");
    }
    return PluginConfig.parse(name, path, text.get(), routesInCode);
  }

  /**
   * Reads the entity {@code name} from {@code entities/<name>.json} and its {@code _entries_en.json}: for an
   * attribute type declared in code whose values live in the plugin's files ({@code AttributeType.entity(
   * resources.entity("branch"))}).
   *
   * @throws ConfigurationException when there is no such entity, or a file of {@code entities/} is malformed
   */
  public EntityDefinition entity(String name) {
    Map<String, EntityDefinition> entities = ai.chatops.plugin.internal.TrainingReader.entities(this);
    EntityDefinition entity = entities.get(name);
    if (entity == null) {
      throw new ConfigurationException("plugin '" + this.name + "' has no entity '" + name + "' in " + base
          + "entities/; it has " + (entities.isEmpty() ? "none" : String.join(", ", entities.keySet())));
    }
    return entity;
  }

  /**
   * Reads a file of this plugin as UTF-8, such as {@code data/build.txt}.
   *
   * @param relativePath a path inside the plugin folder, with {@code /} separators
   * @return the text, or empty when there is no such resource
   * @throws ConfigurationException when the path is absolute, contains {@code ..} or a backslash, or the file
   *     is larger than {@link #MAX_FILE_BYTES} or not valid UTF-8
   */
  public Optional<String> read(String relativePath) {
    String resource = base + checkRelative(relativePath);
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new ConfigurationException(
            resource + " is larger than " + MAX_FILE_BYTES + " bytes; split it or trim it");
      }
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      throw new ConfigurationException(resource + " is not valid UTF-8; save it as UTF-8", e);
    } catch (IOException e) {
      throw new ConfigurationException("could not read " + resource + ": " + e, e);
    }
  }

  /**
   * Lists the names of the files directly inside {@code intents}, {@code entities} or {@code data}, sorted;
   * sub-folders are not entered.
   *
   * @return the names, or an empty list when the folder is absent
   * @throws ConfigurationException when {@code folder} is not one of the three, or the folder cannot be listed
   */
  public List<String> list(String folder) {
    Objects.requireNonNull(folder, "folder");
    String trimmed = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    if (!FOLDERS.contains(trimmed)) {
      throw new ConfigurationException(
          "cannot list '" + folder + "' of plugin '" + name + "': expected one of data, entities, intents");
    }
    String prefix = base + trimmed + "/";
    SortedSet<String> names = new TreeSet<>();
    // Listing a jar walks every entry of it (thousands in a shaded application jar): each jar once.
    Set<String> listedJars = new HashSet<>();
    try {
      for (URL url : Collections.list(loader.getResources(base + trimmed))) {
        if (!"jar".equals(url.getProtocol())) {
          ClasspathFolders.addFileNames(url, prefix, names);
        } else if (listedJars.add(jarOf(url))) {
          addFromJar(url, trimmed, names);
        }
      }
    } catch (IOException e) {
      throw new ConfigurationException("could not look up the classpath folder " + prefix + ": " + e, e);
    }
    // A jar written without directory entries has no resource for the folder itself: find the jar
    // through the config instead.
    URL config = loader.getResource(base + "config.yaml");
    if (config != null && "jar".equals(config.getProtocol()) && listedJars.add(jarOf(config))) {
      addFromJar(config, trimmed, names);
    }
    return Collections.unmodifiableList(new ArrayList<>(names));
  }

  /** Adds the files directly inside {@code folder} of the jar {@code url} points into. */
  private void addFromJar(URL url, String folder, SortedSet<String> names) {
    String jar = jarOf(url);
    SortedSet<String> files = jarFiles.get(jar);
    if (files == null) {
      files = ClasspathFolders.jarFiles(url, base);
      jarFiles.put(jar, files);
    }
    String prefix = folder + "/";
    for (String file : files.tailSet(prefix)) {
      if (!file.startsWith(prefix)) {
        break;
      }
      String rest = file.substring(prefix.length());
      if (rest.indexOf('/') < 0) {
        names.add(rest);
      }
    }
  }

  /** The jar part of a {@code jar:} URL, up to its {@code !/}. */
  private static String jarOf(URL url) {
    String s = url.toString();
    int bang = s.indexOf("!/");
    return bang < 0 ? s : s.substring(0, bang);
  }

  private String checkRelative(String relativePath) {
    Objects.requireNonNull(relativePath, "relativePath");
    boolean traverses = false;
    for (String segment : relativePath.split("/", -1)) {
      traverses |= segment.isEmpty() || segment.equals("..") || segment.equals(".");
    }
    if (relativePath.isEmpty()
        || relativePath.startsWith("/")
        || relativePath.indexOf('\\') >= 0
        || relativePath.indexOf(':') >= 0
        || traverses) {
      throw new ConfigurationException(
          "'"
              + relativePath
              + "' is not a path inside plugin '"
              + name
              + "': use a relative path with '/' separators and no '.', '..' or empty segments,"
              + " e.g. data/build.txt");
    }
    return relativePath;
  }

  @Override
  public String toString() {
    return "PluginResources{" + base + "}";
  }
}
