package ai.chatops.nlu;

import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.Route;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the router does with an engine's answer to a free-text message: act on it, ask "Did you mean ...?",
 * ask the user to choose between two routes, or nothing. The router's NLU step and {@code NluQuality} (the
 * test kit's measure) decide with the same rule, so the measure reports what users get.
 *
 * <p>The rule is asymmetric: a route marked dangerous ({@code Confirm:} in its plugin's {@code config.yaml})
 * is never proposed over a safe route on thin evidence. When the engine's best answer is a dangerous route
 * and the best safe route is within {@code dangerMargin} of it, both are offered ({@link Kind#CHOOSE}, safe
 * first), however confident the engine is. Otherwise an answer below {@code confirmBelow} is asked about
 * ({@link Kind#CONFIRM}) and one at or above it is acted on ({@link Kind#ACT}; a dangerous route then still
 * asks its own "Run ...?").
 *
 * @param kind what to do
 * @param options the routes to act on or offer: one for {@code ACT} and {@code CONFIRM}, two for
 *     {@code CHOOSE} (the safe one first), none for {@code NONE}
 */
public record NluDecision(Kind kind, List<NluResult> options) {
  /** The default of {@code dangerMargin}: how far ahead of a safe route a dangerous one must be. */
  public static final double DEFAULT_DANGER_MARGIN = 0.3;

  /** What the router does. */
  public enum Kind {
    /** Act on the one option (a dangerous route still asks its own confirmation). */
    ACT,
    /** Ask "Did you mean ...?" about the one option. */
    CONFIRM,
    /** Ask which of the two options was meant. */
    CHOOSE,
    /** The engine did not understand. */
    NONE
  }

  public NluDecision {
    Objects.requireNonNull(kind, "kind");
    options = List.copyOf(options);
  }

  /**
   * Decides what to do with an engine's answer.
   *
   * @param best the engine's answer ({@link NluEngine#understand}), empty when it did not understand
   * @param ranked the engine's closest routes, most confident first ({@link NluEngine#closest}); may be
   *     empty for engines that rank nothing, and then only {@code confirmBelow} decides
   * @param catalog the routes served, to know which are dangerous
   * @param confirmBelow the confidence below which the router asks "Did you mean ...?"
   * @param dangerMargin how far a dangerous route's confidence must be ahead of the best safe one's
   */
  public static NluDecision decide(Optional<NluResult> best, List<NluResult> ranked, Catalog catalog,
      double confirmBelow, double dangerMargin) {
    if (best.isEmpty()) {
      return new NluDecision(Kind.NONE, List.of());
    }
    NluResult first = best.get();
    boolean firstDangerous = dangerous(first, catalog);
    for (NluResult other : ranked) {
      if (!firstDangerous) {
        break;
      }
      if (other.route().equals(first.route()) || dangerous(other, catalog)) {
        continue;
      }
      if (firstDangerous && first.confidence() - other.confidence() < dangerMargin) {
        return new NluDecision(Kind.CHOOSE, List.of(other, first));
      }
      break; // only the closest route of the other kind matters
    }
    return new NluDecision(first.confidence() < confirmBelow ? Kind.CONFIRM : Kind.ACT, List.of(first));
  }

  private static boolean dangerous(NluResult result, Catalog catalog) {
    return catalog.route(result.route()).map(Route::confirm).orElse(false);
  }
}
