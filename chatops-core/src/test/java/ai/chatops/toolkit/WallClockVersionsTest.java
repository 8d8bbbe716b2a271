package ai.chatops.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

final class WallClockVersionsTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00.000001Z");

  @Test
  void versionsAreMicrosecondsOfTheWallClockAndAlwaysGrow() {
    WallClockVersions versions = new WallClockVersions(Clock.fixed(NOW, ZoneOffset.UTC));
    long micros = NOW.getEpochSecond() * 1_000_000 + 1;

    assertThat(versions.nextAbove(0)).isEqualTo(micros);
    // The clock stands still: the next version is one more.
    assertThat(versions.nextAbove(0)).isEqualTo(micros + 1);
  }

  @Test
  void versionsRiseAboveTheFloorWhenTheClockIsBehind() {
    WallClockVersions versions = new WallClockVersions(Clock.fixed(NOW, ZoneOffset.UTC));
    long ahead = NOW.getEpochSecond() * 1_000_000 + 5_000_000;

    assertThat(versions.nextAbove(ahead)).isEqualTo(ahead + 1);
    assertThat(versions.nextAbove(0)).isEqualTo(ahead + 2);
  }
}
