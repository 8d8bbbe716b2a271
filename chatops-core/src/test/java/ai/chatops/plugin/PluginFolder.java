package ai.chatops.plugin;

import ai.chatops.plugin.TrainingSet;

import ai.chatops.plugin.PluginResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A plugin folder written on disk by a test, and a class loader that sees it. */
public final class PluginFolder {
  static final String CONFIG = String.join("\n",
      "Version: 1.0.0",
      "Routes:",
      "  - /v1/ops/deploy",
      "  - /v1/ops/scale",
      "  - /v1/ops/jobs",
      "Attributes:",
      "  ID: [deploy, scale]",
      "  ENV: [deploy]",
      "  COUNT: [scale]",
      "");

  private final Path root;

  public PluginFolder(Path temp) {
    this.root = temp;
    write("config.yaml", CONFIG);
  }

  public PluginFolder write(String relative, String text) {
    try {
      Path file = root.resolve("chatops/plugins/ops/" + relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PluginResources resources() {
    try {
      return PluginResources.of("ops", new URLClassLoader(new URL[] {root.toUri().toURL()}, null));
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  public TrainingSet load() {
    return TrainingSet.load(resources());
  }

  /** A complete, valid plugin: an entity with synonyms, numbers, free-form values, a data-only intent. */
  public PluginFolder complete() {
    write("entities/env.json", "{\"id\": \"e1\", \"name\": \"env\", \"isOverridable\": true, \"isEnum\": false}");
    write("entities/env_entries_en.json", "[{\"value\": \"production\", \"synonyms\": [\"production\", \"prod\","
        + " \"live\"]}, {\"value\": \"staging\", \"synonyms\": [\"staging\", \"stage\", \"pre-prod\"]}]");
    write("intents/deploy.json", "{\"name\": \"deploy\", \"responses\": [{\"action\": \"/v1/ops/deploy\","
        + " \"parameters\": [{\"name\": \"id\", \"dataType\": \"@sys.any\", \"required\": true, \"prompts\":"
        + " [{\"lang\": \"en\", \"value\": \"Which service?\"}, {\"lang\": \"de\", \"value\": \"Welcher?\"}]},"
        + " {\"name\": \"env\", \"dataType\": \"@env\", \"required\": true, \"prompts\": [\"Where to?\"]}]}]}");
    write("intents/deploy_usersays_en.json", "[{\"data\": [{\"text\": \"deploy \"}, {\"text\": \"api-server\","
        + " \"alias\": \"id\", \"meta\": \"@sys.any\", \"userDefined\": true}, {\"text\": \" to \"}, {\"text\":"
        + " \"production\", \"alias\": \"env\", \"meta\": \"@env\", \"userDefined\": true}]}]");
    write("intents/deploy_usersays_de.json", "[{\"data\": [{\"text\": \"verteile alles\"}]}]");
    write("data/deploy.txt", String.join("\n",
        "# deployments",
        "ship [payments.v2](ID) to [staging](ENV)",
        "",
        "release [web-app](ID) to [live](ENV) please",
        "push [team/search](id) out to [stage](env)",
        "roll out [orders-api](ID) on [prod](ENV)",
        "deploy [gateway](ID) into [production](ENV)",
        "can you deploy [auth.service](ID) to [pre-prod](ENV)",
        ""));
    write("intents/scale.json", "{\"name\": \"scale\", \"responses\": [{\"action\": \"ops.scale\","
        + " \"parameters\": [{\"name\": \"id\", \"dataType\": \"@sys.any\", \"required\": true},"
        + " {\"name\": \"count\", \"dataType\": \"@sys.number\", \"required\": true}]}]}");
    write("data/scale.txt", String.join("\n",
        "scale [api-server](ID) to [3](COUNT) replicas",
        "scale [payments.v2](ID) up to [10](COUNT) instances",
        "run [5](COUNT) copies of [web-app](ID)",
        "set [team/search](ID) to [two](COUNT) replicas",
        "resize [orders-api](ID) to [4](COUNT) pods",
        "give [gateway](ID) [6](COUNT) instances",
        ""));
    write("data/jobs.txt", "list the jobs\nwhich jobs are there\nshow all jobs\nwhat jobs do you have\n");
    return this;
  }
}
