package com.example.links;

import ai.chatops.ConfigurationException;
import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.PluginResources;
import ai.chatops.plugin.PluginRoutes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Answers runbook links by name ({@code links get NAME=oncall}), lists the runbooks with a button for each
 * ({@code links list}) and checks that a runbook's page answers ({@code links check NAME=oncall}).
 *
 * <p>Its routes are declared in code, below, each with its typed attributes and its handler: {@code NAME} is
 * the {@code @runbook} entity of {@code chatops/plugins/links/entities/}, so the router maps a synonym to its
 * runbook ({@code NAME=pager} is {@code oncall}) and refuses an unknown one, listing the runbooks, before this
 * plugin runs. {@code config.yaml} beside the training material gives the version and the credentials; the
 * intents give phrasings only. The class is listed in {@code META-INF/services/ai.chatops.plugin.Plugin}, so a
 * host that calls {@code EventRouter.builder().discoverPlugins(loader)} finds it on the classpath; hosts may
 * also register it explicitly with {@code .plugin(new LinksPlugin())}.
 *
 * <p>Thread-safe: the router calls the handlers from several worker threads.
 */
public final class LinksPlugin implements Plugin {
  /** The runbooks this plugin knows, by name, with what each is about. */
  static final Map<String, String> RUNBOOKS = new TreeMap<>(Map.of(
      "oncall", "On-call handbook",
      "deploys", "Deploying and rolling back",
      "incidents", "Incident response"));

  private static final AttributeType RUNBOOK =
      AttributeType.entity(PluginResources.of("links", LinksPlugin.class.getClassLoader()).entity("runbook"));

  private final PluginRoutes routes = PluginRoutes.builder("links")
      .route("get", r -> r
          .description("Gives the link of a runbook")
          .attribute(AttributeSpec.builder("NAME", RUNBOOK).required(true)
              .prompt("Which runbook? I know oncall, deploys and incidents.").build())
          .handle(this::get))
      .route("list", r -> r
          .description("Lists the runbooks")
          .handle(call -> list()))
      .route("check", r -> r
          .description("Checks that a runbook's page answers")
          .required("NAME", RUNBOOK, "Which runbook should I check?")
          .handle(this::check))
      .build();

  private volatile URI base;
  private volatile HttpClient http;

  /** The public no-argument constructor that {@link java.util.ServiceLoader} needs. */
  public LinksPlugin() {}

  @Override
  public String name() {
    return "links";
  }

  @Override
  public Optional<PluginRoutes> routes() {
    return Optional.of(routes);
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

  private Action get(Invocation call) {
    String name = runbook(call);
    return Action.builder(name + ": " + base.resolve(name)).link("Open " + name, base.resolve(name).toString())
        .build();
  }

  private Action list() {
    Action.Builder list = Action.builder("Runbooks:");
    RUNBOOKS.forEach((runbook, about) -> list.field(runbook, about + " - " + base.resolve(runbook)));
    RUNBOOKS.keySet().forEach(runbook -> list.choice(runbook, "links get NAME=" + runbook));
    return list.build();
  }

  /** The runbook NAME names; the router has already mapped synonyms and refused unknown names. */
  private static String runbook(Invocation call) {
    String name = call.require("NAME");
    if (!RUNBOOKS.containsKey(name)) { // a caller outside the dialog (an agent's tool call) may pass anything
      throw new PluginFailedException("I know no runbook '" + name + "'. Runbooks: "
          + String.join(", ", RUNBOOKS.keySet()) + ".");
    }
    return name;
  }

  private Action check(Invocation call) {
    String name = runbook(call);
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
