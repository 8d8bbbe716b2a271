package ai.chatops.internal;

import ai.chatops.toolkit.LogSafe;

import ai.chatops.audit.AuditEntry;
import ai.chatops.audit.AuditLog;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.plugin.AccessRule;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import ai.chatops.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what, how often, and the record of it: checks the access rules and the rate limits before a
 * plugin is called, and appends one audit entry per invocation (refusals included) with one store write.
 * An audit write that fails is logged; the user's reply never depends on it. Thread-safe.
 */
public final class Guard {
  private static final Logger log = LoggerFactory.getLogger(Guard.class);
  private static final Pattern SECRET_NAME = Pattern.compile(".*(TOKEN|SECRET|PASSWORD|KEY).*");
  private static final int MAX_VALUE = 256;

  /** The host's part of the configuration, from the router's builder. */
  public record Policy(
      Map<String, Set<String>> groups,
      boolean defaultAllow,
      Set<String> adminUsers,
      Set<String> adminGroups,
      Optional<RateLimiter> perUser,
      Optional<RateLimiter> perRoute,
      Duration retention) {}

  private final Policy policy;
  private final Map<String, AccessRule> rules;
  private final Map<String, Credentials> credentials;
  private final Store store;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  /**
   * @param rules the access rule of each route path that has one
   * @param credentials the credentials of the plugin serving each route path, for masking
   */
  public Guard(Policy policy, Map<String, AccessRule> rules, Map<String, Credentials> credentials, Store store,
      Clock clock) {
    this.policy = policy;
    this.rules = Map.copyOf(rules);
    this.credentials = Map.copyOf(credentials);
    this.store = store;
    this.clock = clock;
  }

  /** What the access rules say of the user and channel of {@code event} for {@code route}: empty to allow. */
  public Optional<String> accessRefusal(ChatEvent event, String route) {
    AccessRule rule = rules.get(route);
    if (rule == null) {
      return policy.defaultAllow() ? Optional.empty()
          : Optional.of("it has no access rule, and this bot refuses routes without one");
    }
    String name = "the rule Access." + rule.name();
    String user = event.user();
    if (rule.denyUsers().contains(user)) {
      return Optional.of(name + " denies " + user);
    }
    for (String group : rule.denyGroups()) {
      if (inGroup(user, group)) {
        return Optional.of(name + " denies @" + group);
      }
    }
    if (rule.denyChannels().contains(event.channel())) {
      return Optional.of(name + " denies it in this channel (" + event.channel() + ")");
    }
    if (rule.restrictsPeople() && !rule.allowUsers().contains(user)
        && rule.allowGroups().stream().noneMatch(g -> inGroup(user, g))) {
      List<String> who = new ArrayList<>(rule.allowUsers());
      rule.allowGroups().forEach(g -> who.add("@" + g));
      return Optional.of(name + " allows only " + String.join(", ", who));
    }
    if (!rule.allowChannels().isEmpty() && !rule.allowChannels().contains(event.channel())) {
      return Optional.of(name + " allows it only in " + String.join(", ", rule.allowChannels()));
    }
    return Optional.empty();
  }

  private boolean inGroup(String user, String group) {
    return policy.groups().getOrDefault(group, Set.of()).contains(user);
  }

  /**
   * Checks access and then the rate limits for an invocation about to happen; a refusal is audited and its
   * reply returned. Takes a token from the user's and the route's bucket when admitted.
   */
  public Optional<String> admit(ChatEvent event, Route route, Map<String, String> attributes) {
    Optional<String> denied = accessRefusal(event, route.path());
    if (denied.isPresent()) {
      record(event, route.path(), attributes, AuditEntry.Outcome.DENIED, 0, denied.get());
      return Optional.of(deniedReply(route.path(), denied.get()));
    }
    long now = clock.millis();
    String userKey = event.service() + "\n" + event.user();
    if (policy.perUser().isPresent()) {
      long wait = policy.perUser().get().tryTake(userKey, now);
      if (wait > 0) {
        RateLimiter limit = policy.perUser().get();
        String detail = "the limit of " + limit.capacity() + " per " + EventProcessor.describe(limit.period())
            + " per user";
        record(event, route.path(), attributes, AuditEntry.Outcome.RATE_LIMITED, 0, detail);
        return Optional.of("Sorry, you are going too fast: you may run " + limit.capacity() + " commands every "
            + EventProcessor.describe(limit.period()) + ". Try again in " + seconds(wait) + ".");
      }
    }
    if (policy.perRoute().isPresent()) {
      long wait = policy.perRoute().get().tryTake(route.path(), now);
      if (wait > 0) {
        policy.perUser().ifPresent(l -> l.giveBack(userKey));
        RateLimiter limit = policy.perRoute().get();
        String detail = "the limit of " + limit.capacity() + " per " + EventProcessor.describe(limit.period())
            + " for " + route.path();
        record(event, route.path(), attributes, AuditEntry.Outcome.RATE_LIMITED, 0, detail);
        return Optional.of("Sorry, " + route.path() + " is busy: it may run " + limit.capacity()
            + " times every " + EventProcessor.describe(limit.period()) + " for everyone together. Try again in "
            + seconds(wait) + ".");
      }
    }
    return Optional.empty();
  }

