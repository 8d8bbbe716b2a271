package ai.chatops.jenkins.internal;

import java.time.Duration;

/**
 * The plugin's options, validated by {@code JenkinsPlugin.Builder}.
 *
 * @param pollInterval the first wait between polls of a queue item
 * @param maxPollInterval the longest wait between polls; every lengthening stops here
 * @param followTimeout how long a build is followed, queue time included
 * @param requestTimeout the longest one Jenkins request may take
 * @param failuresBeforeNotice consecutive failed polls after which the user is told and polling slows down
 * @param crumbFirst fetch a CSRF crumb before the first POST (password authentication)
 */
public record Settings(
    Duration pollInterval,
    Duration maxPollInterval,
    Duration followTimeout,
    Duration requestTimeout,
    int failuresBeforeNotice,
    boolean crumbFirst) {

  /** The interval after {@code current}: twice as long, at most {@link #maxPollInterval}. */
  public Duration longer(Duration current) {
    Duration doubled = current.multipliedBy(2);
    return doubled.compareTo(maxPollInterval) > 0 ? maxPollInterval : doubled;
  }
}
