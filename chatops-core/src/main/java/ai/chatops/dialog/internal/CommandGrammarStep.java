package ai.chatops.dialog.internal;

import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The explicit command grammar: {@code <plugin> <action> [KEY=value | KEY="quoted value" ...]}. A message
 * whose first two words name a declared route and whose other words are all {@code KEY=value} resolves to
 * that route with confidence 1; a message in that form with a mistake (undeclared key, key given twice,
 * unclosed quote) gets a reply naming the mistake; anything else goes on to the NLU.
 */
public final class CommandGrammarStep implements DialogParser {
  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  @Override
  public Outcome parse(Chain chain) {
    Turn turn = chain.turn();
    String[] words = turn.text().split(" ", 3);
    if (words.length < 2) {
      return chain.proceed(turn);
    }
    Optional<PluginConfig> plugin = turn.catalog().plugin(words[0].toLowerCase(Locale.ROOT));
    if (plugin.isEmpty()) {
      return chain.proceed(turn);
    }
    Optional<Route> route = plugin.get().routeForAction(words[1].toLowerCase(Locale.ROOT));
    if (route.isEmpty()) {
      return chain.proceed(turn);
    }
    String rest = words.length == 3 ? words[2] : "";
    List<CommandTokenizer.Token> tokens;
    try {
      tokens = CommandTokenizer.tokenize(rest);
    } catch (CommandTokenizer.SyntaxException e) {
      if (rest.indexOf('=') < 0) {
        return chain.proceed(turn); // "jenkins build it, don't wait": free text with an apostrophe
      }
      int offset = words[0].length() + words[1].length() + 2;
      return Outcome.reply("I couldn't read that command: " + shift(e.getMessage(), offset)
          + ". Usage: " + HelpStep.usage(route.get()));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (CommandTokenizer.Token token : tokens) {
      int eq = token.text().indexOf('=');
      if (eq <= 0 || !KEY.matcher(token.text().substring(0, eq)).matches()) {
        return chain.proceed(turn); // not the explicit form: let the NLU try
      }
      String key = token.text().substring(0, eq).toUpperCase(Locale.ROOT);
      if (!route.get().attributes().contains(key)) {
        return Outcome.reply(route.get().path() + " does not take " + key + "; "
            + (route.get().attributes().isEmpty()
                ? "it takes no attributes."
                : "it takes " + String.join(", ", route.get().attributes()) + ".")
            + " Usage: " + HelpStep.usage(route.get()));
      }
      if (attributes.put(key, token.text().substring(eq + 1)) != null) {
        return Outcome.reply(key + " is given twice; give each attribute once. Usage: "
            + HelpStep.usage(route.get()));
      }
    }
    return Outcome.invoke(route.get(), attributes, 1.0);
  }

  // Positions inside the arguments become positions inside the whole message.
  private static String shift(String message, int offset) {
    java.util.regex.Matcher m = Pattern.compile("position (\\d+)").matcher(message);
    if (!m.find()) {
      return message;
    }
    return m.replaceFirst("position " + (Integer.parseInt(m.group(1)) + offset));
  }
}
