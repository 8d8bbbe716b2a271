package ai.chatops.test;

import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** A plugin that asks a status service over HTTP, with plain okhttp, for the PluginTester tests. */
final class UptimePlugin implements Plugin {
  static final String CONFIG = String.join("\n",
      "Version: 2.0.0",
      "Credentials:",
      "  UPTIME_URL:",
      "  UPTIME_TOKEN: config-token",
      "Routes:",
      "  - /v1/uptime/check: Is a service up?",
      "  - /v1/uptime/wait",
      "Attributes:",
      "  SERVICE: [check, wait]",
      "");

  private volatile OkHttpClient client;
  private volatile HttpUrl base;
  private volatile String token;
  volatile boolean closed;

  @Override
  public String name() {
    return "uptime";
  }

  @Override
  public PluginConfig config() {
    return PluginConfig.parse("uptime", CONFIG);
  }

  @Override
  public void connect(PluginContext context) {
    base = HttpUrl.get(context.credentials().require("UPTIME_URL"));
    token = context.credentials().require("UPTIME_TOKEN");
    client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public void close() {
    closed = true;
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  public Status healthCheck() {
    return get("health").equals("ok")
        ? Status.of("uptime", Status.State.PASSED)
        : Status.of("uptime", Status.State.ERROR, "status service unhealthy");
  }

  @Override
  public Action trigger(Invocation invocation) {
    String service = invocation.require("SERVICE");
    String state = get("services/" + service);
    if (invocation.action().equals("wait") && !state.equals("up")) {
      return Action.builder("Waiting for " + service)
          .followUp(new FollowUp("service:" + service, service + " coming up", Duration.ofSeconds(5),
              Duration.ofMinutes(10)))
          .build();
    }
    return Action.reply(service + " is " + state);
  }

  @Override
  public Optional<Action> poll(FollowUp followUp) {
    String service = followUp.key().substring("service:".length());
    return get("services/" + service).equals("up") ? Optional.of(Action.reply(service + " is up")) : Optional.empty();
  }

  private String get(String path) {
    Request request = new Request.Builder().url(base.resolve(path)).header("Authorization", "Bearer " + token)
        .build();
    try (Response response = client.newCall(request).execute()) {
      ResponseBody body = response.body();
      if (response.code() != 200) {
        throw new PluginFailedException("the status service answered " + response.code() + " for " + path);
      }
      return body.string().trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
