package ai.chatops.slack.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A small in-memory map whose entries expire after a fixed time and whose size is capped (oldest entries
 * go first), so that it stays bounded under an endless stream of keys. Thread-safe.
 */
public final class ExpiringMap<V> {
  private final Clock clock;
  private final Duration ttl;
  private final int capacity;
  private final LinkedHashMap<String, Entry<V>> entries = new LinkedHashMap<>();

  private record Entry<V>(V value, Instant expires) {}

  public ExpiringMap(Clock clock, Duration ttl, int capacity) {
    this.clock = clock;
    this.ttl = ttl;
    this.capacity = capacity;
  }

  /** Stores the value; it expires {@code ttl} from now. */
  public synchronized void put(String key, V value) {
    entries.remove(key);
    entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
    evict();
  }

  /** The live value, if any. */
  public synchronized Optional<V> get(String key) {
    Entry<V> e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expires())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  /** Replaces a live value in place (its expiry unchanged); returns the new value, or empty when absent. */
  public synchronized Optional<V> update(String key, UnaryOperator<V> change) {
    Optional<V> current = get(key);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    V next = change.apply(current.get());
    entries.put(key, new Entry<>(next, entries.get(key).expires()));
    return Optional.of(next);
  }

  public synchronized void remove(String key) {
    entries.remove(key);
  }

  private void evict() {
    Instant now = clock.instant();
    Iterator<Map.Entry<String, Entry<V>>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Entry<V>> e = it.next();
      if (entries.size() > capacity || !now.isBefore(e.getValue().expires())) {
        it.remove();
      } else {
        break; // insertion order: the rest are younger
      }
    }
  }
}
