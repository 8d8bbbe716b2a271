package ai.chatops.llm;

import ai.chatops.ChatOpsException;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Two engines as one: the first answers when it is confident, the second is asked otherwise. With the local
 * NLU first and a language model second, the model is asked only about messages the local engine is unsure
 * of (the explicit command grammar runs before any engine in the dialog chain):
 *
 * <pre>{@code
 * EventRouter.builder().nlu(NluChain.of(LocalNlu.train(sets), 0.8, llm))
 * }</pre>
 *
 * <p>When the second engine fails, the first's unsure answer (if any) is used, so the event is still
 * understood as well as the first engine can. Thread-safe when both engines are.
 */
public final class NluChain implements NluEngine {
  private final NluEngine first;
  private final double confident;
  private final NluEngine second;

  private NluChain(NluEngine first, double confident, NluEngine second) {
    this.first = Objects.requireNonNull(first, "first");
    this.second = Objects.requireNonNull(second, "second");
    if (!(confident >= 0 && confident <= 1)) {
      throw new IllegalArgumentException("confident must be within 0..1 but was " + confident);
    }
    this.confident = confident;
  }

  /**
   * {@code first} when its confidence is at least {@code confident}, else {@code second}.
   *
   * @param confident from 0 to 1
   */
  public static NluChain of(NluEngine first, double confident, NluEngine second) {
    return new NluChain(first, confident, second);
  }

  @Override
  public Optional<NluResult> understand(NluQuery query) {
    Optional<NluResult> mine = first.understand(query);
    if (mine.isPresent() && mine.get().confidence() >= confident) {
      return mine;
    }
    try {
      Optional<NluResult> theirs = second.understand(query);
      return theirs.isPresent() ? theirs : mine;
    } catch (ChatOpsException | IllegalStateException e) {
      if (mine.isPresent()) {
        return mine;
      }
      throw e;
    }
  }

  @Override
  public List<NluResult> closest(NluQuery query, int limit) {
    return first.closest(query, limit);
  }
}
