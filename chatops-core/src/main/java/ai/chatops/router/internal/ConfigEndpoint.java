package ai.chatops.router.internal;

import ai.chatops.toolkit.LogSafe;

import ai.chatops.ChatOpsException;
import ai.chatops.ConfigurationException;
import ai.chatops.StoreUnavailableException;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.AccessRule;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.internal.CredentialYaml;
import ai.chatops.plugin.internal.SafeYaml;
import ai.chatops.store.StoreEntry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/yaml} and {@code GET /v1/yaml/<plugin>}: an administrator replaces a registered plugin's
 * configuration at run time, and reads it back with every credential masked. Also applies stored
 * configurations at start and when another router stored a newer one. See docs/configuration.md.
 * Thread-safe.
 */
public final class ConfigEndpoint {
  public static final String PATH = "/v1/yaml";
  private static final Logger log = LoggerFactory.getLogger(ConfigEndpoint.class);
  /** Created on first use: the mapper loads most of jackson-databind, which start-up does not need. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
  private static final Set<String> YAML_TYPES =
      Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain");

  private final Map<String, PluginSlot> slots;
  private final Map<String, Credentials> baseCredentials;
  private final Map<String, List<Route>> bundledRoutes;
  private final Map<String, List<AccessRule>> bundledAccess;
  private final StoredConfigs stored;
  private final AdminAuth auth;

  /**
   * @param baseCredentials per plugin, its bundled credentials overlaid with those the host supplied
   */
  public ConfigEndpoint(List<PluginSlot> slots, Map<String, Credentials> baseCredentials, StoredConfigs stored,
      AdminAuth auth) {
    Map<String, PluginSlot> byName = new LinkedHashMap<>();
    Map<String, List<Route>> routes = new LinkedHashMap<>();
    Map<String, List<AccessRule>> access = new LinkedHashMap<>();
    for (PluginSlot slot : slots) {
      byName.put(slot.name(), slot);
      routes.put(slot.name(), slot.config().routes());
      access.put(slot.name(), slot.config().accessRules());
    }
    this.slots = Map.copyOf(byName);
    this.bundledRoutes = Map.copyOf(routes);
    this.bundledAccess = Map.copyOf(access);
    this.baseCredentials = Map.copyOf(baseCredentials);
    this.stored = stored;
    this.auth = auth;
  }

  public static boolean matches(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  /** Answers a request whose path {@link #matches}. */
  public WebhookResponse handle(WebhookRequest request) {
    if (!auth.enabled()) {
      return WebhookResponse.text(404, "nothing is mounted at " + shown(request.path()).replace("'", ""));
    }
    String path = request.path().endsWith("/") ? request.path().substring(0, request.path().length() - 1)
        : request.path();
    boolean post = path.equals(PATH);
    String allowed = post ? "POST" : "GET";
    if (!request.method().equals(allowed)) {
      return WebhookResponse.text(405, request.method() + " is not allowed on " + (post ? PATH : PATH + "/<plugin>")
          + "; use " + allowed).withHeader("Allow", allowed);
    }
    try {
      if (!auth.verify(request)) {
        log.warn("{} {}: administrator authentication failed", request.method(), PATH);
        return auth.challenge();
      }
      return post ? post(request) : get(path.substring(PATH.length() + 1));
    } catch (StoreUnavailableException e) {
      log.error("{} {}: the store is unavailable", request.method(), PATH, e);
      return WebhookResponse.text(503, "the bot's store is unavailable; try again");
    }
  }

  private WebhookResponse post(WebhookRequest request) {
    try {
      String yaml = yamlBody(request);
      PluginSlot slot = slotFor(request, yaml);
      PluginConfig config;
      try {
        config = PluginConfig.parse(slot.name(), "config.yaml", new StringReader(yaml), slot.plugin().routes()
            .map(ai.chatops.plugin.PluginRoutes::routes).orElse(List.of()));
      } catch (ConfigurationException e) {
        throw new Refusal(400, e.getMessage());
      }
      String routeProblem = routeDifference(slot.name(), config);
      if (routeProblem != null) {
        throw new Refusal(422, routeProblem);
      }
      return store(slot, config, yaml);
    } catch (Refusal refusal) {
      return refusal.response;
    }
  }

  /** The request's body as UTF-8 YAML of an acceptable size. */
  private static String yamlBody(WebhookRequest request) {
    String type = request.header("Content-Type").orElse("");
    String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    String params = type.contains(";") ? type.split(";", 2)[1].toLowerCase(Locale.ROOT).replace(" ", "") : "";
    if (!YAML_TYPES.contains(media) || (params.contains("charset=") && !params.contains("charset=utf-8"))) {
      throw new Refusal(415, "send the config.yaml as Content-Type application/yaml (or text/yaml,"
          + " text/plain) in UTF-8");
    }
    String yaml;
    try {
      yaml = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(request.body())).toString();
    } catch (CharacterCodingException e) {
      throw new Refusal(400, "the body is not valid UTF-8");
    }
    if (yaml.length() > SafeYaml.MAX_CHARS) {
      throw new Refusal(413, "a config.yaml may have at most " + SafeYaml.MAX_CHARS + " characters");
    }
    return yaml;
  }

