package ai.chatops.jenkins.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.Status.State;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatesTest {
  @ParameterizedTest(name = "{0} after {1} is {2}")
  @CsvSource(nullValues = "null", value = {
      "SUCCESS, null, SUCCESS",
      "SUCCESS, SUCCESS, SUCCESS",
      "SUCCESS, FAILURE, FIXED",
      "SUCCESS, UNSTABLE, FIXED",
      "SUCCESS, ABORTED, SUCCESS",
      "SUCCESS, NOT_BUILT, SUCCESS",
      "FAILURE, null, FAIL",
      "FAILURE, FAILURE, FAIL",
      "FAILURE, SUCCESS, REGRESSION",
      "FAILURE, ABORTED, FAIL",
      "UNSTABLE, SUCCESS, REGRESSION",
      "UNSTABLE, UNSTABLE, FAIL",
      "ABORTED, SUCCESS, ABORTED",
      "NOT_BUILT, FAILURE, ABORTED",
      "null, SUCCESS, ERROR",
      "success, null, ERROR",
      "CANCELLED, null, ERROR",
  })
  void mapsEveryJenkinsResultWithItsPredecessor(String result, String previous, State expected) {
    assertThat(States.ofResult(result, previous)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "null", value = {
      "blue, SUCCESS, SUCCESS, false",
      "blue_anime, SUCCESS, SUCCESS (building), true",
      "red, FAIL, FAIL, false",
      "red_anime, FAIL, FAIL (building), true",
      "yellow, FAIL, FAIL (unstable), false",
      "yellow_anime, FAIL, FAIL (unstable) (building), true",
      "aborted, ABORTED, ABORTED, false",
      "aborted_anime, ABORTED, ABORTED (building), true",
      "grey, null, never built, false",
      "grey_anime, null, never built (building), true",
      "notbuilt, null, never built, false",
      "notbuilt_anime, null, never built (building), true",
      "disabled, null, disabled, false",
      "disabled_anime, null, disabled (building), true",
  })
  void mapsEveryJobColour(String colour, State state, String described, boolean building) {
    States.Colour mapped = States.ofColour(colour);

    assertThat(mapped.state()).isEqualTo(Optional.ofNullable(state));
    assertThat(mapped.describe()).isEqualTo(described);
    assertThat(mapped.building()).isEqualTo(building);
  }

  @Test
  void saysWhenAColourIsUnknown() {
    assertThat(States.ofColour("purple").describe()).isEqualTo("unknown colour purple");
    assertThat(States.ofColour(null).describe()).isEqualTo("unknown");
  }
}
