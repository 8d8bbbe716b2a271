package ai.chatops.internal;

import java.time.Duration;

/** Durations as the bot writes them to users: "500 ms", "30 s", "5 min", "2 h". */
public final class Durations {
  private Durations() {}

  /** {@code d} in the largest unit that shows it exactly (seconds up to two minutes). */
  public static String describe(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + " ms";
    }
    long seconds = d.toSeconds();
    if (seconds < 120 || seconds % 60 != 0) {
      return seconds + " s";
    }
    return seconds % 3600 == 0 ? seconds / 3600 + " h" : seconds / 60 + " min";
  }
}
