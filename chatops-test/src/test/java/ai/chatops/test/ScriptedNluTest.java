package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.plugin.Catalog;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.service.ChatEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptedNluTest {
  private final ScriptedNlu nlu = ScriptedNlu.create();

  private static NluQuery query(String text) {
    ChatEvent event = ChatEvent.builder("test", "ev-1").channel("C1").user("U1").text(text)
        .time(Instant.EPOCH).build();
    return new NluQuery(text, event, Catalog.of(List.of()));
  }

  @Test
  void answersAScriptedSentenceWithItsRouteAttributesAndFullConfidence() {
    nlu.when("build api on main").thenRoute("/v1/jenkins/build", Map.of("ID", "api", "BRANCH", "main"));

    assertThat(nlu.understand(query("build api on main")))
        .contains(new NluResult("/v1/jenkins/build", Map.of("ID", "api", "BRANCH", "main"), 1.0));
  }

  @Test
  void matchesIgnoringCaseSurroundingSpaceAndRunsOfWhitespace() {
    nlu.when("  Build API on main ").thenRoute("/v1/jenkins/build");

    assertThat(nlu.understand(query("build   api ON Main"))).map(NluResult::route).contains("/v1/jenkins/build");
  }

  @Test
  void givesTheScriptedConfidence() {
    nlu.when("maybe deploy").thenRoute("/v1/ship/deploy", Map.of(), 0.3);

    assertThat(nlu.understand(query("maybe deploy"))).map(NluResult::confidence).contains(0.3);
  }

  @Test
  void doesNotUnderstandAnUnscriptedSentence() {
    nlu.when("build api").thenRoute("/v1/jenkins/build");

    assertThat(nlu.understand(query("build api now"))).isEmpty();
  }

  @Test
  void keepsTheLastAnswerOfASentenceScriptedTwice() {
    nlu.when("ship it").thenRoute("/v1/ship/status").when("SHIP IT").thenRoute("/v1/ship/deploy");

    assertThat(nlu.understand(query("ship it"))).map(NluResult::route).contains("/v1/ship/deploy");
  }

  @Test
  void recordsEveryQueryInArrivalOrder() {
    nlu.when("a").thenRoute("/v1/x/a");

    nlu.understand(query("a"));
    nlu.understand(query("Not scripted"));

    assertThat(nlu.queries()).containsExactly("a", "Not scripted");
  }

  @Test
  void refusesABlankSentenceAndAConfidenceOutsideZeroToOne() {
    assertThatThrownBy(() -> nlu.when(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("utterance must not be blank");
    assertThatThrownBy(() -> nlu.when("x").thenRoute("/v1/x/a", Map.of(), 1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("confidence must be within 0..1 but was 1.5");
  }
}
