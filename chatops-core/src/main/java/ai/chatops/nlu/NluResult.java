package ai.chatops.nlu;

import java.util.Map;
import java.util.Objects;

/**
 * What an {@link NluEngine} understood.
 *
 * @param route the route path, such as {@code /v1/jenkins/build}
 * @param attributes attribute values by their UPPER_SNAKE name
 * @param confidence from 0 (a guess) to 1 (certain)
 * @param via what proposed the route, carried into the invocation and its audit entry:
 *     {@link ai.chatops.plugin.Invocation#VIA_CHAT} for an engine that only classifies the user's words, or a
 *     short name such as {@code llm:gpt-4o} for a language model that proposed the call
 */
public record NluResult(String route, Map<String, String> attributes, double confidence, String via) {
  public NluResult {
    Objects.requireNonNull(route, "route");
    attributes = Map.copyOf(attributes);
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be within 0..1 but was " + confidence);
    }
    Objects.requireNonNull(via, "via");
  }

  /** A result of an engine that classifies the user's words: the call is audited as asked in chat. */
  public NluResult(String route, Map<String, String> attributes, double confidence) {
    this(route, attributes, confidence, ai.chatops.plugin.Invocation.VIA_CHAT);
  }
}
