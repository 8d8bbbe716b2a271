package ai.chatops.examples.console;

import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Status;

/**
 * Stands in for a plugin the host has no credentials for: it keeps the plugin's routes (so help lists them and
 * the dialog understands them) and answers each with what the user or operator should set.
 */
final class NotConfiguredPlugin implements Plugin {
  private final Plugin plugin;
  private final String message;

  NotConfiguredPlugin(Plugin plugin, String message) {
    this.plugin = plugin;
    this.message = message;
  }

  @Override
  public String name() {
    return plugin.name();
  }

  @Override
  public PluginConfig config() {
    return plugin.config();
  }

  @Override
  public Status healthCheck() {
    return Status.of(name(), Status.State.ERROR, message);
  }

  @Override
  public Action trigger(Invocation invocation) {
    throw new PluginFailedException(message);
  }
}
