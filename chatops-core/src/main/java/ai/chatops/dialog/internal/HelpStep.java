package ai.chatops.dialog.internal;

import ai.chatops.plugin.Catalog;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Answers {@code help} and {@code help <plugin>} with the routes the plugins declare. */
public final class HelpStep implements DialogParser {
  @Override
  public Outcome parse(Chain chain) {
    String text = chain.turn().text();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("help") || lower.equals("?")) {
      return Outcome.reply(helpFor(chain.turn().catalog().plugins(), chain.turn().catalog()));
    }
    if (lower.startsWith("help ")) {
      String name = lower.substring(5).trim();
      Optional<PluginConfig> plugin = chain.turn().catalog().plugin(name);
      if (plugin.isPresent()) {
        return Outcome.reply(helpFor(List.of(plugin.get()), chain.turn().catalog()));
      }
      if (name.matches("[a-z0-9-]+")) {
        return Outcome.reply("I have no plugin named " + name + ". Plugins: "
            + plugins(chain.turn().catalog()) + ".");
      }
    }
    return chain.proceed(chain.turn());
  }

  static String plugins(Catalog catalog) {
    return catalog.plugins().stream().map(PluginConfig::name).collect(Collectors.joining(", "));
  }

  static String helpFor(List<PluginConfig> configs, Catalog catalog) {
    if (catalog.plugins().isEmpty()) {
      return "No plugins are installed, so there is nothing I can do yet.";
    }
    StringBuilder sb = new StringBuilder("Here is what I can do:");
    for (PluginConfig config : configs) {
      sb.append("\n\n").append(config.name()).append(" (").append(config.version()).append(')');
      for (Route route : config.routes()) {
        sb.append("\n  ").append(usage(route));
        route.description().ifPresent(d -> sb.append(" - ").append(d));
        catalog.guide(route.path()).ifPresent(guide -> guide.examples().stream().limit(2)
            .forEach(example -> sb.append("\n      \"").append(example).append('"')));
      }
    }
    sb.append("\n\nWrite attributes as KEY=value, quoting values with spaces: KEY=\"two words\".");
    return sb.toString();
  }

  /** A route as a command line: {@code jenkins build ID=... BRANCH=...}. */
  static String usage(Route route) {
    StringBuilder sb = new StringBuilder(route.plugin()).append(' ').append(route.action());
    for (String attribute : route.attributes()) {
      sb.append(' ').append(attribute).append("=...");
    }
    return sb.toString();
  }
}
