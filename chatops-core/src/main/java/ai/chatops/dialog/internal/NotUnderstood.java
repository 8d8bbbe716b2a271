package ai.chatops.dialog.internal;

import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The end of the chain: a message no step resolved gets a reply that helps the user rephrase. */
public final class NotUnderstood implements Function<Turn, Outcome> {
  @Override
  public Outcome apply(Turn turn) {
    String[] words = turn.text().split(" ", 3);
    Optional<PluginConfig> plugin = turn.catalog().plugin(words[0].toLowerCase(Locale.ROOT));
    if (plugin.isPresent()) {
      List<String> actions = plugin.get().routes().stream().map(Route::action).collect(Collectors.toList());
      if (words.length < 2) {
        return Outcome.reply(plugin.get().name() + " needs an action: " + String.join(", ", actions)
            + ". Say `help " + plugin.get().name() + "` for details.");
      }
      Optional<Route> route = plugin.get().routeForAction(words[1].toLowerCase(Locale.ROOT));
      if (route.isPresent()) {
        return Outcome.reply("I didn't understand the attributes. Usage: " + HelpStep.usage(route.get()));
      }
      List<String> close = Similarity.closest(words[1], actions);
      return Outcome.reply(plugin.get().name() + " has no action '" + words[1] + "'."
          + (close.isEmpty() ? "" : " Did you mean " + close.get(0) + "?")
          + " Actions: " + String.join(", ", actions) + ".");
    }
    return Outcome.reply("Sorry, I didn't understand that. Say `help` to see what I can do.");
  }
}
