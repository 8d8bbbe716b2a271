package ai.chatops.jenkins.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consecutive failed polls per follow-up key. The router re-polls with the same key while a poll returns
 * nothing, so the count cannot live in the key. Bounded: the oldest keys are forgotten first (a follow-up the
 * router stopped watching is never removed otherwise). Thread-safe.
 */
public final class FailureCounts {
  private final Map<String, Integer> counts;

  public FailureCounts(int maxKeys) {
    this.counts = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /** Counts one more failure of {@code key} and returns the count. */
  public synchronized int increment(String key) {
    return counts.merge(key, 1, Integer::sum);
  }

  /** Forgets {@code key}: it succeeded, ended or was replaced. */
  public synchronized void reset(String key) {
    counts.remove(key);
  }

  public synchronized int size() {
    return counts.size();
  }
}
