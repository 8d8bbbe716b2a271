package ai.chatops.internal;

import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.Status;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One registered plugin with its configuration, its context and whether it connected. Thread-safe. */
public final class PluginSlot implements PluginContext {
  private static final Logger log = LoggerFactory.getLogger(PluginSlot.class);

  private final Plugin plugin;
  private final PluginConfig config;
  private final Credentials credentials;
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
    this.config = config;
    this.credentials = credentials;
    this.clock = clock;
    this.healthChecks = healthChecks;
  }

  public Plugin plugin() {
    return plugin;
  }

  public String name() {
    return config.name();
  }

  @Override
  public PluginConfig config() {
    return config;
  }

  @Override
  public Credentials credentials() {
    return credentials;
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
      log.info("plugin {} {} connected", name(), config.version());
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
