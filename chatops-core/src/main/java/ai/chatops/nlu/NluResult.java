package ai.chatops.nlu;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link NluEngine} understood.
 *
 * @param route the route path, such as {@code /v1/jenkins/build}
 * @param attributes attribute values by their UPPER_SNAKE name
 * @param confidence from 0 (a guess) to 1 (certain)
 * @param via what proposed the route, carried into the invocation and its audit entry:
 *     {@link ai.chatops.plugin.Invocation#VIA_CHAT} for an engine that only classifies the user's words, or a
 *     short name such as {@code llm:gpt-4o} for a language model that proposed the call
 * @param answer what to say to the user instead of invoking anything (a language model's clarifying
 *     question, or why its proposal cannot run); when present, {@code route} is empty and ignored
 */
public record NluResult(String route, Map<String, String> attributes, double confidence, String via,
    Optional<String> answer) {
  public NluResult {
    Objects.requireNonNull(route, "route");
    attributes = Map.copyOf(attributes);
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be within 0..1 but was " + confidence);
    }
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(answer, "answer");
  }

  /** A proposal of {@code via}: a route to invoke, kept in the invocation's audit entry. */
  public NluResult(String route, Map<String, String> attributes, double confidence, String via) {
    this(route, attributes, confidence, via, Optional.empty());
  }

  /** Something to say to the user rather than a route: a clarifying question, or why nothing runs. */
  public static NluResult answer(String text, String via) {
    return new NluResult("", Map.of(), 1, via, Optional.of(Objects.requireNonNull(text, "text")));
  }

  /** A result of an engine that classifies the user's words: the call is audited as asked in chat. */
  public NluResult(String route, Map<String, String> attributes, double confidence) {
    this(route, attributes, confidence, ai.chatops.plugin.Invocation.VIA_CHAT);
  }
}
