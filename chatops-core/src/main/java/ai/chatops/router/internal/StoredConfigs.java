package ai.chatops.router.internal;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.internal.CredentialYaml;
import ai.chatops.secrets.internal.CredentialCipher;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plugin configurations stored through {@code /v1/yaml}, one entry per plugin under {@code config/<plugin>}:
 * a JSON object holding the document with every credential value cut out ({@code ""} in its place), and
 * beside it each credential value encrypted by {@link CredentialCipher} ({@code v1:<key id>:...}). No
 * credential value reaches the store in clear: without a cipher, a document giving one is refused.
 * Thread-safe.
 */
public final class StoredConfigs {
  public static final String PREFIX = "config/";
  /** Created on first use: the mapper loads most of jackson-databind, which start-up does not need. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
  private static final int FORMAT = 1;

  private final Store store;
  private final Optional<CredentialCipher> cipher;
  private final Clock clock;
  private final java.util.function.Function<String, List<ai.chatops.plugin.Route>> routesInCode;

  public StoredConfigs(Store store, Optional<CredentialCipher> cipher, Clock clock) {
    this(store, cipher, clock, plugin -> List.of());
  }

  /** As above, for plugins that declare routes in code: a stored config.yaml may leave them out. */
  public StoredConfigs(Store store, Optional<CredentialCipher> cipher, Clock clock,
      java.util.function.Function<String, List<ai.chatops.plugin.Route>> routesInCode) {
    this.store = store;
    this.cipher = cipher;
    this.clock = clock;
    this.routesInCode = routesInCode;
  }

  /** One stored configuration: the document without credential values, and the values, decrypted. */
  public record Loaded(PluginConfig config, String yaml, Map<String, String> credentials, long version) {
    @Override
    public String toString() {
      return "Loaded{" + config + ", version=" + version + "}"; // never the values
    }
  }

  /** What a save did; {@code config} is the document as stored, declaring the credentials without values. */
  public record Saved(PluginConfig config, long version, boolean created) {
    @Override
    public String toString() {
      return "Saved{" + config + ", version=" + version + ", created=" + created + "}";
    }
  }

  public static String key(String plugin) {
    return PREFIX + plugin;
  }

  /** Whether credential values can be stored at all. */
  public boolean canEncrypt() {
    return cipher.isPresent();
  }

  /**
   * Stores a validated document of {@code config.name()}, encrypting its credential values.
   *
   * @throws ConfigurationException when the document gives credential values and there is no cipher, or
   *     when the values cannot be cut out of the text cleanly
   */
  public Saved save(PluginConfig config, String yaml) {
    String plugin = config.name();
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : config.credentials().keys()) {
      config.credentials().get(name).ifPresent(v -> values.put(name, v));
    }
    if (!values.isEmpty() && cipher.isEmpty()) {
      throw new ConfigurationException("the config of " + plugin + " gives values for " + values.keySet()
          + ", but this router has no key provider to encrypt them at rest; configure"
          + " EventRouter.Builder.keyProvider, or leave the values empty and supply them from the host");
    }
    String source = "config.yaml of " + plugin;
    String stripped = CredentialYaml.replaceValues(source, yaml, name -> values.containsKey(name) ? "\"\"" : null);
    PluginConfig check = PluginConfig.parse(plugin, source, new java.io.StringReader(stripped),
        routesInCode.apply(plugin));
    boolean clean = check.credentials().keys().equals(config.credentials().keys())
        && check.credentials().keys().stream().allMatch(n -> check.credentials().get(n).isEmpty())
        && check.routes().equals(config.routes())
        && check.version().equals(config.version());
    if (!clean) {
      throw new ConfigurationException(source + ": the credential values could not be separated from the"
          + " document; write each as a plain or quoted scalar on its own line");
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("plugin", plugin);
    root.put("storedAt", clock.instant().toString());
    root.put("yaml", stripped);
    ObjectNode sealed = root.putObject("credentials");
    values.forEach((name, value) -> sealed.put(name, cipher.orElseThrow().encrypt(plugin, name, value)));
    boolean created = store.get(key(plugin)).isEmpty();
    long version = store.put(key(plugin), bytes(root), null);
    return new Saved(check, version, created);
  }

