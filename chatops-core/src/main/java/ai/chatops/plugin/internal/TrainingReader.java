package ai.chatops.plugin.internal;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.TrainingPhrase;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginResources;
import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.PluginRoutes;
import ai.chatops.plugin.Route;
import ai.chatops.internal.JsonTrees;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a plugin's intents/, entities/ and data/ into a {@link TrainingSet}; see its documentation. */
public final class TrainingReader {
  static final int MAX_INTENTS = 1000;
  static final int MAX_ENTITIES = 500;
  static final int MAX_PHRASES = 5000;
  static final int MAX_ENTRIES = 10_000;
  static final int MAX_TEXT = 1000;

  /** Streaming only: training files are read at start-up, where an object mapper would cost its classes. */
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final Pattern USERSAYS = Pattern.compile("(.+)_usersays_([A-Za-z-]+)\\.json");
  private static final Pattern ENTRIES = Pattern.compile("(.+)_entries_([A-Za-z-]+)\\.json");
  private static final Pattern MARK = Pattern.compile("\\[([^\\[\\]]+)\\]\\(([A-Za-z][A-Za-z0-9_-]*)\\)");
  private static final Pattern ATTRIBUTE = Pattern.compile("[A-Z][A-Z0-9_]*");

  private final PluginResources resources;
  private final PluginConfig config;
  private final PluginRoutes code;

  private TrainingReader(PluginResources resources, PluginRoutes code) {
    this(resources, code, true);
  }

  private TrainingReader(PluginResources resources, PluginRoutes code, boolean withConfig) {
    this.resources = resources;
    this.code = code;
    this.config = !withConfig ? null : code == null ? resources.config() : resources.config(code.routes());
  }

  /** Reads and checks everything; see {@link TrainingSet#load}. */
  public static TrainingSet read(PluginResources resources) {
    return new TrainingReader(resources, null).read();
  }

  /**
   * Reads and checks the training material of a plugin that declares its routes in code: intent parameters
   * are derived from the routes' attributes, the attributes' entities join those of {@code entities/}, and
   * the routes' examples become phrases.
   */
  public static TrainingSet read(PluginResources resources, PluginRoutes code) {
    return new TrainingReader(resources, code).read();
  }

  /** The entities of a plugin's {@code entities/} folder, by name; checks them as {@link #read} does. */
  public static Map<String, EntityDefinition> entities(PluginResources resources) {
    TrainingReader reader = new TrainingReader(resources, null, false);
    return reader.readEntities();
  }

  /** The intent parameters of a route's declared attributes. */
  public static List<IntentParameter> parameters(Route route) {
    List<IntentParameter> parameters = new ArrayList<>();
    for (AttributeSpec spec : route.attributeSpecs()) {
      parameters.add(new IntentParameter(spec.name(), spec.dataType(), spec.required(), spec.prompts()));
    }
    return parameters;
  }