  private static String deniedReply(String route, String reason) {
    return "Sorry, you may not run " + route + ": " + reason + ".";
  }

  private static String seconds(long millis) {
    long s = Math.max(1, (millis + 999) / 1000);
    return s + " s";
  }

  /**
   * Appends one audit entry: one store write, no read. Attribute values that equal one of the plugin's
   * credentials, and attributes named like a secret (TOKEN, SECRET, PASSWORD, KEY), are masked; long values
   * are cut. Never throws.
   */
  public void record(ChatEvent event, String route, Map<String, String> attributes, AuditEntry.Outcome outcome,
      long durationMillis, String detail) {
    try {
      Credentials secrets = credentials.get(route);
      Map<String, String> masked = new LinkedHashMap<>();
      attributes.forEach((name, value) -> masked.put(name, mask(name, value, secrets)));
      AuditEntry entry = new AuditEntry(clock.instant(), event.service(), event.id(), event.workspace(),
          event.user(), event.channel(), event.thread(), route, masked, outcome, durationMillis,
          cut(detail == null ? "" : detail));
      store.put(AuditCodec.key(entry, sequence.incrementAndGet()), AuditCodec.encode(entry), entry.time().plus(policy.retention()));
    } catch (RuntimeException e) {
      log.error("event {}: could not append the audit entry of {} ({})", LogSafe.ref(event.service(), event.id()),
          LogSafe.clean(route), outcome.wireName(), e);
    }
  }

  private static String mask(String name, String value, Credentials secrets) {
    if (value == null) {
      return "";
    }
    if (SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches()) {
      return AuditEntry.MASK;
    }
    if (secrets != null) {
      for (String key : secrets.keys()) {
        Optional<String> secret = secrets.get(key);
        if (secret.isPresent() && !secret.get().isEmpty() && (value.equals(secret.get())
            || (secret.get().length() >= 8 && value.contains(secret.get())))) {
          return AuditEntry.MASK;
        }
      }
    }
    return cut(value);
  }

  private static String cut(String value) {
    return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + "...";
  }

  /** Whether {@code user} may read the audit log: an admin user or a member of an admin group. */
  boolean isAdmin(String user) {
    return policy.adminUsers().contains(user) || policy.adminGroups().stream().anyMatch(g -> inGroup(user, g));
  }

  /**
   * The dialog step that refuses a route before the conversation step asks for missing attributes or for
   * confirmation: nobody is asked "are you sure?" about what they may not run. Placed right inside the
   * conversation step. Rate limits are charged only when the plugin is about to be called.
   */
  public DialogParser accessStep() {
    return chain -> {
      Outcome outcome = chain.proceed(chain.turn());
      if (outcome.kind() != Outcome.Kind.INVOKE) {
        return outcome;
      }
      String route = outcome.route().orElseThrow().path();
      Optional<String> denied = accessRefusal(chain.turn().event(), route);
      if (denied.isEmpty()) {
        return outcome;
      }
      record(chain.turn().event(), route, outcome.attributes(), AuditEntry.Outcome.DENIED, 0, denied.get());
      return Outcome.reply(deniedReply(route, denied.get()));
    };
  }

  /** The built-in {@code audit [plugin] [count]} command for administrators. */
  public DialogParser auditStep(AuditLog auditLog) {
    return chain -> {
      String text = chain.turn().text().trim();
      String[] words = text.split("\\s+");
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
      if (!isAdmin(event.user())) {
        String reason = policy.adminUsers().isEmpty() && policy.adminGroups().isEmpty()
            ? "this bot has no administrators" : "only administrators may read it";
        record(event, "audit", args, AuditEntry.Outcome.DENIED, 0, reason);
        return Outcome.reply("Sorry, you may not read the audit log: " + reason + ".");
      }
      String prefix = plugin == null ? "" : Route.pathOf(plugin, "");
      List<AuditEntry> entries;
      try {
        entries = auditLog.recent(count, e -> e.route().startsWith(prefix));
      } catch (RuntimeException e) {
        log.error("event {}: could not read the audit log", LogSafe.ref(event.service(), event.id()), e);
        record(event, "audit", args, AuditEntry.Outcome.FAILED, 0, "the store could not be read");
        return Outcome.reply("Sorry, I could not read the audit log just now (event " + event.id() + ").");
      }
      record(event, "audit", args, AuditEntry.Outcome.DONE, 0, "");
      return Outcome.reply(listing(entries, plugin));
    };
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
      new java.util.TreeMap<>(e.attributes()).forEach((k, v) -> sb.append(' ').append(k).append('=')
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
