package ai.chatops.store.dynamodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

final class DecimalsTest {
  @Test
  void secondsAreExactDecimalsAndRoundTrip() {
    for (String text : new String[] {"2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000000001Z",
        "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z"}) {
      Instant instant = Instant.parse(text);
      assertThat(Decimals.instant(Decimals.seconds(instant))).as(text).isEqualTo(instant);
    }
    assertThat(Decimals.seconds(Instant.parse("2030-01-01T00:00:00.5Z"))).isEqualTo("1893456000.5");
    assertThat(Decimals.seconds(Instant.parse("2030-01-01T00:00:00Z"))).isEqualTo("1893456000");
  }

  @Test
  void ttlSecondsRoundUp() {
    assertThat(Decimals.ttlSeconds(Instant.parse("2030-01-01T00:00:00Z"))).isEqualTo("1893456000");
    assertThat(Decimals.ttlSeconds(Instant.parse("2030-01-01T00:00:00.000000001Z"))).isEqualTo("1893456001");
  }
}