  /** Maps a DialogFlow parameter name or data/ mark to an attribute: upper case, {@code -} to {@code _}. */
  public static String attributeName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private TrainingSet read() {
    Map<String, EntityDefinition> entities = readEntities();
    if (code != null) {
      for (EntityDefinition entity : code.entities()) {
        EntityDefinition inFiles = entities.putIfAbsent(entity.name(), entity);
        if (inFiles != null && !inFiles.equals(entity)) {
          throw problem("entities/" + entity.name() + ".json", "",
              "the same values as the entity @" + entity.name() + " declared in code, or no file (the code's is used),"
                  + " but they differ");
        }
      }
    }
    List<String> intentFiles = resources.list("intents");
    Map<String, IntentDefinition> intents = new TreeMap<>();
    Map<String, String> usersays = new TreeMap<>();
    for (String file : intentFiles) {
      Matcher m = USERSAYS.matcher(file);
      if (m.matches()) {
        if (m.group(2).equalsIgnoreCase("en")) {
          usersays.put(m.group(1), file);
        }
      } else if (file.endsWith(".json")) {
        String base = file.substring(0, file.length() - ".json".length());
        intents.put(base, readIntent("intents/" + file, entities));
      }
    }
    check(intents.size() <= MAX_INTENTS, "intents/", "at most " + MAX_INTENTS + " intents");
    for (Map.Entry<String, String> e : usersays.entrySet()) {
      IntentDefinition intent = intents.get(e.getKey());
      String path = "intents/" + e.getValue();
      if (intent == null) {
        throw problem(path, "", "a matching intents/" + e.getKey() + ".json defining the intent, but there is none");
      }
      intents.put(e.getKey(), withPhrases(intent, readUsersays(path, intent), path));
    }
    if (code != null) {
      for (Route route : code.routes()) {
        List<String> examples = code.examples(route.path());
        if (examples.isEmpty()) {
          continue;
        }
        String base = route.action();
        for (Map.Entry<String, IntentDefinition> e : intents.entrySet()) {
          if (e.getValue().route().equals(route.path())) {
            base = e.getKey();
            break;
          }
        }
        IntentDefinition intent = intents.get(base);
        if (intent == null) {
          intent = new IntentDefinition(route.action(), route.path(), parameters(route), List.of());
        }
        String source = "examples of " + route.path() + " in code";
        List<TrainingPhrase> phrases = readLines(source, String.join("\n", examples), intent);
        phrases.addAll(intent.phrases());
        intents.put(base, new IntentDefinition(intent.name(), intent.route(), intent.parameters(), phrases));
      }
    }
    for (String file : resources.list("data")) {
      if (!file.endsWith(".txt")) {
        continue;
      }
      String base = file.substring(0, file.length() - ".txt".length());
      String path = "data/" + file;
      IntentDefinition intent = intents.get(base);
      if (intent == null) {
        intent = implicitIntent(base, path);
      }
      intents.put(base, withPhrases(intent, readData(path, intent), path));
    }
    Map<String, IntentDefinition> byName = new TreeMap<>();
    Map<String, String> byRoute = new LinkedHashMap<>();
    for (Map.Entry<String, IntentDefinition> e : intents.entrySet()) {
      IntentDefinition intent = e.getValue();
      if (byName.put(intent.name(), intent) != null) {
        throw problem("intents/" + e.getKey() + ".json", "name",
            "a name no other intent uses, but '" + intent.name() + "' is used twice");
      }
      String previous = byRoute.put(intent.route(), intent.name());
      if (previous != null) {
        throw problem("intents/" + e.getKey() + ".json", "responses[0].action",
            "one intent per route, but intents '" + previous + "' and '" + intent.name() + "' both serve "
                + intent.route());
      }
    }
    return new TrainingSet(resources.name(), List.copyOf(byName.values()), List.copyOf(entities.values()));
  }

  private Map<String, EntityDefinition> readEntities() {
    Map<String, String> names = new TreeMap<>();
    Map<String, Boolean> expanding = new TreeMap<>();
    Map<String, String> entryFiles = new TreeMap<>();
    for (String file : resources.list("entities")) {
      Matcher m = ENTRIES.matcher(file);
      if (m.matches()) {
        if (m.group(2).equalsIgnoreCase("en")) {
          entryFiles.put(m.group(1), file);
        }
      } else if (file.endsWith(".json")) {
        String path = "entities/" + file;
        JsonNode root = parse(path);
        check(root.isObject(), path, "", "a JSON object", root);
        String key = file.substring(0, file.length() - ".json".length());
        names.put(key, requireName(path, root));
        JsonNode expansion = root.path("automatedExpansion");
        check(expansion.isMissingNode() || expansion.isBoolean(), path, "automatedExpansion", "true or false",
            expansion);
        expanding.put(key, expansion.asBoolean(false));
      }
    }
    check(names.size() <= MAX_ENTITIES, "entities/", "at most " + MAX_ENTITIES + " entities");
    Map<String, EntityDefinition> entities = new TreeMap<>();
    for (Map.Entry<String, String> e : entryFiles.entrySet()) {
      if (!names.containsKey(e.getKey())) {
        throw problem("entities/" + e.getValue(), "",
            "a matching entities/" + e.getKey() + ".json defining the entity, but there is none");
      }
    }
    for (Map.Entry<String, String> e : names.entrySet()) {
      String file = entryFiles.get(e.getKey());
      List<EntityDefinition.Entry> entries = file == null ? List.of() : readEntries("entities/" + file);
      entities.put(e.getValue(), new EntityDefinition(e.getValue(), entries, expanding.get(e.getKey())));
    }
    return entities;
  }

