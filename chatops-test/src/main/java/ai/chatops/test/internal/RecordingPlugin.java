package ai.chatops.test.internal;

import ai.chatops.WebhookRequest;
import ai.chatops.plugin.Announcement;
import ai.chatops.plugin.PluginRoutes;
import ai.chatops.plugin.TrainingSet;
import java.util.List;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.Status;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A plugin that hands every invocation to a recorder before passing it on. Every other call goes straight
 * to the plugin, {@link #config()} included, so that the plugin's own class loader finds its resources.
 */
public final class RecordingPlugin implements Plugin {
  private final Plugin delegate;
  private final Consumer<Invocation> recorder;

  public RecordingPlugin(Plugin delegate, Consumer<Invocation> recorder) {
    this.delegate = Objects.requireNonNull(delegate, "plugin");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  public Plugin delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public PluginConfig config() {
    return delegate.config();
  }

  @Override
  public Optional<PluginRoutes> routes() {
    return delegate.routes();
  }

  @Override
  public Optional<TrainingSet> trainingSet() {
    return delegate.trainingSet();
  }

  @Override
  public List<Announcement> hook(WebhookRequest request) {
    return delegate.hook(request);
  }

  @Override
  public void connect(PluginContext context) {
    delegate.connect(context);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public Status healthCheck() {
    return delegate.healthCheck();
  }

  @Override
  public Action trigger(Invocation invocation) {
    recorder.accept(invocation);
    return delegate.trigger(invocation);
  }

  @Override
  public Optional<Action> poll(FollowUp followUp) {
    return delegate.poll(followUp);
  }

  @Override
  public String toString() {
    return "Recording[" + delegate + "]";
  }
}
