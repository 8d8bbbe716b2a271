package ai.chatops;

/**
 * Configuration that cannot be used: an invalid plugin {@code config.yaml}, a route declared twice, a missing
 * builder setting. The message names the source, the field, the line where known, and what was expected.
 */
public class ConfigurationException extends ChatOpsException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
