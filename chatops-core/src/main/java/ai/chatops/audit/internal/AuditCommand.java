package ai.chatops.audit.internal;

import ai.chatops.access.AccessPolicy;
import ai.chatops.audit.AuditEntry;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import ai.chatops.toolkit.LogSafe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code audit [plugin] [count]} chat command: lists the newest audit entries to an
 * administrator. Its own use is audited too, refusals included. Thread-safe.
 */
public final class AuditCommand implements DialogParser {
  private static final Logger log = LoggerFactory.getLogger(AuditCommand.class);

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final Auditor auditor;
  private final AccessPolicy policy;

  public AuditCommand(Auditor auditor, AccessPolicy policy) {
    this.auditor = auditor;
    this.policy = policy;
  }

  @Override
  public Outcome parse(Chain chain) {
    String text = chain.turn().text().trim();
    if (!text.regionMatches(true, 0, "audit", 0, 5)) {
      return chain.proceed(chain.turn()); // the first word is not "audit": no need to split the message
    }
    String[] words = WHITESPACE.split(text);
    if (words.length == 0 || words.length > 3 || !words[0].equalsIgnoreCase("audit")) {
      return chain.proceed(chain.turn());
    }
    int count = 10;
    String plugin = null;
    for (int i = 1; i < words.length; i++) {
      String word = words[i].toLowerCase(Locale.ROOT);
      if (word.matches("\\d{1,4}")) {
        count = Math.max(1, Math.min(MAX_LISTED, Integer.parseInt(word)));
      } else if (plugin == null && chain.turn().catalog().plugin(word).isPresent()) {
        plugin = word;
      } else {
        return chain.proceed(chain.turn()); // not the audit command: "audit the logs" goes on to the NLU
      }
    }
    ChatEvent event = chain.turn().event();
    Map<String, String> args = new LinkedHashMap<>();
    args.put("COUNT", Integer.toString(count));
    if (plugin != null) {
      args.put("PLUGIN", plugin);
    }
    if (!policy.isAdmin(event.user())) {
      String reason = policy.hasAdmins() ? "only administrators may read it" : "this bot has no administrators";
      auditor.record(event, "audit", args, AuditEntry.Outcome.DENIED, 0, reason);
      return Outcome.reply("Sorry, you may not read the audit log: " + reason + ".");
    }
    String prefix = plugin == null ? "" : Route.pathOf(plugin, "");
    List<AuditEntry> entries;
    try {
      entries = auditor.log().recent(count, e -> e.route().startsWith(prefix));
    } catch (RuntimeException e) {
      log.error("event {}: could not read the audit log", LogSafe.ref(event.service(), event.id()), e);
      auditor.record(event, "audit", args, AuditEntry.Outcome.FAILED, 0, "the store could not be read");
      return Outcome.reply("Sorry, I could not read the audit log just now (event " + event.id() + ").");
    }
    auditor.record(event, "audit", args, AuditEntry.Outcome.DONE, 0, "");
    return Outcome.reply(listing(entries, plugin));
  }

  /** The most entries the audit command lists. */
  public static final int MAX_LISTED = 50;

  static String listing(List<AuditEntry> entries, String plugin) {
    String what = plugin == null ? "" : " of " + plugin;
    if (entries.isEmpty()) {
      return "The audit log" + what + " is empty.";
    }
    StringBuilder sb = new StringBuilder(entries.size() == 1 ? "The last audit entry" + what + ":"
        : "The last " + entries.size() + " audit entries" + what + ", newest first:");
    for (AuditEntry e : entries) {
      sb.append('\n').append(e.time()).append(' ').append(e.user()).append(" in ").append(e.channel())
          .append(": ").append(e.route());
      new TreeMap<>(e.attributes()).forEach((k, v) -> sb.append(' ').append(k).append('=')
          .append(v.length() > 60 ? v.substring(0, 60) + "..." : v));
      sb.append(", ").append(e.outcome().wireName().replace('_', ' '));
      if (e.outcome() == AuditEntry.Outcome.DONE || e.outcome() == AuditEntry.Outcome.FAILED
          || e.outcome() == AuditEntry.Outcome.TIMED_OUT) {
        sb.append(" in ").append(e.durationMillis()).append(" ms");
      }
      if (!e.detail().isEmpty()) {
        sb.append(" (").append(e.detail()).append(')');
      }
    }
    return sb.toString();
  }
}
