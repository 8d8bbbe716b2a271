package ai.chatops.access;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.AccessRule;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.toolkit.LogSafe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The host's half of access control: the groups that the plugins' {@code Access} rules name, whether a route
 * without a rule may run, who the administrators are, and the rate limits. The plugins' half is their
 * {@link AccessRule}s, declared in {@code config.yaml}. Passed to the router in one call:
 *
 * <pre>{@code
 * EventRouter.builder()
 *     .access(AccessPolicy.builder()
 *         .group("release-managers", "U0ALICE", "U0BOB")
 *         .admins("@release-managers")
 *         .userRateLimit(10, Duration.ofMinutes(1))
 *         .build())
 *     ...
 * }</pre>
 *
 * <p>Every plugin call, from chat, a language model or an agent, is checked against the rule of its route
 * once, before the user is asked for missing details or for confirmation, and charged to the rate limits
 * when the plugin is about to run (see {@code docs/access.md}). Immutable and thread-safe.
 */
public final class AccessPolicy {
  private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final AccessPolicy ALLOW_ALL = new Builder().build();

  private final Map<String, Set<String>> groups;
  private final boolean defaultAllow;
  private final Set<String> adminUsers;
  private final Set<String> adminGroups;
  private final RateLimit userRateLimit;
  private final RateLimit routeRateLimit;

  private AccessPolicy(Builder b) {
    Map<String, Set<String>> frozen = new LinkedHashMap<>();
    for (Map.Entry<String, Set<String>> e : b.groups.entrySet()) {
      frozen.put(e.getKey(), Set.copyOf(e.getValue()));
    }
    this.groups = Map.copyOf(frozen);
    this.defaultAllow = b.defaultAllow;
    Set<String> users = new LinkedHashSet<>();
    Set<String> adminGroupNames = new LinkedHashSet<>();
    for (String admin : b.admins) {
      if (admin.startsWith("@")) {
        adminGroupNames.add(admin.substring(1));
      } else {
        users.add(admin);
      }
    }
    this.adminUsers = Set.copyOf(users);
    this.adminGroups = Set.copyOf(adminGroupNames);
    this.userRateLimit = b.userRateLimit;
    this.routeRateLimit = b.routeRateLimit;
    for (String group : adminGroups) {
      if (!groups.containsKey(group)) {
        throw new ConfigurationException("admins names group @" + group + ", which is not defined; define it"
            + " with AccessPolicy.Builder.group(\"" + group + "\", users...)");
      }
    }
  }

  /** The default: every route may be run by everyone, nobody is an administrator, no rate limits. */
  public static AccessPolicy allowAll() {
    return ALLOW_ALL;
  }

  /** A builder starting from {@link #allowAll()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The members of each group, by group name. */
  public Map<String, Set<String>> groups() {
    return groups;
  }

  /** Whether routes without an {@code Access} rule may be run by everyone. */
  public boolean defaultAllow() {
    return defaultAllow;
  }

  /** Whether {@code user} is an administrator: listed, or a member of an administrators' group. */
  public boolean isAdmin(String user) {
    return adminUsers.contains(user) || adminGroups.stream().anyMatch(g -> inGroup(user, g));
  }

  /** Whether anybody is an administrator. */
  public boolean hasAdmins() {
    return !adminUsers.isEmpty() || !adminGroups.isEmpty();
  }

  /** The limit on each user's plugin calls (per service), if any. */
  public Optional<RateLimit> userRateLimit() {
    return Optional.ofNullable(userRateLimit);
  }

  /** The limit on each route's calls, for all users together, if any. */
  public Optional<RateLimit> routeRateLimit() {
    return Optional.ofNullable(routeRateLimit);
  }

  /**
   * Why {@code user} may not run a route in {@code channel}, or empty when they may.
   *
   * @param rule the route's rule, or null when the route has none ({@link #defaultAllow} decides)
   * @return the reason, naming the rule ("the rule Access.deploy allows only @release-managers")
   */
  public Optional<String> refusal(AccessRule rule, String user, String channel) {
    if (rule == null) {
      return defaultAllow ? Optional.empty()
          : Optional.of("it has no access rule, and this bot refuses routes without one");
    }
    String name = "the rule Access." + rule.name();
    if (rule.denyUsers().contains(user)) {
      return Optional.of(name + " denies " + user);
    }
    for (String group : rule.denyGroups()) {
      if (inGroup(user, group)) {
        return Optional.of(name + " denies @" + group);
      }
    }
    if (rule.denyChannels().contains(channel)) {
      return Optional.of(name + " denies it in this channel (" + channel + ")");
    }
    if (rule.restrictsPeople() && !rule.allowUsers().contains(user)
        && rule.allowGroups().stream().noneMatch(g -> inGroup(user, g))) {
      List<String> who = new ArrayList<>(rule.allowUsers());
      rule.allowGroups().forEach(g -> who.add("@" + g));
      return Optional.of(name + " allows only " + String.join(", ", who));
    }
    if (!rule.allowChannels().isEmpty() && !rule.allowChannels().contains(channel)) {
      return Optional.of(name + " allows it only in " + String.join(", ", rule.allowChannels()));
    }
    return Optional.empty();
  }

