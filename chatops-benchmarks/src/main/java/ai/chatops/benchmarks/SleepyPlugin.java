package ai.chatops.benchmarks;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.TrainingSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A plugin that takes its time on every event ({@code sleepy nap}): the synchronous one sleeps on the worker,
 * as a plugin blocked on a remote API does; the asynchronous one ({@link #async}) returns a stage that a
 * scheduler thread (standing in for an HTTP client's) completes after the same time.
 */
class SleepyPlugin implements Plugin {
  final long sleepMillis;

  SleepyPlugin(long sleepMillis) {
    this.sleepMillis = sleepMillis;
  }

  /** The same plugin answering through {@code triggerAsync}, its stages completed by {@code remote}. */
  static SleepyPlugin async(long sleepMillis, ScheduledExecutorService remote) {
    return new SleepyPlugin(sleepMillis) {
      @Override
      public CompletionStage<Action> triggerAsync(Invocation invocation) {
        CompletableFuture<Action> answer = new CompletableFuture<>();
        remote.schedule(() -> answer.complete(Action.reply("rested")), sleepMillis, TimeUnit.MILLISECONDS);
        return answer;
      }
    };
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
