package ai.chatops.test;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluDecision;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.Route;
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
 * expected attributes as {@code NAME=value}; blank lines and lines starting with {@code #} are skipped. The
 * route {@value #NO_ACTION} marks a message the bot must not act on ("thanks!", "never mind"): such a case is
 * right (exact and route) when the router would not act on any route, asking or not understanding.
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

  /** The expected route of a message the bot must not act on. */
  public static final String NO_ACTION = "-";

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
   * @param intents how many got the right route (route only, whatever the attributes)
   * @param parameters how many got the right route and exactly the right attributes (exact)
   * @param misses one line per case that was not fully right, saying what came and what was expected
   * @param asked how many the router would ask about rather than act on ("Did you mean ...?", or a choice
   *     between two routes), right or wrong
   * @param wrongAndActed how many the router would act on without asking although the answer was not exact;
   *     for a dangerous ({@code Confirm:}) route, proposing it alone ("Did you mean ...?") counts as acting,
   *     since its own "Run ...?" asks the same one-click question
   * @param actedExactly how many the router would act on at once, and rightly
   * @param routes the same figures route by route ({@link RouteFigures}), by route path, in file order
   */
  public record Report(int cases, int intents, int parameters, List<String> misses, int asked,
      int wrongAndActed, int actedExactly, Map<String, RouteFigures> routes) {
    public Report {
      misses = List.copyOf(misses);
      routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }

    /** A report of route and exact counts only, as before the router's decision was measured. */
    public Report(int cases, int intents, int parameters, List<String> misses) {
      this(cases, intents, parameters, misses, 0, 0, 0, Map.of());
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

    /**
     * A table, one line per route and one for all: cases, exact, route only, asked when unsure, wrong and
     * acted, and acted on exactly.
     */
    public String table() {
      StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
          "%-24s %5s %13s %13s %6s %15s %13s%n", "route", "cases", "exact", "route", "asked", "wrong+acted",
          "acted exactly"));
      routes.forEach((route, f) -> sb.append(row(route, f.cases(), f.exact(), f.route(), f.asked(),
          f.wrongAndActed(), f.actedExactly())));
      sb.append(row("all", cases, parameters, intents, asked, wrongAndActed, actedExactly));
      return sb.toString();
    }

    private static String row(String name, int cases, int exact, int route, int asked, int wrong, int acted) {
      return String.format(java.util.Locale.ROOT, "%-24s %5d %13s %13s %6d %15d %13s%n", name, cases,
          share(exact, cases), share(route, cases), asked, wrong, share(acted, cases));
    }

    private static String share(int n, int of) {
      return String.format(java.util.Locale.ROOT, "%d (%.1f%%)", n, of == 0 ? 0.0 : 100.0 * n / of);
    }
  }

  /**
   * The figures of one route.
   *
   * @param cases how many cases expect this route
   * @param exact how many of them got it with exactly the right attributes
   * @param route how many got this route, whatever the attributes
   * @param asked how many of them the router would ask about
   * @param wrongAndActed how many times the router would act on this route (or, for a dangerous route,
   *     propose it alone) when the answer was not exactly right: other routes' cases included, since that is
   *     where acting on a dangerous route does harm
   * @param actedExactly how many of this route's cases the router would act on at once, and rightly
   */
  public record RouteFigures(int cases, int exact, int route, int asked, int wrongAndActed, int actedExactly) {}

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

  /**
   * Runs every case through {@code nlu} without a catalog: every trained route counts, none is dangerous,
   * and the router's default threshold (0.6) decides between acting and asking.
   */
  public static Report evaluate(LocalNlu nlu, List<Case> cases) {
    return measure(cases, text -> new Answer(nlu.understand(text), nlu.rank(text, 3)), Catalog.of(List.of()),
        DEFAULT_CONFIRM_BELOW, NluDecision.DEFAULT_DANGER_MARGIN);
  }

  /**
   * Runs every case through any engine (the local one, DialogFlow, a language model) as the router's NLU
   * step does: only the catalog's routes count, its {@code Confirm:} routes are dangerous, and the router's
   * default threshold (0.6) and danger margin decide between acting and asking.
   */
  public static Report evaluate(NluEngine engine, Catalog catalog, List<Case> cases) {
    return evaluate(engine, catalog, cases, DEFAULT_CONFIRM_BELOW, NluDecision.DEFAULT_DANGER_MARGIN);
  }

  /**
   * Runs every case through any engine with the router's threshold and danger margin as given
   * ({@code EventRouter.Builder.nluThreshold}, {@link NluDecision}).
   */
  public static Report evaluate(NluEngine engine, Catalog catalog, List<Case> cases, double confirmBelow,
      double dangerMargin) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(catalog, "catalog");
    int[] n = {0};
    return measure(cases, text -> {
      n[0]++; // one conversation per case: engines that remember conversations see no earlier case
      NluQuery query = new NluQuery(text, ChatEvent.builder("nlu-quality", "q" + n[0]).workspace("W")
          .channel("C" + n[0]).user("U").text(text).time(java.time.Instant.EPOCH).build(), catalog);
      // An engine's text answer (a clarifying question) is no route: a miss.
      return new Answer(engine.understand(query).filter(r -> r.answer().isEmpty()), engine.closest(query, 3));
    }, catalog, confirmBelow, dangerMargin);
  }

  /** The router's default {@code nluThreshold}. */
  private static final double DEFAULT_CONFIRM_BELOW = 0.6;

  private record Answer(Optional<NluResult> best, List<NluResult> ranked) {}

  private static final class Tally {
    int cases;
    int exact;
    int route;
    int asked;
    int wrongAndActed;
    int actedExactly;

    RouteFigures figures() {
      return new RouteFigures(cases, exact, route, asked, wrongAndActed, actedExactly);
    }
  }

  private static Report measure(List<Case> cases, java.util.function.Function<String, Answer> engine,
      Catalog catalog, double confirmBelow, double dangerMargin) {
    Map<String, Tally> byRoute = new LinkedHashMap<>();
    Tally all = new Tally();
    List<String> misses = new ArrayList<>();
    for (Case c : cases) {
      byRoute.computeIfAbsent(c.route(), r -> new Tally());
    }
    for (Case c : cases) {
      Answer answer = engine.apply(c.utterance());
      Optional<NluResult> result = answer.best();
      NluDecision decision = NluDecision.decide(result, answer.ranked(), catalog, confirmBelow, dangerMargin);
      boolean asked = decision.kind() == NluDecision.Kind.CONFIRM || decision.kind() == NluDecision.Kind.CHOOSE;
      boolean dangerousAlone = decision.kind() == NluDecision.Kind.CONFIRM
          && catalog.route(result.get().route()).map(Route::confirm).orElse(false);
      boolean acted = decision.kind() == NluDecision.Kind.ACT || dangerousAlone;
      boolean leaveAlone = c.route().equals(NO_ACTION);
      boolean routeOk = leaveAlone ? !acted : result.isPresent() && result.get().route().equals(c.route());
      boolean exact = leaveAlone ? !acted : routeOk && result.get().attributes().equals(c.attributes());
      Tally expected = byRoute.get(c.route());
      for (Tally t : List.of(expected, all)) {
        t.cases++;
        t.exact += exact ? 1 : 0;
        t.route += routeOk ? 1 : 0;
        t.asked += asked ? 1 : 0;
        t.actedExactly += exact && !leaveAlone && decision.kind() == NluDecision.Kind.ACT ? 1 : 0;
      }
      if (acted && !exact) {
        all.wrongAndActed++;
        byRoute.computeIfAbsent(result.get().route(), r -> new Tally()).wrongAndActed++;
      }
      if (leaveAlone ? !exact : !exact || decision.kind() != NluDecision.Kind.ACT) {
        misses.add(c.utterance() + " -> " + result.map(r -> r.route() + " " + r.attributes()
            + String.format(java.util.Locale.ROOT, " %.2f", r.confidence())).orElse("nothing")
            + (decision.kind() == NluDecision.Kind.ACT || decision.kind() == NluDecision.Kind.NONE ? ""
                : " (" + decision.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + (decision.kind() == NluDecision.Kind.CHOOSE ? " " + decision.options().get(0).route() + " or "
                        + decision.options().get(1).route() : "") + ")")
            + ", expected " + c.route() + " " + c.attributes());
      }
    }
    Map<String, RouteFigures> routes = new LinkedHashMap<>();
    byRoute.forEach((r, t) -> routes.put(r, t.figures()));
    return new Report(all.cases, all.route, all.exact, misses, all.asked, all.wrongAndActed, all.actedExactly,
        routes);
  }
}