  private boolean inGroup(String user, String group) {
    return groups.getOrDefault(group, Set.of()).contains(user);
  }

  /**
   * Checks that every group the plugins' access rules name is defined here.
   *
   * @throws ConfigurationException naming the plugin, the rule and the missing group
   */
  public void check(List<PluginConfig> configs) {
    for (PluginConfig config : configs) {
      for (AccessRule rule : config.accessRules()) {
        List<String> named = new ArrayList<>(rule.allowGroups());
        named.addAll(rule.denyGroups());
        for (String group : named) {
          if (!groups.containsKey(group)) {
            throw new ConfigurationException(config.name() + " config.yaml: Access." + rule.name()
                + " names group " + group + ", which the host does not define; define it with"
                + " AccessPolicy.Builder.group(\"" + group + "\", users...). Defined groups: "
                + (groups.isEmpty() ? "none" : String.join(", ", new TreeSet<>(groups.keySet()))));
          }
        }
      }
    }
  }

  /** A builder with this policy's settings. */
  public Builder newBuilder() {
    Builder b = new Builder();
    groups.forEach((name, members) -> b.groups.put(name, new LinkedHashSet<>(members)));
    b.defaultAllow = defaultAllow;
    b.admins.addAll(adminUsers);
    adminGroups.forEach(g -> b.admins.add("@" + g));
    b.userRateLimit = userRateLimit;
    b.routeRateLimit = routeRateLimit;
    return b;
  }

  @Override
  public String toString() {
    return "AccessPolicy{groups=" + new TreeSet<>(groups.keySet()) + ", defaultAllow=" + defaultAllow
        + ", admins=" + (adminUsers.size() + adminGroups.size()) + ", userRateLimit=" + userRateLimit
        + ", routeRateLimit=" + routeRateLimit + "}";
  }

  /**
   * At most {@code capacity} calls, refilled continuously at {@code capacity} per {@code period}; counted per
   * router instance.
   *
   * @param capacity 1 to 1,000,000
   * @param period 1 ms to 1 day
   */
  public record RateLimit(int capacity, Duration period) {
    /** Checks the bounds. */
    public RateLimit {
      Objects.requireNonNull(period, "period");
      if (capacity < 1 || capacity > 1_000_000) {
        throw new IllegalArgumentException("a rate limit's capacity must be within 1..1000000 but was "
            + capacity);
      }
      if (period.toMillis() < 1 || period.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("a rate limit's period must be within 1 ms..1 day but was "
            + period);
      }
    }
  }

  /** Builds an {@link AccessPolicy}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Set<String>> groups = new LinkedHashMap<>();
    private final Set<String> admins = new LinkedHashSet<>();
    private boolean defaultAllow = true;
    private RateLimit userRateLimit;
    private RateLimit routeRateLimit;

    private Builder() {}

    /**
     * Defines a group of users that the {@code Access} rules of plugin configs name (as
     * {@code groups: [release-managers]}), by the user ids the services give (Slack {@code U0123ABC}).
     * Calling it again for the same name adds members.
     */
    public Builder group(String name, String... users) {
      Objects.requireNonNull(name, "name");
      if (!GROUP_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("group name '" + LogSafe.clean(name)
            + "' is not valid; use [a-z0-9][a-z0-9._-]*, at most 64 characters");
      }
      Set<String> members = groups.computeIfAbsent(name, n -> new LinkedHashSet<>());
      for (String user : users) {
        members.add(Objects.requireNonNull(user, "user"));
      }
      return this;
    }

    /**
     * Whether routes without an {@code Access} rule may be run by everyone; true by default, so that a bot
     * behaves as before until its plugins or host restrict it. With false, only routes whose rule lets the
     * user in may run (deny by default).
     */
    public Builder defaultAccess(boolean allowed) {
      this.defaultAllow = allowed;
      return this;
    }

    /**
     * Who may use the built-in {@code audit} command: user ids, and groups written {@code @name}. Nobody by
     * default.
     */
    public Builder admins(String... usersOrGroups) {
      for (String admin : usersOrGroups) {
        admins.add(Objects.requireNonNull(admin, "admin"));
      }
      return this;
    }

    /**
     * Limits each user (per service) to {@code capacity} plugin calls, refilled continuously at
     * {@code capacity} per {@code period}; off by default. Counted per router instance.
     */
    public Builder userRateLimit(int capacity, Duration period) {
      this.userRateLimit = new RateLimit(capacity, period);
      return this;
    }

    /**
     * Limits each route, for all users together, to {@code capacity} calls refilled at {@code capacity} per
     * {@code period}; off by default. Counted per router instance.
     */
    public Builder routeRateLimit(int capacity, Duration period) {
      this.routeRateLimit = new RateLimit(capacity, period);
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws ConfigurationException when the admins name a group that is not defined
     */
    public AccessPolicy build() {
      return new AccessPolicy(this);
    }
  }
}
