package com.example.links;

import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dialog step of the host's own: {@code ?oncall} (or {@code ? pager}) is short for
 * {@code links get NAME=oncall}; a lone {@code ?} lists the runbooks. Anything else goes on down the chain
 * unchanged. Register it with {@code EventRouter.builder().dialogParser(new RunbookShortcut())}; it runs after
 * the router's own steps (help, access, the conversation) and before the command grammar and the NLU, so the
 * rewritten command is checked and typed like a typed one. Stateless and thread-safe.
 */
public final class RunbookShortcut implements DialogParser {
  private static final Pattern SHORTCUT = Pattern.compile("\\?\\s*([A-Za-z][A-Za-z0-9 -]{0,40})?");

  @Override
  public Outcome parse(Chain chain) {
    Matcher m = SHORTCUT.matcher(chain.turn().text().trim());
    if (!m.matches()) {
      return chain.proceed(chain.turn());
    }
    if (m.group(1) == null) {
      return chain.proceed(chain.turn().withText("links list"));
    }
    String name = m.group(1).trim().toLowerCase(Locale.ROOT);
    return chain.proceed(chain.turn().withText("links get NAME=\"" + name + "\""));
  }

  @Override
  public String toString() {
    return "RunbookShortcut";
  }
}
