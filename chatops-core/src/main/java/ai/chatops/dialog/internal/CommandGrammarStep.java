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
 * unclosed quote, too many attributes, a value too long) gets a reply naming the mistake; anything else goes
 * on to the NLU.
 */
public final class CommandGrammarStep implements DialogParser {
  /** The most {@code KEY=value} attributes one command may give. */
  public static final int MAX_ATTRIBUTES = 20;
  /** The most characters one attribute value may have. */
  public static final int MAX_VALUE_CHARS = 1000;
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
      String value = token.text().substring(eq + 1);
      if (value.length() > MAX_VALUE_CHARS) {
        return Outcome.reply(key + " is " + value.length() + " characters long; a value may have at most "
            + MAX_VALUE_CHARS + ". Usage: " + HelpStep.usage(route.get()));
      }
      if (attributes.put(key, value) != null) {
        return Outcome.reply(key + " is given twice; give each attribute once. Usage: "
            + HelpStep.usage(route.get()));
      }
    }
    if (attributes.size() > MAX_ATTRIBUTES) {
      // Only a route declaring more than MAX_ATTRIBUTES attributes gets here: each may be given once.
      return Outcome.reply("that command gives " + attributes.size() + " attributes; a command may give at most "
          + MAX_ATTRIBUTES + ". Usage: " + HelpStep.usage(route.get()));
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
