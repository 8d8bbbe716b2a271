package ai.chatops.access.internal;

import ai.chatops.access.AccessPolicy;
import ai.chatops.access.AccessRefusedException;
import ai.chatops.internal.Durations;
import ai.chatops.plugin.AccessRule;
import ai.chatops.plugin.Invocation;
import ai.chatops.service.ChatEvent;
import ai.chatops.store.Store;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The access rules of the registered routes under the host's policy, and the rate limits' buckets: what both
 * access steps (the dialog's and the invocation chain's) ask. Refusals are audited by the caller: the dialog
 * step, or the invocation chain's audit step. With a store, the buckets are counted there, shared by every
 * router on the store ({@link SharedRateLimiter}); without, in this router's memory. Thread-safe.
 */
public final class Access {
  private final AccessPolicy policy;
  private final Map<String, AccessRule> rules;
  private final Clock clock;
  private final Buckets perUser;
  private final Buckets perRoute;

  /**
   * Rate limits counted in this router's memory only.
   *
   * @param rules the access rule of each route path that has one
   * @param maxRateBuckets the most buckets each rate limit keeps in memory
   */
  public Access(AccessPolicy policy, Map<String, AccessRule> rules, Clock clock, int maxRateBuckets) {
    this(policy, rules, clock, maxRateBuckets, null);
  }

  /**
   * Rate limits counted in {@code store}, one bucket per user and per route for every router on it; in memory
   * (at most {@code maxRateBuckets} per limit) when the store fails, or when {@code store} is null.
   */
  public Access(AccessPolicy policy, Map<String, AccessRule> rules, Clock clock, int maxRateBuckets, Store store) {
    this.policy = policy;
    this.rules = Map.copyOf(rules);
    this.clock = clock;
    this.perUser = limit(policy.userRateLimit(), maxRateBuckets, store, "user");
    this.perRoute = limit(policy.routeRateLimit(), maxRateBuckets, store, "route");
  }

  /** The buckets of {@code limit}, or null without one (no lambda: this runs on every router's start). */
  private static Buckets limit(Optional<AccessPolicy.RateLimit> limit, int maxRateBuckets, Store store,
      String scope) {
    if (limit.isEmpty()) {
      return null;
    }
    RateLimiter memory = new RateLimiter(limit.get().capacity(), limit.get().period(), maxRateBuckets);
    return store == null ? memory : new SharedRateLimiter(store, scope, memory);
  }

  /** The host's policy. */
  public AccessPolicy policy() {
    return policy;
  }

  /**
   * Applies the route's access rule to the user and channel of {@code event}.
   *
   * @throws AccessRefusedException when the rule refuses
   */
  public void checkRule(ChatEvent event, String route) {
    Optional<String> denied = policy.refusal(rules.get(route), event.user(), event.channel());
    if (denied.isPresent()) {
      throw new AccessRefusedException(AccessRefusedException.Kind.ACCESS_RULE,
          "Sorry, you may not run " + route + ": " + denied.get() + ".", denied.get());
    }
  }

  /**
   * Takes a token from the user's and the route's bucket; a refusal takes nothing.
   *
   * @throws AccessRefusedException when a limit is reached, saying when to try again
   */
  public void charge(Invocation invocation) {
    ChatEvent event = invocation.event();
    String route = invocation.route().path();
    long now = clock.millis();
    String userKey = event.service() + "\n" + event.user();
    if (perUser != null) {
      long wait = perUser.tryTake(userKey, now);
      if (wait > 0) {
        throw refuse(perUser, " per user", "Sorry, you are going too fast: you may run "
            + perUser.capacity() + " commands every " + Durations.describe(perUser.period()) + ". Try again in "
            + seconds(wait) + ".");
      }
    }
    if (perRoute != null) {
      long wait = perRoute.tryTake(route, now);
      if (wait > 0) {
        if (perUser != null) {
          perUser.giveBack(userKey, now);
        }
        throw refuse(perRoute, " for " + route, "Sorry, " + route + " is busy: it may run "
            + perRoute.capacity() + " times every " + Durations.describe(perRoute.period())
            + " for everyone together. Try again in " + seconds(wait) + ".");
      }
    }
  }

  private static AccessRefusedException refuse(Buckets limit, String scope, String reply) {
    String detail = "the limit of " + limit.capacity() + " per " + Durations.describe(limit.period()) + scope;
    return new AccessRefusedException(AccessRefusedException.Kind.RATE_LIMIT, reply, detail);
  }

  private static String seconds(long millis) {
    long s = Math.max(1, (millis + 999) / 1000);
    return s + " s";
  }
}
