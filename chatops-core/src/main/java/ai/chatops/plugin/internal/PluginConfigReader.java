package ai.chatops.plugin.internal;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.AccessRule;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Route;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads and validates the node tree of a plugin {@code config.yaml}. One instance reads one document. */
public final class PluginConfigReader {
  /** The longest attribute name, as {@link ai.chatops.plugin.AttributeSpec} allows. */
  private static final int MAX_ATTRIBUTE_NAME = 64;
  /** The top-level keys, in the order they are documented; matched case-insensitively. */
  public static final List<String> KNOWN_KEYS =
      List.of("Version", "Website", "Author", "Credentials", "Routes", "Attributes", "Confirm", "Access");

  /** The most ids one list of an access rule may hold; larger populations belong in a host-defined group. */
  public static final int MAX_ACCESS_IDS = 500;

  private static final Pattern ACCESS_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private static final Pattern ROUTE = Pattern.compile("/v1/([^/]*)/([^/]*)");
  private static final Set<Tag> TEXT_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.TIMESTAMP);

  /** What a config.yaml says, validated. */
  public record Parsed(
      String version,
      Optional<String> website,
      Optional<String> author,
      Credentials credentials,
      List<Route> routes,
      List<String> attributes,
      List<AccessRule> access) {}

  private final String plugin;
  private final String source;
  private final List<Route> inCode;

  private PluginConfigReader(String plugin, String source, List<Route> inCode) {
    this.plugin = plugin;
    this.source = source;
    this.inCode = List.copyOf(inCode);
  }

  /**
   * Parses and validates one config.yaml of plugin {@code pluginName}.
   *
   * @throws ConfigurationException naming the source, line, field and the fix for any problem
   */
  public static Parsed read(String pluginName, String sourceName, Reader yaml) {
    return read(pluginName, sourceName, yaml, List.of());
  }

  /**
   * Parses one config.yaml of a plugin that declares its routes in code: {@code Routes}, {@code Attributes}
   * and {@code Confirm} may then be left out (the routes in code are used), and when given they must say the
   * same as the code.
   *
   * @throws ConfigurationException naming the source and the first difference between the file and the code
   */
  public static Parsed read(String pluginName, String sourceName, Reader yaml, List<Route> inCode) {
    return new PluginConfigReader(pluginName, sourceName, inCode).read(SafeYaml.compose(sourceName, yaml));
  }

  private Parsed read(Node root) {
    if (root == null) {
      throw ConfigProblems.at(
          source, 1, "", "the document is empty; expected a mapping with at least Version and Routes");
    }
    if (!(root instanceof MappingNode)) {
      throw ConfigProblems.at(
          source,
          root,
          "",
          "the document must be a mapping of " + String.join(", ", KNOWN_KEYS) + "; found " + kind(root));
    }
    Map<String, NodeTuple> fields = topLevel((MappingNode) root);

    NodeTuple version = fields.get("Version");
    if (version == null) {
      throw ConfigProblems.at(source, root, "Version", "is required; add a line such as 'Version: 1.0.0'");
    }
    NodeTuple routes = fields.get("Routes");
    if (routes == null && !inCode.isEmpty()) {
      for (String key : List.of("Attributes", "Confirm")) {
        if (fields.get(key) != null) {
          throw ConfigProblems.at(source, fields.get(key).getKeyNode(), key,
              "must not be given without Routes: this plugin declares its routes in code; declare " + key
                  + " there, or list Routes here too");
        }
      }
      List<RouteDraft> drafts = new ArrayList<>();
      for (Route r : inCode) {
        drafts.add(new RouteDraft(r.path(), r.action(), r.description(), "Routes", root));
      }
      return new Parsed(
          version(version.getValueNode()),
          optionalText(fields.get("Website"), "Website"),
          optionalText(fields.get("Author"), "Author"),
          credentials(fields.get("Credentials")),
          inCode,
          inCode.stream().flatMap(r -> r.attributes().stream()).distinct().collect(Collectors.toList()),
          access(fields.get("Access"), drafts));
    }
    if (routes == null) {
      throw ConfigProblems.at(
          source,
          root,
          "Routes",
          "is required; list the plugin's actions, e.g. 'Routes: [" + Route.pathOf(plugin, "build") + "]'");
    }
    List<RouteDraft> drafts = routes(routes.getValueNode());
    Map<String, List<String>> attributes = attributes(fields.get("Attributes"), drafts);
    List<String> confirm = confirm(fields.get("Confirm"), drafts);

    List<Route> built = new ArrayList<>();
    for (RouteDraft draft : drafts) {
      List<String> names = new ArrayList<>();
      attributes.forEach(
          (name, paths) -> {
            if (paths.contains(draft.path)) {
              names.add(name);
            }
          });
      built.add(new Route(
          draft.path, plugin, draft.action, draft.description, names, confirm.contains(draft.path)));
    }
    if (!inCode.isEmpty()) {
      compareWithCode(built, routes.getKeyNode());
      built = new ArrayList<>(inCode);
    }
    return new Parsed(
        version(version.getValueNode()),
        optionalText(fields.get("Website"), "Website"),
        optionalText(fields.get("Author"), "Author"),
        credentials(fields.get("Credentials")),
        List.copyOf(built),
        List.copyOf(attributes.keySet()),
        access(fields.get("Access"), drafts));
  }

  /** Names the first difference between the routes of the file and those declared in code. */
  private void compareWithCode(List<Route> inFile, Node at) {
    List<String> filePaths = inFile.stream().map(Route::path).collect(Collectors.toList());
    List<String> codePaths = inCode.stream().map(Route::path).collect(Collectors.toList());
    for (String path : codePaths) {
      if (!filePaths.contains(path)) {
        throw differs(at, path + " is declared in code but not in config.yaml");
      }
    }
    for (String path : filePaths) {
      if (!codePaths.contains(path)) {
        throw differs(at, path + " is in config.yaml but not declared in code");
      }
    }
    for (Route file : inFile) {
      Route code = inCode.stream().filter(r -> r.path().equals(file.path())).findFirst().orElseThrow();
      if (!new java.util.TreeSet<>(file.attributes()).equals(new java.util.TreeSet<>(code.attributes()))) {
        throw differs(at, file.path() + " takes " + file.attributes() + " in config.yaml but " + code.attributes()
            + " in code");
      }
      if (file.confirm() != code.confirm()) {
        throw differs(at, file.path() + (file.confirm() ? " is" : " is not") + " under Confirm in config.yaml but"
            + (code.confirm() ? " is" : " is not") + " confirmed in code");
      }
      if (file.description().isPresent() && code.description().isPresent()
          && !file.description().equals(code.description())) {
        throw differs(at, file.path() + " is described as '" + file.description().get() + "' in config.yaml but '"
            + code.description().get() + "' in code");
      }
    }
  }

  private ConfigurationException differs(Node at, String difference) {
    return ConfigProblems.at(source, at, "Routes", "differs from the routes declared in code: " + difference
        + "; remove Routes, Attributes and Confirm from config.yaml or make them say the same");
  }

  /**
   * Reads {@code Access}: an extension of the proposal mapping routes (by action or full route) to who may
   * run them. See {@link AccessRule} for the shape and the evaluation order.
   */
  private List<AccessRule> access(NodeTuple tuple, List<RouteDraft> routes) {
    if (tuple == null || isNull(tuple.getValueNode())) {
      return List.of();
    }
    Node node = tuple.getValueNode();
    if (!(node instanceof MappingNode)) {
      throw ConfigProblems.at(source, node, "Access",
          "expected a mapping of routes to rules, e.g. 'deploy: {allow: {groups: [release-managers]}}', found "
              + kind(node));
    }
    List<AccessRule> rules = new ArrayList<>();
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple entry : ((MappingNode) node).getValue()) {
      String given = key(entry.getKeyNode(), "Access").trim();
      String field = "Access." + given;
      RouteDraft route = declared(routes, given, entry.getKeyNode(), field);
      Node first = seen.putIfAbsent(route.path, entry.getKeyNode());
      if (first != null) {
        throw ConfigProblems.at(source, entry.getKeyNode(), field, "names " + route.path
            + " again (first on line " + ConfigProblems.line(first) + "); give each route one rule");
      }
      Node value = entry.getValueNode();
      if (!(value instanceof MappingNode) || ((MappingNode) value).getValue().isEmpty()) {
        throw ConfigProblems.at(source, value, field,
            "expected a mapping with allow and/or deny, e.g. 'allow: {groups: [release-managers]}', found "
                + (value instanceof MappingNode ? "an empty mapping" : kind(value)));
      }
      Map<String, List<String>> lists = new HashMap<>();
      Map<String, Node> parts = new HashMap<>();
      for (NodeTuple part : ((MappingNode) value).getValue()) {
        String side = key(part.getKeyNode(), field);
        String sideField = field + "." + side;
        if (!side.equals("allow") && !side.equals("deny")) {
          throw ConfigProblems.at(source, part.getKeyNode(), field,
              "'" + side + "' is not a known key; known keys: allow, deny");
        }
        repeated(parts, side, part.getKeyNode(), sideField);
        Node sideNode = part.getValueNode();
        if (!(sideNode instanceof MappingNode) || ((MappingNode) sideNode).getValue().isEmpty()) {
          throw ConfigProblems.at(source, sideNode, sideField,
              "expected a mapping of users, groups and/or channels to lists of ids, e.g. 'users: [U0123ABC]',"
                  + " found " + (sideNode instanceof MappingNode ? "an empty mapping" : kind(sideNode)));
        }
        Map<String, Node> kinds = new HashMap<>();
        for (NodeTuple list : ((MappingNode) sideNode).getValue()) {
          String kind = key(list.getKeyNode(), sideField);
          String listField = sideField + "." + kind;
          if (!kind.equals("users") && !kind.equals("groups") && !kind.equals("channels")) {
            throw ConfigProblems.at(source, list.getKeyNode(), sideField,
                "'" + kind + "' is not a known key; known keys: users, groups, channels");
          }
          repeated(kinds, kind, list.getKeyNode(), listField);
          lists.put(side + "." + kind, ids(list.getValueNode(), listField, kind.equals("groups")));
        }
      }
      rules.add(new AccessRule(route.path, given,
          lists.getOrDefault("allow.users", List.of()), lists.getOrDefault("allow.groups", List.of()),
          lists.getOrDefault("allow.channels", List.of()), lists.getOrDefault("deny.users", List.of()),
          lists.getOrDefault("deny.groups", List.of()), lists.getOrDefault("deny.channels", List.of())));
    }
    return List.copyOf(rules);
  }

  private List<String> ids(Node node, String field, boolean groups) {
    String example = groups ? "[release-managers]" : field.endsWith("channels") ? "[C0123ABC]" : "[U0123ABC]";
    if (!(node instanceof SequenceNode) || ((SequenceNode) node).getValue().isEmpty()) {
      throw ConfigProblems.at(source, node, field, "expected a list of ids, e.g. " + example + ", found "
          + (node instanceof SequenceNode ? "an empty list" : kind(node)));
    }
    List<Node> items = ((SequenceNode) node).getValue();
    if (items.size() > MAX_ACCESS_IDS) {
      throw ConfigProblems.at(source, node, field, "lists " + items.size() + " ids; at most " + MAX_ACCESS_IDS
          + " are allowed (name a group the host defines instead)");
    }
    List<String> ids = new ArrayList<>();
    Map<String, Node> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemField = field + "[" + i + "]";
      if (!isText(item)) {
        throw ConfigProblems.at(source, item, itemField, "expected an id such as " + example.substring(1,
            example.length() - 1) + ", found " + kind(item));
      }
      String id = scalarValue(item).trim();
      if (groups && id.startsWith("@")) {
        id = id.substring(1);
      }
      if (!(groups ? GROUP : ACCESS_ID).matcher(id).matches()) {
        throw ConfigProblems.at(source, item, itemField, "'" + abbreviate(id) + "' is not a valid "
            + (groups ? "group name; use [a-z0-9][a-z0-9._-]*, at most 64 characters"
                : "id; use letters, digits and . _ : -, at most 64 characters"));
      }
      Node first = seen.putIfAbsent(id, item);
      if (first != null) {
        throw ConfigProblems.at(source, item, itemField,
            "'" + id + "' is listed twice (first on line " + ConfigProblems.line(first) + "); keep one");
      }
      ids.add(id);
    }
    return List.copyOf(ids);
  }

  private static String abbreviate(String value) {
    String shown = value.length() <= 40 ? value : value.substring(0, 40) + "...";
    return shown.replaceAll("\\p{Cntrl}", "?");
  }

  /** The declared route named by action or full route, or an error listing the declared actions. */
  private RouteDraft declared(List<RouteDraft> routes, String given, Node node, String field) {
    return routes.stream()
        .filter(r -> r.action.equals(given) || r.path.equals(given))
        .findFirst()
        .orElseThrow(() -> {
          Set<String> actions = new TreeSet<>();
          routes.forEach(r -> actions.add(r.action));
          return ConfigProblems.at(source, node, field,
              "'" + abbreviate(given) + "' is not a declared route; declared actions: " + String.join(", ", actions));
        });
  }

  /** Maps each known key, in its canonical spelling, to its entry; rejects unknown and repeated keys. */
  private Map<String, NodeTuple> topLevel(MappingNode root) {
    Map<String, NodeTuple> fields = new HashMap<>();
    for (NodeTuple tuple : root.getValue()) {
      String given = key(tuple.getKeyNode(), "");
      String known =
          KNOWN_KEYS.stream().filter(k -> k.equalsIgnoreCase(given)).findFirst().orElse(null);
      if (known == null) {
        throw ConfigProblems.at(
            source,
            tuple.getKeyNode(),
            "",
            "'"
                + given
                + "' is not a known key; known keys (in any case): "
                + String.join(", ", KNOWN_KEYS));
      }
      NodeTuple first = fields.putIfAbsent(known, tuple);
      if (first != null) {
        throw ConfigProblems.at(
            source,
            tuple.getKeyNode(),
            known,
            "is given twice (as '"
                + scalarValue(first.getKeyNode())
                + "' on line "
                + ConfigProblems.line(first.getKeyNode())
                + " and as '"
                + given
                + "' here); keep one");
      }
    }
    return fields;
  }

  private String version(Node node) {
    if (isNull(node)) {
      throw ConfigProblems.at(source, node, "Version", "is empty; give a version such as 1.0.0");
    }
    if (!isText(node) || scalarValue(node).isBlank()) {
      throw ConfigProblems.at(
          source, node, "Version", "expected a version such as 1.0.0, found " + kind(node));
    }
    return scalarValue(node).trim();
  }

  private Optional<String> optionalText(NodeTuple tuple, String field) {
    if (tuple == null || isNull(tuple.getValueNode())) {
      return Optional.empty();
    }
    Node node = tuple.getValueNode();
    if (!isText(node)) {
      throw ConfigProblems.at(source, node, field, "expected a string, found " + kind(node));
    }
    String value = scalarValue(node).trim();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private Credentials credentials(NodeTuple tuple) {
    if (tuple == null || isNull(tuple.getValueNode())) {
      return Credentials.empty();
    }
    Node node = tuple.getValueNode();
    if (!(node instanceof MappingNode)) {
      throw ConfigProblems.at(
          source,
          node,
          "Credentials",
          "expected a mapping of UPPER_SNAKE names to values, e.g. 'JENKINS_URL: https://ci.example.com',"
              + " found "
              + kindWithoutValue(node));
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple entry : ((MappingNode) node).getValue()) {
      String name = key(entry.getKeyNode(), "Credentials");
      String field = "Credentials." + name;
      if (!Names.isUpperSnake(name)) {
        throw ConfigProblems.at(
            source,
            entry.getKeyNode(),
            field,
            "credential names are UPPER_SNAKE ([A-Z][A-Z0-9_]*), e.g. "
                + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"));
      }
      repeated(seen, name, entry.getKeyNode(), field);
      Node value = entry.getValueNode();
      // The value is never quoted back: it is a secret even when it is malformed.
      if (isNull(value)) {
        values.put(name, null);
      } else if (isText(value) || (value instanceof ScalarNode && value.getTag().equals(Tag.BOOL))) {
        values.put(name, scalarValue(value));
      } else {
        throw ConfigProblems.at(
            source,
            value,
            field,
            "expected a single value (string, number or boolean), found " + kindWithoutValue(value));
      }
    }
    return Credentials.of(values);
  }

  private List<RouteDraft> routes(Node node) {
    if (isNull(node) || (node instanceof SequenceNode && ((SequenceNode) node).getValue().isEmpty())) {
      throw ConfigProblems.at(
          source,
          node,
          "Routes",
          "is empty; list at least one route, e.g. '- " + Route.pathOf(plugin, "build") + "'");
    }
    if (!(node instanceof SequenceNode)) {
      throw ConfigProblems.at(
          source,
          node,
          "Routes",
          "expected a list of routes such as '- "
              + Route.pathOf(plugin, "build")
              + "', found "
              + kind(node));
    }
    List<RouteDraft> drafts = new ArrayList<>();
    Map<String, RouteDraft> byPath = new HashMap<>();
    List<Node> items = ((SequenceNode) node).getValue();
    for (int i = 0; i < items.size(); i++) {
      String field = "Routes[" + i + "]";
      RouteDraft draft = route(items.get(i), field);
      RouteDraft first = byPath.putIfAbsent(draft.path, draft);
      if (first != null) {
        throw ConfigProblems.at(
            source,
            draft.node,
            field,
            "'"
                + draft.path
                + "' is declared twice (first at "
                + first.field
                + ", line "
                + ConfigProblems.line(first.node)
                + "); keep one");
      }
      drafts.add(draft);
    }
    return drafts;
  }

  private RouteDraft route(Node item, String field) {
    Node pathNode;
    Optional<String> description = Optional.empty();
    if (item instanceof ScalarNode && isText(item)) {
      pathNode = item;
    } else if (item instanceof MappingNode && ((MappingNode) item).getValue().size() == 1) {
      NodeTuple entry = ((MappingNode) item).getValue().get(0);
      pathNode = entry.getKeyNode();
      if (!isText(pathNode)) {
        throw ConfigProblems.at(
            source, pathNode, field, "expected a route such as '" + Route.pathOf(plugin, "build")
                + "', found " + kind(pathNode));
      }
      Node value = entry.getValueNode();
      if (!isNull(value)) {
        if (!isText(value)) {
          throw ConfigProblems.at(
              source, value, field, "the description must be a string, found " + kind(value));
        }
        String text = scalarValue(value).trim();
        description = text.isEmpty() ? Optional.empty() : Optional.of(text);
      }
    } else {
      throw ConfigProblems.at(
          source,
          item,
          field,
          "expected a route such as '"
              + Route.pathOf(plugin, "build")
              + "' or a single 'route: description' entry, found "
              + kind(item));
    }
    String path = scalarValue(pathNode).trim();
    Matcher matcher = ROUTE.matcher(path);
    if (!matcher.matches()) {
      throw ConfigProblems.at(
          source,
          pathNode,
          field,
          "'" + path + "' is not a route; expected " + Route.pathOf(plugin, "<action>"));
    }
    if (!matcher.group(1).equals(plugin)) {
      throw ConfigProblems.at(
          source,
          pathNode,
          field,
          "'"
              + path
              + "' names plugin '"
              + matcher.group(1)
              + "', but this is the config of '"
              + plugin
              + "'; routes here start with "
              + Route.pathOf(plugin, ""));
    }
    String action = matcher.group(2);
    if (!Names.isAction(action)) {
      throw ConfigProblems.at(
          source,
          pathNode,
          field,
          "action '"
              + action
              + "' is not valid; use lower-case letters, digits and '-', starting with a letter"
              + " ([a-z][a-z0-9-]*)");
    }
    return new RouteDraft(path, action, description, field, item);
  }

  /** Returns attribute name → route paths, in declared order. */
  private Map<String, List<String>> attributes(NodeTuple tuple, List<RouteDraft> routes) {
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    if (tuple == null || isNull(tuple.getValueNode())) {
      return attributes;
    }
    Node node = tuple.getValueNode();
    if (!(node instanceof MappingNode)) {
      throw ConfigProblems.at(
          source,
          node,
          "Attributes",
          "expected a mapping of UPPER_SNAKE names to the routes they apply to, e.g. 'BRANCH: [build]',"
              + " found "
              + kind(node));
    }
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple entry : ((MappingNode) node).getValue()) {
      String name = key(entry.getKeyNode(), "Attributes");
      String field = "Attributes." + name;
      if (!Names.isUpperSnake(name)) {
        throw ConfigProblems.at(
            source,
            entry.getKeyNode(),
            field,
            "attribute names are UPPER_SNAKE ([A-Z][A-Z0-9_]*), e.g. "
                + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"));
      }
      if (name.length() > MAX_ATTRIBUTE_NAME) {
        // The same bound as AttributeSpec's: found by PluginConfigFuzzTest, which got its IllegalArgumentException.
        throw ConfigProblems.at(source, entry.getKeyNode(), "Attributes",
            "attribute names have at most " + MAX_ATTRIBUTE_NAME + " characters; this one has " + name.length());
      }
      repeated(seen, name, entry.getKeyNode(), field);
      attributes.put(name, attributeRoutes(entry.getValueNode(), field, routes));
    }
    return attributes;
  }

  /**
   * Returns the paths of the routes listed under {@code Confirm}: an extension of the proposal naming the
   * actions (stop, delete...) that ask the user "are you sure?" before running.
   */
  private List<String> confirm(NodeTuple tuple, List<RouteDraft> routes) {
    if (tuple == null || isNull(tuple.getValueNode())) {
      return List.of();
    }
    return attributeRoutes(tuple.getValueNode(), "Confirm", routes);
  }

  private List<String> attributeRoutes(Node node, String field, List<RouteDraft> routes) {
    if (!(node instanceof SequenceNode) || ((SequenceNode) node).getValue().isEmpty()) {
      throw ConfigProblems.at(
          source,
          node,
          field,
          "expected a list of the routes it applies to, e.g. [build, jobs], found "
              + (node instanceof SequenceNode ? "an empty list" : kind(node)));
    }
    List<Node> items = ((SequenceNode) node).getValue();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemField = field + "[" + i + "]";
      if (!isText(item)) {
        throw ConfigProblems.at(
            source, item, itemField, "expected a route action such as build, found " + kind(item));
      }
      String given = scalarValue(item).trim();
      RouteDraft route =
          routes.stream()
              .filter(r -> r.action.equals(given) || r.path.equals(given))
              .findFirst()
              .orElseThrow(
                  () -> {
                    Set<String> actions = new TreeSet<>();
                    routes.forEach(r -> actions.add(r.action));
                    return ConfigProblems.at(
                        source,
                        item,
                        itemField,
                        "'"
                            + given
                            + "' is not a declared route; declared actions: "
                            + String.join(", ", actions));
                  });
      if (paths.contains(route.path)) {
        throw ConfigProblems.at(
            source,
            item,
            itemField,
            "'" + given + "' names " + route.path + " again; list each route once");
      }
      paths.add(route.path);
    }
    return paths;
  }

  private void repeated(Map<String, Node> seen, String name, Node keyNode, String field) {
    Node first = seen.putIfAbsent(name, keyNode);
    if (first != null) {
      throw ConfigProblems.at(
          source,
          keyNode,
          field,
          "is given twice (first on line " + ConfigProblems.line(first) + "); keep one");
    }
  }

  /** Returns the text of a mapping key, which must be a plain scalar. */
  private String key(Node keyNode, String parent) {
    if (!(keyNode instanceof ScalarNode) || isNull(keyNode)) {
      throw ConfigProblems.at(
          source, keyNode, parent, "keys must be plain names, found " + kindWithoutValue(keyNode));
    }
    return scalarValue(keyNode);
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  private static boolean isText(Node node) {
    return node instanceof ScalarNode && TEXT_TAGS.contains(node.getTag());
  }

  private static String scalarValue(Node node) {
    return ((ScalarNode) node).getValue();
  }

  /** Describes a node for an error message, quoting short non-secret scalars. */
  private static String kind(Node node) {
    if (node instanceof ScalarNode && !isNull(node)) {
      String value = scalarValue(node);
      String shown = value.length() <= 40 ? value : value.substring(0, 40) + "...";
      return kindWithoutValue(node) + " '" + shown + "'";
    }
    return kindWithoutValue(node);
  }

  private static String kindWithoutValue(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    Tag tag = node.getTag();
    if (tag.equals(Tag.NULL)) {
      return "nothing";
    }
    if (tag.equals(Tag.BOOL)) {
      return "a boolean";
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return "a number";
    }
    return "a string";
  }

  private static final class RouteDraft {
    final String path;
    final String action;
    final Optional<String> description;
    final String field;
    final Node node;

    RouteDraft(String path, String action, Optional<String> description, String field, Node node) {
      this.path = path;
      this.action = action;
      this.description = description;
      this.field = field;
      this.node = node;
    }
  }
}
