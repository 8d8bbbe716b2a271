package ai.chatops.nlu;

import java.util.Map;
import java.util.Objects;

/**
 * What an {@link NluEngine} understood.
 *
 * @param route the route path, such as {@code /v1/jenkins/build}
 * @param attributes attribute values by their UPPER_SNAKE name
 * @param confidence from 0 (a guess) to 1 (certain)
 */
public record NluResult(String route, Map<String, String> attributes, double confidence) {
  public NluResult {
    Objects.requireNonNull(route, "route");
    attributes = Map.copyOf(attributes);
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be within 0..1 but was " + confidence);
    }
  }
}
