package ai.chatops.benchmarks;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.TrainingSet;
import java.util.Optional;

/** A plugin that sleeps on every event ({@code sleepy nap}), to show the acknowledgement does not wait for it. */
final class SleepyPlugin implements Plugin {
  private final long sleepMillis;

  SleepyPlugin(long sleepMillis) {
    this.sleepMillis = sleepMillis;
  }

  @Override
  public String name() {
    return "sleepy";
  }

  @Override
  public PluginConfig config() {
    return PluginConfig.parse("sleepy", "Version: 1.0.0\nWebsite: https://example.invalid/sleepy\nAuthor: benchmarks\n"
        + "Routes:\n  - /v1/sleepy/nap: Sleeps, then answers\n");
  }

  @Override
  public Optional<TrainingSet> trainingSet() {
    return Optional.empty();
  }

  @Override
  public Action trigger(Invocation invocation) {
    try {
      Thread.sleep(sleepMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Action.reply("rested");
  }
}