  private List<EntityDefinition.Entry> readEntries(String path) {
    JsonNode root = parse(path);
    check(root.isArray(), path, "", "a JSON array of {\"value\": ..., \"synonyms\": [...]}", root);
    check(root.size() <= MAX_ENTRIES, path, "at most " + MAX_ENTRIES + " entries");
    List<EntityDefinition.Entry> entries = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      String at = "[" + i + "]";
      check(entry.isObject(), path, at, "an object with value and synonyms", entry);
      String value = text(path, at + ".value", entry.get("value"));
      List<String> synonyms = new ArrayList<>();
      JsonNode syn = entry.get("synonyms");
      if (syn != null && !syn.isNull()) {
        check(syn.isArray(), path, at + ".synonyms", "an array of strings", syn);
        for (int j = 0; j < syn.size(); j++) {
          synonyms.add(text(path, at + ".synonyms[" + j + "]", syn.get(j)));
        }
      }
      entries.add(new EntityDefinition.Entry(value, synonyms));
    }
    return entries;
  }

  private IntentDefinition readIntent(String path, Map<String, EntityDefinition> entities) {
    JsonNode root = parse(path);
    check(root.isObject(), path, "", "a JSON object", root);
    String name = requireName(path, root);
    JsonNode response = null;
    JsonNode responses = root.get("responses");
    if (responses != null && !responses.isNull()) {
      check(responses.isArray(), path, "responses", "an array of objects", responses);
      if (responses.size() > 0) {
        response = responses.get(0);
        check(response.isObject(), path, "responses[0]", "an object", response);
      }
    }
    String actionField = "responses[0].action";
    JsonNode action = response == null ? null : response.get("action");
    if ((action == null || action.isNull()) && root.has("action")) {
      action = root.get("action");
      actionField = "action";
    }
    if (action == null || action.isNull()) {
      throw problem(path, "responses[0].action",
          "the route this intent serves, such as " + exampleRoute() + ", but it is missing");
    }
    Route route = route(path, actionField, text(path, actionField, action));
    List<IntentParameter> parameters = new ArrayList<>();
    JsonNode params = response == null ? null : response.get("parameters");
    if (code != null) {
      if (params != null && params.isArray() && params.size() > 0) {
        throw problem(path, "responses[0].parameters",
            "no parameters: " + route.path() + " is declared in code, which gives its attributes ("
                + String.join(", ", route.attributes()) + "); remove the parameters, the phrasings stay");
      }
      parameters.addAll(parameters(route));
    } else if (params != null && !params.isNull()) {
      check(params.isArray(), path, "responses[0].parameters", "an array of objects", params);
      Set<String> seen = new LinkedHashSet<>();
      for (int i = 0; i < params.size(); i++) {
        String at = "responses[0].parameters[" + i + "]";
        IntentParameter p = readParameter(path, at, params.get(i), route, entities);
        if (!seen.add(p.name())) {
          throw problem(path, at + ".name", "a parameter name used once, but " + p.name() + " is given twice");
        }
        parameters.add(p);
      }
    }
    return new IntentDefinition(name, route.path(), parameters, List.of());
  }

  private IntentParameter readParameter(
      String path, String at, JsonNode node, Route route, Map<String, EntityDefinition> entities) {
    check(node.isObject(), path, at, "an object with name, dataType, required and prompts", node);
    String rawName = text(path, at + ".name", node.get("name"));
    String attribute = attributeName(rawName);
    if (!ATTRIBUTE.matcher(attribute).matches()) {
      throw problem(path, at + ".name", "a name of letters, digits, '_' and '-' starting with a letter, but was '"
          + rawName + "'");
    }
    if (!route.attributes().contains(attribute)) {
      throw problem(path, at + ".name", "an attribute of route " + route.path() + " in config.yaml, but '"
          + rawName + "' (attribute " + attribute + ") is not; its attributes: "
          + (route.attributes().isEmpty() ? "none" : String.join(", ", route.attributes())));
    }
    String dataType = text(path, at + ".dataType", node.get("dataType"));
    if (!dataType.startsWith("@") || dataType.length() < 2) {
      throw problem(path, at + ".dataType", "a type such as @sys.any, @sys.number or @<entity>, but was '"
          + dataType + "'");
    }
    if (!dataType.startsWith("@sys.") && !entities.containsKey(dataType.substring(1))) {
      throw problem(path, at + ".dataType", "@sys.any, @sys.number or an entity of plugin '" + resources.name()
          + "' (" + (entities.isEmpty() ? "it defines none" : "@" + String.join(", @", entities.keySet()))
          + "), but was '" + dataType + "'");
    }
    boolean required = false;
    JsonNode req = node.get("required");
    if (req != null && !req.isNull()) {
      check(req.isBoolean(), path, at + ".required", "true or false", req);
      required = req.booleanValue();
    }
    List<String> prompts = new ArrayList<>();
    JsonNode ps = node.get("prompts");
    if (ps != null && !ps.isNull()) {
      check(ps.isArray(), path, at + ".prompts", "an array of strings or {\"lang\": \"en\", \"value\": ...}", ps);
      for (int i = 0; i < ps.size(); i++) {
        JsonNode p = ps.get(i);
        String pat = at + ".prompts[" + i + "]";
        if (p.isObject()) {
          JsonNode lang = p.get("lang");
          if (lang != null && !lang.isNull() && !text(path, pat + ".lang", lang).equalsIgnoreCase("en")) {
            continue;
          }
          prompts.add(text(path, pat + ".value", p.get("value")));
        } else {
          prompts.add(text(path, pat, p));
        }
      }
    }
    return new IntentParameter(attribute, dataType, required, prompts);
  }

  private List<TrainingPhrase> readUsersays(String path, IntentDefinition intent) {
    JsonNode root = parse(path);
    check(root.isArray(), path, "", "a JSON array of {\"data\": [...]}", root);
    check(root.size() <= MAX_PHRASES, path, "at most " + MAX_PHRASES + " phrases");
    List<TrainingPhrase> phrases = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      String at = "[" + i + "]";
      JsonNode phrase = root.get(i);
      check(phrase.isObject(), path, at, "an object with a data array", phrase);
      JsonNode data = phrase.get("data");
      if (data == null || data.isNull()) {
        throw problem(path, at + ".data", "an array of parts, but it is missing");
      }
      check(data.isArray() && data.size() > 0, path, at + ".data", "a non-empty array of parts", data);
      List<TrainingPhrase.Part> parts = new ArrayList<>();
      int length = 0;
      for (int j = 0; j < data.size(); j++) {
        String pat = at + ".data[" + j + "]";
        JsonNode part = data.get(j);
        check(part.isObject(), path, pat, "an object with text and optional alias, meta, userDefined", part);
        String text = text(path, pat + ".text", part.get("text"));
        length += text.length();
        JsonNode alias = part.get("alias");
        if (alias == null || alias.isNull()) {
          parts.add(TrainingPhrase.Part.text(text));
        } else {
          String attribute = attributeName(text(path, pat + ".alias", alias));
          if (intent.parameter(attribute).isEmpty()) {
            throw problem(path, pat + ".alias", "a parameter of intent '" + intent.name() + "' ("
                + parameterNames(intent) + "), but was '" + alias.asText() + "'");
          }
          parts.add(TrainingPhrase.Part.value(text, attribute));
        }
      }
      check(length <= MAX_TEXT, path, at + ".data", "a phrase of at most " + MAX_TEXT + " characters");
      phrases.add(new TrainingPhrase(parts));
    }
    return phrases;
  }

  private IntentDefinition implicitIntent(String name, String path) {
    Optional<Route> route = config.routeForAction(name);
    if (route.isEmpty()) {
      throw problem(path, "", "the name of an intent in intents/ or of a route of plugin '" + resources.name()
          + "' (" + actions() + "), but '" + name + "' is neither");
    }
    if (code != null) {
      return new IntentDefinition(name, route.get().path(), parameters(route.get()), List.of());
    }
    Map<String, IntentParameter> params = new LinkedHashMap<>();
    String text = resources.read(path).orElse("");
    Matcher m = MARK.matcher(text);
    while (m.find()) {
      String attribute = attributeName(m.group(2));
      if (route.get().attributes().contains(attribute)) {
        params.putIfAbsent(attribute, new IntentParameter(attribute, IntentParameter.ANY, false, List.of()));
      }
    }
    return new IntentDefinition(name, route.get().path(), List.copyOf(params.values()), List.of());
  }

  private List<TrainingPhrase> readData(String path, IntentDefinition intent) {
    return readLines(path, resources.read(path).orElse(""), intent);
  }

  private List<TrainingPhrase> readLines(String path, String text, IntentDefinition intent) {
    String[] lines = text.split("\r?\n", -1);
    check(lines.length <= MAX_PHRASES, path, "at most " + MAX_PHRASES + " lines");
    List<TrainingPhrase> phrases = new ArrayList<>();
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String at = "line " + (n + 1);
      check(line.length() <= MAX_TEXT, path, at, "a sentence of at most " + MAX_TEXT + " characters");
      List<TrainingPhrase.Part> parts = new ArrayList<>();
      Matcher m = MARK.matcher(line);
      int last = 0;
      while (m.find()) {
        if (m.start() > last) {
          parts.add(TrainingPhrase.Part.text(plain(path, at, line.substring(last, m.start()))));
        }
        String attribute = attributeName(m.group(2));
        if (intent.parameter(attribute).isEmpty()) {
          throw problem(path, at, "[value](ATTRIBUTE) naming a parameter of intent '" + intent.name() + "' ("
              + parameterNames(intent) + "), but was '" + m.group(2) + "'");
        }
        parts.add(TrainingPhrase.Part.value(m.group(1), attribute));
        last = m.end();
      }
      if (last < line.length()) {
        parts.add(TrainingPhrase.Part.text(plain(path, at, line.substring(last))));
      }
      phrases.add(new TrainingPhrase(parts));
    }
    return phrases;
  }

  private String plain(String path, String at, String text) {
    if (text.contains("](") || text.indexOf('[') >= 0 && text.indexOf(']') > text.indexOf('[')) {
      throw problem(path, at, "values marked as [value](ATTRIBUTE), but found a malformed mark in '"
          + text.strip() + "'");
    }
    return text;
  }

  private IntentDefinition withPhrases(IntentDefinition intent, List<TrainingPhrase> more, String path) {
    List<TrainingPhrase> all = new ArrayList<>(intent.phrases());
    all.addAll(more);
    check(all.size() <= MAX_PHRASES, path, "at most " + MAX_PHRASES + " phrases per intent");
    return new IntentDefinition(intent.name(), intent.route(), intent.parameters(), all);
  }

  private Route route(String path, String field, String action) {
    String routePath = action;
    if (!action.startsWith("/") && action.indexOf('.') > 0) {
      int dot = action.indexOf('.');
      routePath = Route.pathOf(action.substring(0, dot), action.substring(dot + 1));
    }
    Optional<Route> route = config.route(routePath);
    if (route.isEmpty()) {
      throw problem(path, field, "a route of plugin '" + resources.name() + "' declared in its config.yaml ("
          + String.join(", ", config.routes().stream().map(Route::path).toArray(String[]::new))
          + "), but was '" + action + "'");
    }
    return route.get();
  }

  private String actions() {
    return String.join(", ", config.routes().stream().map(Route::action).toArray(String[]::new));
  }

  private String exampleRoute() {
    return config.routes().get(0).path();
  }

  private static String parameterNames(IntentDefinition intent) {
    return intent.parameters().isEmpty()
        ? "it has none"
        : String.join(", ", intent.parameters().stream().map(IntentParameter::name).toArray(String[]::new));
  }

  private String requireName(String path, JsonNode root) {
    String name = text(path, "name", root.get("name"));
    if (name.isBlank()) {
      throw problem(path, "name", "a non-empty string, but it is blank");
    }
    return name;
  }

  private JsonNode parse(String path) {
    Optional<String> read = resources.read(path);
    if (read.isEmpty()) {
      throw problem(path, "", "a readable file, but it vanished");
    }
    String text = read.get();
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() == null) {
        throw problem(path, "", "a JSON document, but the file is empty");
      }
      JsonNode node = JsonTrees.read(p);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        // As the mapper's FAIL_ON_TRAILING_TOKENS says it.
        throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after value (bound as `"
            + JsonNode.class.getName() + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`",
            p.currentTokenLocation());
      }
      return node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null
          ? ""
          : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
      throw new ConfigurationException(resources.folder() + path + ": expected valid JSON but found an error"
          + where + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading text in memory does not fail", e);
    }
  }

  private String text(String path, String field, JsonNode node) {
    if (node == null || node.isNull()) {
      throw problem(path, field, "a string, but it is missing");
    }
    check(node.isTextual(), path, field, "a string", node);
    check(node.textValue().length() <= MAX_TEXT, path, field, "at most " + MAX_TEXT + " characters");
    return node.textValue();
  }

  private void check(boolean ok, String path, String field, String expected, JsonNode actual) {
    if (!ok) {
      throw problem(path, field, expected + ", but was " + describe(actual));
    }
  }

  private void check(boolean ok, String path, String field, String expected) {
    if (!ok) {
      throw problem(path, field, expected + ", but there are more");
    }
  }

  private void check(boolean ok, String path, String expected) {
    check(ok, path, "", expected);
  }

  private ConfigurationException problem(String path, String field, String expected) {
    return new ConfigurationException(
        resources.folder() + path + (field.isEmpty() ? "" : ": " + field) + ": expected " + expected);
  }

  private static String describe(JsonNode node) {
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isNumber()) {
      return "a number";
    }
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
