package ai.chatops.slack.internal;

import ai.chatops.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Slack message each keyed reply went out as (a request's "Queued ..." that its follow-ups replace), in
 * memory and, when the host gives a {@link Store}, in the store too: a router that resumes a follow-up after a
 * restart, or another router sharing the store, then edits the same message instead of posting a new one. A
 * store that fails is logged and the memory used alone. Thread-safe.
 *
 * <p>Layout: key {@code slack-message/<base64url(sha256(workspace|channel|reply key))>}, value
 * {@code <channel> <ts>} in UTF-8, expiring with the memory's lifetime.
 */
public final class MessageMemory {
  private static final Logger log = LoggerFactory.getLogger("ai.chatops.slack.SlackService");
  static final String PREFIX = "slack-message/";

  /** Where a keyed reply went: a message {@code ts} in a channel, or a response_url ({@code ts} null). */
  public record Posted(String channel, String ts) {}

  private final ExpiringMap<Posted> memory;
  private final Store store;
  private final Clock clock;
  private final Duration lifetime;

  /** @param store where to keep the messages for other processes, or null for this process's memory alone */
  public MessageMemory(Clock clock, Duration lifetime, int capacity, Store store) {
    this.memory = new ExpiringMap<>(clock, lifetime, capacity);
    this.store = store;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** Where the reply of {@code key} (a {@link ThreadMemory#key} of a reply key) went, if it is remembered. */
  public Optional<Posted> get(String key) {
    Optional<Posted> here = memory.get(key);
    if (here.isPresent() || store == null) {
      return here;
    }
    try {
      Optional<Posted> stored = store.get(storeKey(key)).flatMap(e -> decode(e.value()));
      stored.ifPresent(p -> memory.put(key, p));
      return stored;
    } catch (RuntimeException e) {
      log.warn("could not read which message a keyed reply went out as; posting it anew: {}", e.toString());
      return Optional.empty();
    }
  }

  /** Remembers where the reply of {@code key} went; messages (not response_urls) go to the store as well. */
  public void put(String key, Posted posted) {
    memory.put(key, posted);
    if (store == null || posted.ts() == null) {
      return;
    }
    try {
      store.put(storeKey(key), (posted.channel() + " " + posted.ts()).getBytes(StandardCharsets.UTF_8),
          clock.instant().plus(lifetime));
    } catch (RuntimeException e) {
      log.warn("could not store which message a keyed reply went out as; after a restart it is posted anew: {}",
          e.toString());
    }
  }

  private static Optional<Posted> decode(byte[] value) {
    String[] parts = new String(value, StandardCharsets.UTF_8).split(" ", 2);
    return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()
        ? Optional.of(new Posted(parts[0], parts[1]))
        : Optional.empty();
  }

  private static String storeKey(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
