package ai.chatops.dialog;

/**
 * One step of the dialog chain that turns a chat message into an {@link Outcome}, in the shape of OkHttp's
 * interceptors. A step may look at the {@link Turn}, transform it and {@linkplain Chain#proceed proceed}
 * once, inspect or replace what the rest of the chain returned, or short-circuit by returning an outcome
 * without proceeding.
 *
 * <pre>{@code
 * DialogParser shout = chain -> {
 *   Turn turn = chain.turn();
 *   return chain.proceed(turn.withText(turn.text().toLowerCase(Locale.ROOT)));
 * };
 * }</pre>
 *
 * <p>The chain fails loudly on misuse: calling {@code proceed} twice, or returning {@code null}, throws an
 * {@link IllegalStateException} naming the step. Steps are shared by all events, so they are thread-safe
 * (usually stateless).
 */
@FunctionalInterface
public interface DialogParser {
  /** Handles the turn of {@code chain}, usually by calling {@link Chain#proceed} once. */
  Outcome parse(Chain chain);

  /** The rest of the dialog chain, as seen from one step. */
  interface Chain {
    /** The turn as it reached this step. */
    Turn turn();

    /**
     * Passes the turn to the next step and returns what the rest of the chain made of it. At most once per
     * step.
     */
    Outcome proceed(Turn turn);
  }
}
