package ai.chatops.nlu;

import ai.chatops.plugin.EntitySource;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attribute values plugins know at run time ({@link EntitySource}), kept for {@link LocalNlu}: refreshed
 * off the event path, read on it without waiting. A source that fails keeps its previous values.
 *
 * <pre>{@code
 * RuntimeEntities entities = RuntimeEntities.builder().source("jenkins", jenkinsPlugin).build();
 * entities.start(scheduler, workers, Duration.ofMinutes(5)); // refreshes now, then every 5 minutes
 * LocalNlu nlu = LocalNlu.builder().add(sets).runtimeEntities(entities).build();
 * }</pre>
 *
 * <p>Thread-safe: the values are an immutable snapshot replaced as a whole on each refresh.
 */
public final class RuntimeEntities {
  private static final Logger log = LoggerFactory.getLogger(RuntimeEntities.class);
  private static final RuntimeEntities NONE = new RuntimeEntities(Map.of());

  private final Map<String, EntitySource> sources;
  // plugin -> attribute -> lower-case value -> value as the plugin spells it
  private volatile Map<String, Map<String, Map<String, String>>> snapshot = Map.of();

  private RuntimeEntities(Map<String, EntitySource> sources) {
    this.sources = Map.copyOf(sources);
  }

  /** No runtime values: every attribute keeps the engine's trained behaviour. */
  public static RuntimeEntities none() {
    return NONE;
  }

  /** A builder with no source. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Asks every source for its values now, on the calling thread, and keeps them; a source that throws is
   * logged and keeps its previous values.
   */
  public void refresh() {
    Map<String, Map<String, Map<String, String>>> next = new HashMap<>(snapshot);
    sources.forEach((plugin, source) -> {
      try {
        Map<String, Set<String>> values = Objects.requireNonNull(source.entityValues(), "entityValues()");
        Map<String, Map<String, String>> byAttribute = new HashMap<>();
        values.forEach((attribute, set) -> {
          Map<String, String> byLower = new LinkedHashMap<>();
          for (String v : set) {
            if (v != null && !v.isBlank()) {
              byLower.putIfAbsent(v.strip().toLowerCase(Locale.ROOT), v.strip());
            }
          }
          byAttribute.put(attribute, Map.copyOf(byLower));
        });
        next.put(plugin, Map.copyOf(byAttribute));
      } catch (RuntimeException e) {
        log.warn("plugin {}: could not refresh its runtime entities, keeping the previous ones: {}", plugin,
            e.toString());
      }
    });
    snapshot = Map.copyOf(next);
  }

  /**
   * Refreshes now and then every {@code every}: {@code scheduler} keeps the time and hands each refresh to
   * {@code runOn}, so a slow source never holds a scheduler thread. Cancel the returned future to stop. Both
   * executors are the caller's, never shut down here; a refresh {@code runOn} refuses is skipped.
   */
  public ScheduledFuture<?> start(ScheduledExecutorService scheduler, Executor runOn, Duration every) {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(runOn, "runOn");
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("every must be positive but was " + every);
    }
    return scheduler.scheduleWithFixedDelay(() -> {
      try {
        runOn.execute(this::refresh);
      } catch (RejectedExecutionException e) {
        log.warn("runtime entities not refreshed this time: the executor refused the task ({})", e.toString());
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether any source was given. */
  public boolean hasSources() {
    return !sources.isEmpty();
  }

  /**
   * The values of one plugin's attribute known now, by lower case, each mapped to the value as the plugin
   * spells it; empty when none are known.
   */
  public Map<String, String> values(String plugin, String attribute) {
    return snapshot.getOrDefault(plugin, Map.of()).getOrDefault(attribute, Map.of());
  }

  /** Whether any plugin knows any value now. */
  public boolean isEmpty() {
    return snapshot.values().stream().allMatch(m -> m.values().stream().allMatch(Map::isEmpty));
  }

  @Override
  public String toString() {
    return "RuntimeEntities" + sources.keySet();
  }

  /** Collects the sources. Not thread-safe. */
  public static final class Builder {
    private final Map<String, EntitySource> sources = new LinkedHashMap<>();

    private Builder() {}

    /** Adds the source of the named plugin's values (usually the plugin itself). */
    public Builder source(String plugin, EntitySource source) {
      sources.put(Objects.requireNonNull(plugin, "plugin"), Objects.requireNonNull(source, "source"));
      return this;
    }

    /** The entities, with no values until the first {@link RuntimeEntities#refresh()}. */
    public RuntimeEntities build() {
      return new RuntimeEntities(sources);
    }
  }
}
