package ai.chatops.dialog.internal;

import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The dialog chain as one step sees it. A new chain object per step, as in OkHttp, so that each step's
 * {@code proceed} calls can be counted and misuse reported against the step that made it.
 */
public final class RealDialogChain implements DialogParser.Chain {
  private final List<DialogParser> parsers;
  private final int index;
  private final Turn turn;
  private final Function<Turn, Outcome> terminal;
  private int calls;

  private RealDialogChain(List<DialogParser> parsers, int index, Turn turn, Function<Turn, Outcome> terminal) {
    this.parsers = parsers;
    this.index = index;
    this.turn = turn;
    this.terminal = terminal;
  }

  /**
   * Runs {@code turn} through {@code parsers} in order, then through {@code terminal}, which decides for a
   * turn that no step resolved.
   */
  public static Outcome run(List<DialogParser> parsers, Turn turn, Function<Turn, Outcome> terminal) {
    return new RealDialogChain(List.copyOf(parsers), 0, turn, terminal).next(turn);
  }

  @Override
  public Turn turn() {
    return turn;
  }

  @Override
  public Outcome proceed(Turn next) {
    Objects.requireNonNull(next, "turn");
    if (++calls > 1) {
      throw new IllegalStateException(
          "dialog parser " + describe(parsers.get(index - 1)) + " must call proceed() at most once");
    }
    return next(next);
  }

  private Outcome next(Turn next) {
    if (index >= parsers.size()) {
      return Objects.requireNonNull(terminal.apply(next), "terminal outcome");
    }
    DialogParser parser = parsers.get(index);
    Outcome outcome = parser.parse(new RealDialogChain(parsers, index + 1, next, terminal));
    if (outcome == null) {
      throw new IllegalStateException("dialog parser " + describe(parser) + " returned null");
    }
    return outcome;
  }

  static String describe(DialogParser parser) {
    return parser.getClass().getName();
  }
}
