package ai.chatops.plugin;

import java.time.Duration;
import java.util.Objects;

/**
 * Something a plugin asks the router to keep watching after it replied, such as a running build. The router
 * calls {@link Plugin#poll(FollowUp)} every {@code interval} until the plugin returns a final action or
 * {@code timeout} passes, and delivers that action into the conversation the request came from.
 *
 * @param key what to watch, meaningful only to the plugin (for example {@code queue:1234}); never a secret
 * @param description what is watched, for the message sent when watching times out ("build api-server #12")
 * @param interval how long to wait between polls, at least one second
 * @param timeout how long to watch before giving up
 */
public record FollowUp(String key, String description, Duration interval, Duration timeout) {
  public FollowUp {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (interval.compareTo(Duration.ofMillis(1)) < 0 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "FollowUp interval must be positive and timeout positive, but were " + interval + ", " + timeout);
    }
  }
}
