package ai.chatops.dialog;

import ai.chatops.nlu.NluEngine;

import ai.chatops.dialog.internal.BuiltInSteps;
import ai.chatops.dialog.internal.CommandGrammarStep;
import ai.chatops.dialog.internal.HelpStep;
import ai.chatops.dialog.internal.NluStep;

/**
 * The built-in dialog steps. The router assembles them in this order: {@link #ignoreBots()},
 * {@link #stripMention()}, {@link #normalize()}, {@link #help()}, {@link #conversation}, the host's own steps,
 * {@link #commandGrammar()}, then {@link #nlu}. They are public so that tests and custom chains can use them
 * one at a time.
 */
public final class DialogParsers {
  private DialogParsers() {}

  /** Ignores messages from other bots and from the bot itself. */
  public static DialogParser ignoreBots() {
    return BuiltInSteps.IGNORE_BOTS;
  }

  /** Strips a leading mention ({@code <@U123>}, {@code @bot:}). */
  public static DialogParser stripMention() {
    return BuiltInSteps.STRIP_MENTION;
  }

  /** Normalises whitespace, zero-width characters and typographic quotes; answers an empty message. */
  public static DialogParser normalize() {
    return BuiltInSteps.NORMALIZE;
  }

  /** Answers {@code help} and {@code help <plugin>} from the plugins' declared routes. */
  public static DialogParser help() {
    return new HelpStep();
  }

  /**
   * Keeps half-finished requests in {@code store}: asks for missing required attributes one at a time,
   * asks before routes marked {@code Confirm} and before acting on an interpretation whose confidence is
   * below {@code confirmBelow} ("Did you mean ...?"), and resumes on the answer; {@code cancel} abandons it.
   * Questions expire after {@code timeout}.
   *
   * @param confirmBelow from 0 to 1; 0 never asks about confidence
   */
  public static DialogParser conversation(ai.chatops.store.Store store, java.time.Clock clock,
      java.time.Duration timeout, double confirmBelow) {
    if (!(confirmBelow >= 0 && confirmBelow <= 1)) {
      throw new IllegalArgumentException("confirmBelow must be within 0..1 but was " + confirmBelow);
    }
    return new ai.chatops.dialog.internal.ConversationStep(store, clock, timeout, confirmBelow);
  }

  /** Resolves {@code <plugin> <action> KEY=value ...} to a declared route. */
  public static DialogParser commandGrammar() {
    return new CommandGrammarStep();
  }

  /**
   * Asks {@code engine} about free text; its confidence travels with the outcome, so that the
   * {@link #conversation} step can ask before acting on an unsure interpretation.
   */
  public static DialogParser nlu(NluEngine engine) {
    return new NluStep(java.util.Objects.requireNonNull(engine, "engine"));
  }
}
