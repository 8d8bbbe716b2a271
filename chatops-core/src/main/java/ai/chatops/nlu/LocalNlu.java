package ai.chatops.nlu;

import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.EntityDefinition;

import ai.chatops.ConfigurationException;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.nlu.internal.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The embedded NLU engine: understands free text with no outside service, trained from the plugins' training
 * material ({@link TrainingSet}). Building one checks the material; its models are fitted by the first
 * question, so a router that only acknowledges events (a queue's worker answers them) never pays for them.
 *
 * <pre>{@code
 * LocalNlu nlu = LocalNlu.train(List.of(
 *     BotPlugin.create().trainingSet().orElseThrow(),
 *     JenkinsPlugin.create().trainingSet().orElseThrow()));
 * nlu.understand("could you kick off billing-api on release/3.1")
 * // NluResult[route=/v1/jenkins/build, attributes={ID=billing-api, BRANCH=release/3.1}, confidence=0.9...]
 * }</pre>
 *
 * <p>How it works: words are lower-cased and stemmed; dictionary entity synonyms (longest first) and numbers
 * are recognised and replaced by their canonical values; a naive-Bayes classifier over word stems and stem
 * pairs ranks the intents; for the best few, an averaged-perceptron tagger marks free-form ({@code @sys.any})
 * values from their shape (dashes, dots, slashes, digits) and the words around them, so job and branch names
 * never seen in training come out whole and as typed. The confidence is the classifier's probability times
 * the share of the message's content words the intent explains, so unrelated text scores low.
 *
 * <p>{@link #understand(NluQuery)} answers empty below the minimum confidence (see
 * {@link Builder#minConfidence(double)}); {@link #rank(String, int)} gives the closest routes whatever their
 * confidence, for "did you mean" suggestions.
 *
 * <p>Instances are immutable and thread-safe: share one per router. Training is deterministic.
 */
public final class LocalNlu implements NluEngine {
  /** Fitted on first use, shared by the copies {@link #withRuntimeEntities} makes. */
  private final Fitting fitting;
  private final double minConfidence;
  private final List<TrainingSet> trainingSets;
  private final Map<String, IntentDefinition> byRoute;
  private final RuntimeEntities runtimeEntities;

  private LocalNlu(LocalNlu trained, RuntimeEntities runtimeEntities) {
    this.fitting = trained.fitting;
    this.minConfidence = trained.minConfidence;
    this.trainingSets = trained.trainingSets;
    this.byRoute = trained.byRoute;
    this.runtimeEntities = runtimeEntities;
  }

  private LocalNlu(Builder builder) {
    this.trainingSets = List.copyOf(builder.sets);
    this.minConfidence = builder.minConfidence;
    this.runtimeEntities = builder.runtimeEntities;
    Map<String, IntentDefinition> routes = new LinkedHashMap<>();
    List<IntentDefinition> intents = new ArrayList<>();
    List<EntityDefinition> entities = new ArrayList<>();
    for (TrainingSet set : trainingSets) {
      for (IntentDefinition intent : set.intents()) {
        IntentDefinition previous = routes.put(intent.route(), intent);
        if (previous != null) {
          throw new ConfigurationException("route " + intent.route() + " has two intents, '" + previous.name()
              + "' and '" + intent.name() + "' (plugin " + set.plugin() + "); keep one intent per route");
        }
        intents.add(intent);
      }
      for (EntityDefinition entity : set.entities()) {
        // Entities are looked up by data type; two plugins may share a name only with the same values.
        if (entities.stream().anyMatch(e -> e.name().equals(entity.name()) && !e.equals(entity))) {
          throw new ConfigurationException("entity @" + entity.name() + " is defined differently by two"
              + " plugins (one of them " + set.plugin() + "); rename one of them");
        }
        if (!entities.contains(entity)) {
          entities.add(entity);
        }
      }
    }
    this.byRoute = routes;
    this.fitting = new Fitting(intents, entities, builder.seed);
  }

  private Engine engine() {
    return fitting.engine();
  }

  /**
   * The fitted models, created by the first call that needs them: fitting is most of what training costs
   * (tens of milliseconds and a few hundred classes on a cold JVM), and the checks above already ran. A router
   * that only acknowledges (its events go to a queue) never needs them.
   */
  private static final class Fitting {
    private final List<IntentDefinition> intents;
    private final List<EntityDefinition> entities;
    private final long seed;
    private volatile Engine engine;

    Fitting(List<IntentDefinition> intents, List<EntityDefinition> entities, long seed) {
      this.intents = intents;
      this.entities = entities;
      this.seed = seed;
    }

    boolean isFitted() {
      return engine != null;
    }

    Engine engine() {
      Engine e = engine;
      if (e == null) {
        synchronized (this) {
          e = engine;
          if (e == null) {
            e = new Engine(intents, entities, seed);
            engine = e;
          }
        }
      }
      return e;
    }
  }

  /** Trains an engine on the given plugins' material with the default options. */
  public static LocalNlu train(List<TrainingSet> trainingSets) {
    return builder().add(trainingSets).build();
  }

  /** A builder with the default options. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Interprets the query's text. Routes the query's catalog does not serve are skipped.
   *
   * @return the most likely route with its attributes, or empty when the confidence is below the minimum
   */
  @Override
  public Optional<NluResult> understand(NluQuery query) {
    Objects.requireNonNull(query, "query");
    List<NluResult> ranked = rank(query.text(), 5);
    // A loop, not a stream: this runs once per message (a pipeline is a handful of objects each time) and
    // on a cold router's first free-text event (a stream's lambdas bootstrap there).
    for (int k = 0; k < ranked.size(); k++) {
      NluResult r = ranked.get(k);
      if (query.catalog().route(r.route()).isPresent()) {
        return confident(r);
      }
    }
    return Optional.empty();
  }

  /** {@code r} when its confidence is at least the minimum, else empty. */
  private Optional<NluResult> confident(NluResult r) {
    return r.confidence() >= minConfidence ? Optional.of(r) : Optional.empty();
  }

  /** The closest routes the query's catalog serves, whatever their confidence. */
  @Override
  public List<NluResult> closest(NluQuery query, int limit) {
    return rank(query.text(), limit + 5).stream()
        .filter(r -> query.catalog().route(r.route()).isPresent())
        .limit(limit)
        .collect(Collectors.toList());
  }

  /**
   * Interprets a message, with no catalog to check routes against.
   *
   * @return the most likely route with its attributes, or empty when the confidence is below the minimum
   */
  public Optional<NluResult> understand(String text) {
    List<NluResult> ranked = rank(text, 1);
    return ranked.isEmpty() ? Optional.empty() : confident(ranked.get(0));
  }

  /**
   * The closest interpretations of a message, most confident first, whatever their confidence: for "did you
   * mean" suggestions. Routes that share no word with the message are left out.
   *
   * @param limit how many to return at most, at least 1
   */
  public List<NluResult> rank(String text, int limit) {
    Objects.requireNonNull(text, "text");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    RuntimeEntities known = runtimeEntities;
    List<Engine.Interpretation> interpretations = known == RuntimeEntities.none()
        ? engine().interpret(text, limit)
        : engine().interpret(text, limit, known::values);
    List<NluResult> results = new ArrayList<>(interpretations.size());
    for (int k = 0; k < interpretations.size(); k++) { // by index: no iterator per message
      Engine.Interpretation i = interpretations.get(k);
      results.add(new NluResult(i.intent().route(), i.attributes(), i.confidence()));
    }
    return results;
  }

  /**
   * Fits the models now, unless they are fitted already; otherwise the first question fits them. For a host
   * that wants the cost paid before its first message, such as a SnapStart function that fits before its
   * snapshot (see {@code SnapStartHooks} in {@code chatops-aws-lambda}). Computes only: no I/O, nothing
   * recorded. The copies {@link #withRuntimeEntities} makes share the fitted models.
   *
   * @return this engine
   */
  public LocalNlu fit() {
    fitting.engine();
    return this;
  }

  /** Whether the models are fitted: by {@link #fit()}, by a question, or by a copy sharing them. */
  public boolean isFitted() {
    return fitting.isFitted();
  }

  /**
   * This engine with other runtime values, sharing the trained model (no training again): how a router gives
   * an engine the values of its plugins' {@link ai.chatops.plugin.EntitySource}s.
   */
  public LocalNlu withRuntimeEntities(RuntimeEntities runtimeEntities) {
    return new LocalNlu(this, Objects.requireNonNull(runtimeEntities, "runtimeEntities"));
  }

  /** The values plugins know at run time that this engine uses; {@link RuntimeEntities#none()} by default. */
  public RuntimeEntities runtimeEntities() {
    return runtimeEntities;
  }

  /** Every intent the engine was trained on, plugin by plugin: for slot filling and help. */
  public List<IntentDefinition> intents() {
    return List.copyOf(byRoute.values());
  }

  /** The intent serving {@code route}, such as {@code /v1/jenkins/build}: its parameters and prompts. */
  public Optional<IntentDefinition> intent(String route) {
    return Optional.ofNullable(byRoute.get(route));
  }

  /** The training material, as given. */
  public List<TrainingSet> trainingSets() {
    return trainingSets;
  }

  /** The lowest confidence {@link #understand} reports. */
  public double minConfidence() {
    return minConfidence;
  }

  @Override
  public String toString() {
    return "LocalNlu{intents=" + byRoute.size() + ", minConfidence=" + minConfidence + "}";
  }

  /** Configures and trains a {@link LocalNlu}. Not thread-safe; use it on one thread. */
  public static final class Builder {
    /** The default of {@link #minConfidence(double)}. */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.3;

    private final List<TrainingSet> sets = new ArrayList<>();
    private double minConfidence = DEFAULT_MIN_CONFIDENCE;
    private long seed = 20240229L;
    private RuntimeEntities runtimeEntities = RuntimeEntities.none();

    private Builder() {}

    /** Adds one plugin's training material. */
    public Builder add(TrainingSet set) {
      sets.add(Objects.requireNonNull(set, "set"));
      return this;
    }

    /** Adds several plugins' training material. */
    public Builder add(List<TrainingSet> trainingSets) {
      for (TrainingSet set : trainingSets) { // a loop, not a method reference generated at every cold build
        add(set);
      }
      return this;
    }

    /**
     * Sets the lowest confidence {@link LocalNlu#understand} reports, {@value #DEFAULT_MIN_CONFIDENCE} by
     * default; below it the engine answers empty. The router's own threshold, above this one, decides
     * between acting and asking "did you mean".
     */
    public Builder minConfidence(double minConfidence) {
      if (!(minConfidence >= 0 && minConfidence <= 1)) {
        throw new IllegalArgumentException("minConfidence must be within 0..1 but was " + minConfidence);
      }
      this.minConfidence = minConfidence;
      return this;
    }

    /**
     * Sets the values plugins know at run time (their {@link ai.chatops.plugin.EntitySource}s): a known value
     * is preferred over filler words and written as the plugin spells it, and a plain word that is neither
     * known nor shaped like a value (digits, capitals, dashes, dots, slashes) is asked for rather than guessed,
     * in the attributes whose values are known. None by default.
     */
    public Builder runtimeEntities(RuntimeEntities runtimeEntities) {
      this.runtimeEntities = Objects.requireNonNull(runtimeEntities, "runtimeEntities");
      return this;
    }

    /** Sets the seed of the training order; training is deterministic for a given seed and material. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Trains the engine.
     *
     * @throws ConfigurationException when two intents serve the same route, or two plugins define an entity
     *     of the same name differently
     */
    public LocalNlu build() {
      return new LocalNlu(this);
    }
  }
}
