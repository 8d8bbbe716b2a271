package ai.chatops;

import java.time.Duration;
import java.util.Objects;

/**
 * A plugin call ran past the router's plugin timeout. The router tells the user at the deadline, interrupts
 * the plugin's thread and drops a result that arrives later. Its message is meant for the chat user, as for
 * every {@link PluginFailedException}; interceptors see it as the failure of the call's stage.
 */
public final class PluginTimeoutException extends PluginFailedException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  /** A timeout after {@code timeout}, with the message for the user. */
  public PluginTimeoutException(String userMessage, Duration timeout) {
    super(userMessage);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The plugin timeout that ran out. */
  public Duration timeout() {
    return timeout;
  }
}