  /** The stored entry of a plugin, undecoded. */
  public Optional<StoreEntry> entry(String plugin) {
    return store.get(key(plugin));
  }

  /**
   * Decodes and decrypts a stored entry.
   *
   * @throws ai.chatops.secrets.CredentialDecryptionException when a value cannot be decrypted
   * @throws ConfigurationException when the entry is not a stored configuration of this plugin
   */
  public Loaded decode(String plugin, StoreEntry entry) {
    JsonNode root = parse(entry);
    if (root.path("format").asInt() != FORMAT || !plugin.equals(root.path("plugin").asText())
        || !root.path("yaml").isTextual()) {
      throw new ConfigurationException("the stored entry " + entry.key() + " is not a configuration of "
          + plugin + " in format " + FORMAT);
    }
    String yaml = root.get("yaml").asText();
    PluginConfig config = PluginConfig.parse(plugin, "stored config.yaml of " + plugin,
        new java.io.StringReader(yaml), routesInCode.apply(plugin));
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.path("credentials").properties()) {
      if (cipher.isEmpty()) {
        throw new ai.chatops.secrets.CredentialDecryptionException(plugin, field.getKey(),
            CredentialCipher.keyIdOf(field.getValue().asText()).orElse("?"),
            "this router has no key provider; configure EventRouter.Builder.keyProvider");
      }
      values.put(field.getKey(), cipher.get().decrypt(plugin, field.getKey(), field.getValue().asText()));
    }
    return new Loaded(config, yaml, Map.copyOf(values), entry.version());
  }

  /**
   * Re-encrypts, with the current key, every stored value encrypted under another key.
   *
   * @return how many values were rewritten
   * @throws ai.chatops.secrets.CredentialDecryptionException when a value's key is no longer available
   */
  public int reencrypt() {
    CredentialCipher c = cipher.orElseThrow(() -> new ConfigurationException(
        "re-encrypting credentials needs a key provider; configure EventRouter.Builder.keyProvider"));
    int rewritten = 0;
    String cursor = null;
    do {
      StorePage page = store.list(PREFIX, cursor, 100);
      for (StoreEntry entry : page.entries()) {
        rewritten += reencrypt(c, entry);
      }
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);
    return rewritten;
  }

  private int reencrypt(CredentialCipher c, StoreEntry entry) {
    StoreEntry current = entry;
    while (true) {
      ObjectNode root = (ObjectNode) parse(current);
      String plugin = root.path("plugin").asText();
      ObjectNode sealed = (ObjectNode) root.path("credentials");
      int changed = 0;
      for (String name : new java.util.ArrayList<>(sealed.properties().stream().map(Map.Entry::getKey).toList())) {
        String text = sealed.get(name).asText();
        if (!CredentialCipher.keyIdOf(text).orElse("").equals(c.currentKeyId())) {
          sealed.put(name, c.encrypt(plugin, name, c.decrypt(plugin, name, text)));
          changed++;
        }
      }
      if (changed == 0 || store.compareAndSet(current.key(), current.version(), bytes(root), null)) {
        return changed;
      }
      Optional<StoreEntry> again = store.get(current.key()); // written meanwhile: redo on the new version
      if (again.isEmpty()) {
        return 0;
      }
      current = again.get();
    }
  }

  private static JsonNode parse(StoreEntry entry) {
    try {
      JsonNode root = Json.MAPPER.readTree(entry.value());
      if (root == null || !root.isObject() || !root.path("credentials").isObject()) {
        throw new ConfigurationException("the stored entry " + entry.key() + " is not a plugin configuration");
      }
      return root;
    } catch (IOException e) {
      throw new ConfigurationException("the stored entry " + entry.key() + " is not valid JSON");
    }
  }

  private static byte[] bytes(JsonNode root) {
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