  /** The registered plugin the request names (?plugin=) or the document's routes belong to, which agree. */
  private PluginSlot slotFor(WebhookRequest request, String yaml) {
    Optional<String> asked;
    Optional<String> named;
    try {
      asked = pluginParameter(request.query());
      named = CredentialYaml.pluginOfRoutes("config.yaml", yaml);
    } catch (IllegalArgumentException | ConfigurationException e) {
      throw new Refusal(400, e.getMessage());
    }
    if (asked.isPresent() && named.isPresent() && !asked.get().equals(named.get())) {
      throw new Refusal(400, "the request names plugin " + shown(asked.get())
          + " but the document's routes belong to plugin " + shown(named.get()));
    }
    Optional<String> plugin = asked.or(() -> named);
    if (plugin.isEmpty()) {
      throw new Refusal(400, "name the plugin: POST " + PATH + "?plugin=<name>, or routes such as"
          + " /v1/<plugin>/<action> in the document");
    }
    PluginSlot slot = slots.get(plugin.get());
    if (slot == null) {
      throw new Refusal(404, "no plugin named " + shown(plugin.get()) + " is registered with this"
          + " router; registered: " + String.join(", ", new java.util.TreeSet<>(slots.keySet())));
    }
    return slot;
  }

  /** Stores the configuration, reconnects the plugin with it, and answers with a summary. */
  private WebhookResponse store(PluginSlot slot, PluginConfig config, String yaml) {
    StoredConfigs.Saved saved;
    try {
      saved = stored.save(config, yaml);
    } catch (ConfigurationException e) {
      throw new Refusal(422, e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : config.credentials().keys()) {
      config.credentials().get(name).ifPresent(v -> values.put(name, v));
    }
    Optional<RuntimeException> failure =
        slot.reconfigure(saved.config(), effective(slot.name(), config, values), saved.version());
    log.info("plugin {}: configuration {} stored (store version {}, credentials {}); {}", slot.name(),
        config.version(), saved.version(), config.credentials().keys(),
        failure.isEmpty() ? "reconnected" : "reconnect failed: " + safeReason(failure.get()));
    ObjectNode summary = Json.MAPPER.createObjectNode();
    summary.put("plugin", slot.name());
    summary.put("version", config.version());
    config.routes().forEach(r -> summary.withArray("routes").add(r.path()));
    summary.putArray("credentials");
    config.credentials().keys().forEach(n -> summary.withArray("credentials").add(n));
    summary.put("configVersion", saved.version());
    summary.put("connected", failure.isEmpty());
    failure.ifPresent(e -> summary.put("connectError", safeReason(e)));
    return WebhookResponse.json(saved.created() ? 201 : 200, summary.toString());
  }

  /** A request refused with a status and a reason for the administrator. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient WebhookResponse response;

    Refusal(int status, String reason) {
      super(reason, null, false, false);
      this.response = WebhookResponse.text(status, reason);
    }
  }

  private WebhookResponse get(String plugin) {
    PluginSlot slot = slots.get(plugin);
    if (slot == null) {
      return WebhookResponse.text(404, "no plugin named " + shown(plugin) + " is registered with this router");
    }
    Optional<StoreEntry> entry = stored.entry(plugin);
    if (entry.isEmpty()) {
      return WebhookResponse.text(404, "no configuration of " + plugin + " is stored; it runs on its bundled"
          + " config.yaml");
    }
    StoredConfigs.Loaded loaded;
    try {
      loaded = stored.decode(plugin, entry.get());
    } catch (ConfigurationException e) {
      return WebhookResponse.text(500, e.getMessage());
    }
    String masked = CredentialYaml.replaceValues("stored config.yaml of " + plugin, loaded.yaml(),
        name -> loaded.credentials().containsKey(name) ? "\"***\"" : null);
    return WebhookResponse.of(200, Map.of("Content-Type", "application/yaml; charset=utf-8",
            "X-Chatops-Config-Version", Long.toString(loaded.version())),
        masked.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Applies the stored configuration of every plugin whose store version differs from the one in use.
   *
   * Only a router that uses the feature (an admin token or secret, or a key provider) reads the store for
   * it, so that others pay no store read at start or per sweep.
   *
   * @param strict at start: a configuration that cannot be decrypted fails the build instead of being
   *     logged; a store that cannot be read is logged, and the sweep tries again
   * @return how many plugins were reconnected
   */
  public int reloadChanged(boolean strict) {
    if (!auth.enabled() && !stored.canEncrypt()) {
      return 0;
    }
    int reloaded = 0;
    for (PluginSlot slot : slots.values()) {
      Optional<StoreEntry> entry;
      try {
        entry = stored.entry(slot.name());
      } catch (StoreUnavailableException e) {
        if (!strict) {
          throw e;
        }
        log.warn("plugin {}: the store could not be read for a stored configuration; starting on the bundled"
            + " one until the next sweep: {}", slot.name(), e.toString());
        continue;
      }
      if (entry.isEmpty() || entry.get().version() == slot.storedVersion()) {
        continue;
      }
      StoredConfigs.Loaded loaded;
      try {
        loaded = stored.decode(slot.name(), entry.get());
      } catch (ConfigurationException e) {
        if (strict) {
          throw e;
        }
        log.warn("plugin {}: the stored configuration (version {}) cannot be used: {}", slot.name(),
            entry.get().version(), e.getMessage());
        continue;
      }
      String problem = routeDifference(slot.name(), loaded.config());
      if (problem != null) {
        log.warn("plugin {}: the stored configuration (version {}) is ignored: {}", slot.name(),
            loaded.version(), problem);
        slot.markStoredVersion(loaded.version());
        continue;
      }
      Credentials credentials = effective(slot.name(), loaded.config(), loaded.credentials());
      if (loaded.config().equals(slot.config()) && credentials.equals(slot.credentials())) {
        slot.markStoredVersion(loaded.version()); // re-encrypted only: nothing to reconnect
        continue;
      }
      Optional<RuntimeException> failure = slot.reconfigure(loaded.config(), credentials, loaded.version());
      log.info("plugin {}: stored configuration {} (store version {}) applied; {}", slot.name(),
          loaded.config().version(), loaded.version(),
          failure.isEmpty() ? "connected" : "connect failed: " + safeReason(failure.get()));
      reloaded++;
    }
    return reloaded;
  }

  /** Bundled values, then the host's, then those stored: a stored value wins, a stored blank keeps the rest. */
  private Credentials effective(String plugin, PluginConfig config, Map<String, String> storedValues) {
    Map<String, String> declared = new LinkedHashMap<>();
    config.credentials().keys().forEach(n -> declared.put(n, ""));
    return baseCredentials.get(plugin).withOverrides(declared).withOverrides(storedValues);
  }

  private String routeDifference(String plugin, PluginConfig config) {
    List<Route> routes = config.routes();
    List<Route> fixed = bundledRoutes.get(plugin);
    if (routes.equals(fixed)) {
      if (config.accessRules().equals(bundledAccess.get(plugin))) {
        return null;
      }
      // The access check is built from the rules when the router starts: rules that changed here would be
      // stored and shown but not enforced, which an administrator would take for enforced.
      return "the config of " + plugin + " changes its Access rules; they are read when the router starts, so"
          + " they change only with a new release of the plugin. Keep Access as the plugin ships it";
    }
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    routes.stream().map(Route::path).filter(p -> fixed.stream().noneMatch(r -> r.path().equals(p)))
        .forEach(added::add);
    fixed.stream().map(Route::path).filter(p -> routes.stream().noneMatch(r -> r.path().equals(p)))
        .forEach(removed::add);
    String what = added.isEmpty() && removed.isEmpty()
        ? "declares the same routes with other descriptions, attributes, confirmations or order"
        : "adds routes " + added + " and removes routes " + removed;
    return "the config of " + plugin + " " + what + "; the routes are served by the plugin's code and the"
        + " language model is trained on them at start, so they can change only with a new release of the"
        + " plugin. Keep Routes, Attributes and Confirm as the plugin ships them: "
        + fixed.stream().map(Route::path).toList();
  }

  private static Optional<String> pluginParameter(String query) {
    Optional<String> plugin = Optional.empty();
    if (query == null || query.isEmpty()) {
      return plugin;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!name.equals("plugin")) {
        throw new IllegalArgumentException("unknown query parameter " + shown(name) + "; only plugin=<name>");
      }
      if (plugin.isPresent()) {
        throw new IllegalArgumentException("plugin= is given twice");
      }
      try {
        plugin = Optional.of(URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the plugin= parameter is not valid URL encoding");
      }
    }
    return plugin;
  }

  /** A name from the request, for a message: cleaned and capped. */
  private static String shown(String name) {
    return "'" + (name.length() > 64 ? LogSafe.clean(name.substring(0, 64)) + "..." : LogSafe.clean(name)) + "'";
  }

  /** Our own exceptions' messages never hold credential values; a plugin's other exceptions might. */
  private static String safeReason(RuntimeException e) {
    return e instanceof ChatOpsException ? LogSafe.clean(e.getMessage())
        : e.getClass().getSimpleName() + "; see the plugin's health and the log";
  }
}
