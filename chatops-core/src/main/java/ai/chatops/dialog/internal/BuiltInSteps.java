package ai.chatops.dialog.internal;

import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.service.ChatEvent;
import java.util.regex.Pattern;

/** The small built-in steps that clean a message before it is resolved. */
public final class BuiltInSteps {
  private BuiltInSteps() {}

  /** Ignores messages from other bots and from the bot itself, so that bots never answer each other. */
  public static final DialogParser IGNORE_BOTS = new DialogParser() {
    @Override
    public Outcome parse(Chain chain) {
      ChatEvent.Sender sender = chain.turn().event().sender();
      switch (sender) {
        case SELF:
          return Outcome.ignore("the bot's own message");
        case BOT:
          return Outcome.ignore("a message from another bot");
        default:
          return chain.proceed(chain.turn());
      }
    }
  };

  // Slack writes mentions as <@U123> or <@U123|name>; plain-text services as @name. Punctuation that
  // usually follows a mention ("@bot: build ...", "@bot, build ...") goes with it.
  private static final Pattern LEADING_MENTION =
      Pattern.compile("^\\s*(?:<@[A-Za-z0-9_.-]+(?:\\|[^>]*)?>|@[\\p{L}\\p{N}_.-]+)[\\s,:;]*");

  /** Strips one leading mention of the bot. */
  public static final DialogParser STRIP_MENTION = new DialogParser() {
    @Override
    public Outcome parse(Chain chain) {
      Turn turn = chain.turn();
      return chain.proceed(turn.withText(LEADING_MENTION.matcher(turn.text()).replaceFirst("")));
    }
  };

  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u2007\\u202F]+");
  private static final Pattern INVISIBLE = Pattern.compile("[\\u200B-\\u200D\\u2060\\uFEFF]");

  /** The longest message the bot reads; longer ones are answered without being parsed. */
  public static final int MAX_MESSAGE_CHARS = 4000;

  /**
   * Normalises whitespace (runs of spaces, tabs, newlines and non-breaking spaces become one space; the
   * ends are trimmed), removes zero-width characters and turns typographic quotes, which chat clients
   * substitute as people type, back into plain ones. Messages over {@link #MAX_MESSAGE_CHARS} characters
   * are answered without being read further.
   */
  public static final DialogParser NORMALIZE = new DialogParser() {
    @Override
    public Outcome parse(Chain chain) {
      Turn turn = chain.turn();
      if (turn.text().length() > MAX_MESSAGE_CHARS) {
        // Commands are short: a very long message is a paste or an attack, and the NLU's cost grows with it.
        return Outcome.reply("That message is too long for me (" + turn.text().length() + " characters; I read at most "
            + MAX_MESSAGE_CHARS + ").");
      }
      String text = normalize(turn.text());
      if (text.isEmpty()) {
        return Outcome.reply("Hi! Say `help` to see what I can do.");
      }
      return chain.proceed(turn.withText(text));
    }
  };

  /** What {@link #NORMALIZE} makes of {@code text}. */
  static String normalize(String text) {
    if (isPlain(text)) {
      return text.trim(); // what the replacements below would leave unchanged, without their matchers
    }
    String normalized = INVISIBLE.matcher(text).replaceAll("");
    normalized = normalized.replace('\u201C', '"').replace('\u201D', '"').replace('\u201E', '"')
        .replace('\u2018', '\'').replace('\u2019', '\'');
    return WHITESPACE.matcher(normalized).replaceAll(" ").trim();
  }

  /**
   * Whether the replacements of {@link #normalize} would change nothing: no zero-width character, no
   * typographic quote, and no whitespace but single plain spaces.
   */
  private static boolean isPlain(String text) {
    boolean afterSpace = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ') {
        if (afterSpace) {
          return false;
        }
        afterSpace = true;
        continue;
      }
      afterSpace = false;
      if (c < ' ' ? c >= '\t' && c <= '\r' : c >= '\u00A0' && isSpecial(c)) {
        return false;
      }
    }
    return true;
  }

  /** The characters above Latin-1's plain ones that {@link #normalize} replaces or removes. */
  private static boolean isSpecial(char c) {
    return c == '\u00A0' || c == '\u2007' || c == '\u202F' || c >= '\u200B' && c <= '\u200D' || c == '\u2060'
        || c == '\uFEFF' || c == '\u201C' || c == '\u201D' || c == '\u201E' || c == '\u2018' || c == '\u2019';
  }
}
