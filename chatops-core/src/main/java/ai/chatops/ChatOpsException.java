package ai.chatops;

/**
 * The one unchecked base exception of chatops-java. Subclasses split failures by what the caller does
 * about them: {@link BadRequestException} (answer the sender with a status), {@link ConfigurationException}
 * (fix the configuration), {@link StoreUnavailableException} (retry later), {@link PluginFailedException}
 * (tell the user the action failed).
 *
 * <p>Messages never contain secrets: tokens, signing secrets and credential values are masked before they
 * reach an exception.
 */
public class ChatOpsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ChatOpsException(String message) {
    super(message);
  }

  public ChatOpsException(String message, Throwable cause) {
    super(message, cause);
  }
}
