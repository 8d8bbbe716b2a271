package ai.chatops.router.internal;

import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.Status;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered plugin with its configuration, its context and whether it connected. Thread-safe: the
 * configuration and credentials are swapped together by {@link #reconfigure}, under the same lock as
 * connecting and closing.
 */
public final class PluginSlot implements PluginContext {
  private static final Logger log = LoggerFactory.getLogger(PluginSlot.class);

  private final Plugin plugin;
  private final String name;
  private volatile Settings settings;
  private final Clock clock;
  private final Supplier<Map<String, Status>> healthChecks;
  private volatile boolean connected;
  private volatile boolean closed;

  public PluginSlot(
      Plugin plugin,
      PluginConfig config,
      Credentials credentials,
      Clock clock,
      Supplier<Map<String, Status>> healthChecks) {
    this.plugin = plugin;
    this.name = config.name();
    this.settings = new Settings(config, credentials, 0);
    this.clock = clock;
    this.healthChecks = healthChecks;
  }

  public Plugin plugin() {
    return plugin;
  }

  /** The configuration and credentials in use, and the store version they came from (0: none). */
  private record Settings(PluginConfig config, Credentials credentials, long storedVersion) {}

  public String name() {
    return name;
  }

  @Override
  public PluginConfig config() {
    return settings.config();
  }

  @Override
  public Credentials credentials() {
    return settings.credentials();
  }

  /** The version of the stored configuration in use, or 0 when the plugin runs on its bundled one. */
  public long storedVersion() {
    return settings.storedVersion();
  }

  /** Records that the stored configuration of {@code version} is the one in use already. */
  public synchronized void markStoredVersion(long version) {
    settings = new Settings(settings.config(), settings.credentials(), version);
  }

  /**
   * Swaps in a new configuration and credentials and reconnects the plugin ({@code close()} then
   * {@code connect()}). An invocation already running keeps the plugin object it started with.
   *
   * A stored version older than the one in use is ignored: of two configurations stored at once, the
   * store's last one wins on every router.
   *
   * @return the connect failure, if the plugin did not connect with the new configuration; it stays
   *     installed, {@link #health()} reports it, and the next use tries to connect again
   */
  public synchronized Optional<RuntimeException> reconfigure(
      PluginConfig config, Credentials credentials, long storedVersion) {
    if (closed) {
      return Optional.of(new IllegalStateException("plugin " + name + " is closed"));
    }
    if (storedVersion < settings.storedVersion()) {
      log.info("plugin {}: stored configuration version {} is older than the one in use ({}); not applied",
          name, storedVersion, settings.storedVersion());
      return Optional.empty();
    }
    if (connected) {
      connected = false;
      try {
        plugin.close();
      } catch (RuntimeException e) {
        log.warn("plugin {} failed to close before reconnecting", name, e);
      }
    }
    settings = new Settings(config, credentials, storedVersion);
    try {
      ensureConnected();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e);
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Map<String, Status> healthChecks() {
    return healthChecks.get();
  }

  /**
   * Connects the plugin unless it already is. A failure is logged and rethrown; the next call tries again.
   */
  public synchronized void ensureConnected() {
    if (connected) {
      return;
    }
    if (closed) {
      throw new IllegalStateException("plugin " + name() + " is closed");
    }
    try {
      plugin.connect(this);
      connected = true;
      log.info("plugin {} {} connected", name(), settings.config().version());
    } catch (RuntimeException e) {
      log.warn("plugin {} could not connect: {}", name(), e.toString());
      throw e;
    }
  }

  /** Connects if possible, logging instead of throwing, for start-up. */
  public void tryConnect() {
    try {
      ensureConnected();
    } catch (RuntimeException e) {
      // Logged by ensureConnected; the first invocation tries again.
    }
  }

  public boolean connected() {
    return connected;
  }

  /** The plugin's health, or ERROR when it is not connected or the check itself failed. */
  public Status health() {
    if (!connected) {
      return Status.of(name(), Status.State.ERROR, "not connected");
    }
    try {
      Status status = plugin.healthCheck();
      return status != null ? status : Status.of(name(), Status.State.ERROR, "health check returned null");
    } catch (RuntimeException e) {
      log.warn("plugin {} health check failed", name(), e);
      return Status.of(name(), Status.State.ERROR, "health check failed: " + e.getClass().getSimpleName());
    }
  }

  public synchronized void close() {
    closed = true;
    if (!connected) {
      return;
    }
    connected = false;
    try {
      plugin.close();
    } catch (RuntimeException e) {
      log.warn("plugin {} failed to close", name(), e);
    }
  }

  @Override
  public String toString() {
    return "PluginSlot{" + name() + "}";
  }
}
