package ai.chatops.test;

import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * An {@link NluEngine} that understands exactly the sentences a test scripted, and nothing else. Use it to
 * test how a bot reacts to free text without training or calling a real engine.
 *
 * <pre>{@code
 * ScriptedNlu nlu = ScriptedNlu.create()
 *     .when("build api on main").thenRoute("/v1/jenkins/build", Map.of("ID", "api", "BRANCH", "main"))
 *     .when("maybe deploy").thenRoute("/v1/jenkins/deploy", Map.of(), 0.3);
 *
 * EventRouter router = EventRouter.builder().nlu(nlu)...build();
 * // ... after the bot handled "Build API on main":
 * assertThat(nlu.queries()).containsExactly("Build API on main");
 * }</pre>
 *
 * <p>Sentences match after trimming, collapsing runs of whitespace and ignoring case; a sentence scripted
 * twice keeps its last answer. Unscripted sentences are not understood (empty), so the router goes on to its
 * "didn't understand" reply. Every query is recorded, scripted or not, in arrival order.
 *
 * <p>Thread-safe: a test may script more sentences while the router is running.
 */
public final class ScriptedNlu implements NluEngine {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final Map<String, NluResult> answers = new ConcurrentHashMap<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();

  private ScriptedNlu() {}

  /** Returns an engine with nothing scripted. */
  public static ScriptedNlu create() {
    return new ScriptedNlu();
  }

  /** Starts scripting the answer to {@code utterance}; finish with one of the {@code then} methods. */
  public When when(String utterance) {
    Objects.requireNonNull(utterance, "utterance");
    if (utterance.isBlank()) {
      throw new IllegalArgumentException("utterance must not be blank");
    }
    return new When(key(utterance));
  }

  /** The texts this engine was asked to interpret, oldest first, as the router passed them. */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  @Override
  public Optional<NluResult> understand(NluQuery query) {
    queries.add(query.text());
    return Optional.ofNullable(answers.get(key(query.text())));
  }

  private static String key(String utterance) {
    return WHITESPACE.matcher(utterance.trim()).replaceAll(" ").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "ScriptedNlu{" + answers.size() + " sentences}";
  }

  /** The answer being scripted for one sentence. Use it once, right away. */
  public final class When {
    private final String key;

    private When(String key) {
      this.key = key;
    }

    /** Answers the sentence with {@code route}, no attributes, confidence 1. */
    public ScriptedNlu thenRoute(String route) {
      return thenRoute(route, Map.of(), 1.0);
    }

    /** Answers the sentence with {@code route} and {@code attributes}, confidence 1. */
    public ScriptedNlu thenRoute(String route, Map<String, String> attributes) {
      return thenRoute(route, attributes, 1.0);
    }

    /**
     * Answers the sentence with {@code route}, {@code attributes} and {@code confidence} (0..1); below the
     * router's threshold (0.6 by default) the bot asks "did you mean" instead of acting.
     */
    public ScriptedNlu thenRoute(String route, Map<String, String> attributes, double confidence) {
      answers.put(key, new NluResult(route, attributes, confidence));
      return ScriptedNlu.this;
    }
  }
}
