package com.example.links;

import ai.chatops.ConfigurationException;
import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers runbook links by name ({@code links get NAME=oncall}), lists the runbooks ({@code links list}) and
 * checks that a runbook's page answers ({@code links check NAME=oncall}).
 *
 * <p>Its routes and attributes are declared in {@code chatops/plugins/links/config.yaml}; the intents,
 * entities and training sentences beside it teach an NLU engine the same routes in free text. The class is
 * listed in {@code META-INF/services/ai.chatops.plugin.Plugin}, so a host that calls
 * {@code EventRouter.builder().discoverPlugins(loader)} finds it on the classpath; hosts may also register it
 * explicitly with {@code .plugin(new LinksPlugin())}.
 *
 * <p>Thread-safe: the router calls {@link #trigger} from several worker threads.
 */
public final class LinksPlugin implements Plugin {
  /** The runbooks this plugin knows, by name, with what each is about. */
  static final Map<String, String> RUNBOOKS = new TreeMap<>(Map.of(
      "oncall", "On-call handbook",
      "deploys", "Deploying and rolling back",
      "incidents", "Incident response"));

  private volatile URI base;
  private volatile HttpClient http;

  /** The public no-argument constructor that {@link java.util.ServiceLoader} needs. */
  public LinksPlugin() {}

  @Override
  public String name() {
    return "links";
  }

  @Override
  public void connect(PluginContext context) {
    String url = context.credentials().require("LINKS_BASE_URL");
    if (!url.endsWith("/")) {
      url = url + "/";
    }
    try {
      base = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("LINKS_BASE_URL is not a valid URL; give e.g. https://wiki.example.com/runbooks/");
    }
    http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  @Override
  public Action trigger(Invocation invocation) {
    switch (invocation.action()) {
      case "get":
        String name = runbook(invocation);
        return Action.reply(name + ": " + base.resolve(name));
      case "list":
        Action.Builder list = Action.builder("Runbooks:");
        RUNBOOKS.forEach((runbook, about) -> list.field(runbook, about + " - " + base.resolve(runbook)));
        return list.build();
      case "check":
        return check(runbook(invocation));
      default:
        throw new IllegalStateException("links has no action " + invocation.action());
    }
  }

  private static String runbook(Invocation invocation) {
    String name = invocation.require("NAME").toLowerCase(Locale.ROOT);
    if (!RUNBOOKS.containsKey(name)) {
      throw new PluginFailedException("I know no runbook '" + name + "'. Runbooks: "
          + String.join(", ", RUNBOOKS.keySet()) + ".");
    }
    return name;
  }

  private Action check(String name) {
    URI page = base.resolve(name);
    HttpRequest request = HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        return Action.reply("The " + name + " runbook answers (" + response.statusCode() + ").");
      }
      return Action.reply("The " + name + " runbook answered " + response.statusCode() + ": " + page);
    } catch (IOException e) {
      throw new PluginFailedException("I could not reach the " + name + " runbook at " + page + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PluginFailedException("Checking the " + name + " runbook was interrupted.");
    }
  }
}
