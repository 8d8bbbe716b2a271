package ai.chatops.plugin;

import java.time.Clock;
import java.util.Map;

/**
 * What the router hands a plugin when it connects: its validated configuration, its credentials (the
 * {@code config.yaml} values overlaid with those the host supplied) and the router's clock.
 *
 * <p>Implementations are thread-safe.
 */
public interface PluginContext {
  /** The plugin's configuration, as read from its {@code config.yaml}. */
  PluginConfig config();

  /** The credentials; values are never logged or shown by {@code toString}. */
  Credentials credentials();

  /** The router's clock; use it instead of the system clock so tests can control time. */
  Clock clock();

  /** Runs every registered plugin's health check now, keyed by plugin name. */
  Map<String, Status> healthChecks();
}
