package ai.chatops.test;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.Catalog;
import ai.chatops.service.ChatEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Measures how well an NLU engine understands phrasings it was never trained on: a plugin author keeps a
 * held-out file of such phrasings, and a test asserts the accuracy stays above a goal.
 *
 * <p>The file is UTF-8 text, one case per line, tab-separated: the utterance, the expected route, then the
 * expected attributes as {@code NAME=value}; blank lines and lines starting with {@code #} are skipped.
 *
 * <pre>{@code
 * # held-out phrasings, never copied into training
 * could you build web.frontend on release/3.1	/v1/jenkins/build	ID=web.frontend	BRANCH=release/3.1
 * what jobs are there	/v1/jenkins/jobs
 * }</pre>
 *
 * <pre>{@code
 * NluQuality.Report report = NluQuality.evaluate(nlu, NluQuality.read(in));
 * System.out.println(report);        // NLU held-out: intent 97.5% (78/80), parameters 96.3% (77/80)
 * assertThat(report.intentAccuracy()).isGreaterThanOrEqualTo(0.95);
 * }</pre>
 *
 * <p>A case counts for parameters only when the route is right and the attributes are exactly the expected
 * ones, no more and no fewer.
 */
public final class NluQuality {
  private NluQuality() {}

  /** One held-out phrasing and what it means. */
  public record Case(String utterance, String route, Map<String, String> attributes) {
    public Case {
      Objects.requireNonNull(utterance, "utterance");
      Objects.requireNonNull(route, "route");
      attributes = Map.copyOf(attributes);
    }
  }

  /**
   * What the engine made of the cases.
   *
   * @param cases how many cases were tried
   * @param intents how many got the right route
   * @param parameters how many got the right route and exactly the right attributes
   * @param misses one line per case that was not fully right, saying what came and what was expected
   */
  public record Report(int cases, int intents, int parameters, List<String> misses) {
    public Report {
      misses = List.copyOf(misses);
    }

    /** The share of cases with the right route, from 0 to 1. */
    public double intentAccuracy() {
      return cases == 0 ? 0 : (double) intents / cases;
    }

    /** The share of cases with the right route and exactly the right attributes, from 0 to 1. */
    public double parameterAccuracy() {
      return cases == 0 ? 0 : (double) parameters / cases;
    }

    /** One line: {@code intent 97.5% (78/80), parameters 96.3% (77/80)}. */
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "intent %.1f%% (%d/%d), parameters %.1f%% (%d/%d)",
          100 * intentAccuracy(), intents, cases, 100 * parameterAccuracy(), parameters, cases);
    }
  }

  /**
   * Reads held-out cases in the format above; the stream is not closed.
   *
   * @throws IllegalArgumentException naming the line when a line has no route or an attribute has no
   *     {@code =}
   */
  public static List<Case> read(InputStream in) {
    String text;
    try {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the held-out cases", e);
    }
    List<Case> cases = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] columns = line.split("\t");
      if (columns.length < 2) {
        throw new IllegalArgumentException("held-out line " + (n + 1) + ": expected utterance<TAB>route"
            + "[<TAB>NAME=value...]");
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      for (int i = 2; i < columns.length; i++) {
        int eq = columns[i].indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("held-out line " + (n + 1) + ": '" + columns[i]
              + "' is not NAME=value");
        }
        attributes.put(columns[i].substring(0, eq), columns[i].substring(eq + 1));
      }
      cases.add(new Case(columns[0], columns[1], attributes));
    }
    return cases;
  }

  /** Runs every case through {@code nlu} (without a catalog: every trained route counts). */
  public static Report evaluate(LocalNlu nlu, List<Case> cases) {
    return evaluate(nlu::understand, cases);
  }

  /**
   * Runs every case through any engine (a language model's, DialogFlow), each as a message of user U1 in a
   * channel of its own of a service named {@code quality}, against {@code catalog}'s routes. An engine's text
   * answer (a clarifying question) counts as a miss. Engines that remember conversations see one
   * conversation per case, so the cases do not lean on each other.
   */
  public static Report evaluate(NluEngine engine, Catalog catalog,
      List<Case> cases) {
    int[] n = {0};
    return evaluate(text -> {
      n[0]++;
      ChatEvent event = ChatEvent.builder("quality", "q" + n[0])
          .workspace("W1").channel("C" + n[0]).user("U1").text(text).time(Instant.EPOCH).build();
      return engine.understand(new NluQuery(text, event, catalog))
          .filter(r -> r.answer().isEmpty());
    }, cases);
  }

  private static Report evaluate(Function<String, Optional<NluResult>> nlu, List<Case> cases) {
    int intents = 0;
    int parameters = 0;
    List<String> misses = new ArrayList<>();
    for (Case c : cases) {
      Optional<NluResult> result = nlu.apply(c.utterance());
      boolean intentOk = result.isPresent() && result.get().route().equals(c.route());
      boolean paramsOk = intentOk && result.get().attributes().equals(c.attributes());
      intents += intentOk ? 1 : 0;
      parameters += paramsOk ? 1 : 0;
      if (!paramsOk) {
        misses.add(c.utterance() + " -> " + result.map(r -> r.route() + " " + r.attributes()).orElse("nothing")
            + ", expected " + c.route() + " " + c.attributes());
      }
    }
    return new Report(cases.size(), intents, parameters, misses);
  }
}
