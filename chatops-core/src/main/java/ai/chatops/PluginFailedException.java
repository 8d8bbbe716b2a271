package ai.chatops;

/**
 * A plugin could not carry out an action. Plugins throw it with a message meant for the chat user ("job
 * api-server does not exist"); the router replies with that message. Any other exception from a plugin is
 * reported to the user as an internal error with the event id, and logged in full.
 */
public class PluginFailedException extends ChatOpsException {
  private static final long serialVersionUID = 1L;

  public PluginFailedException(String userMessage) {
    super(userMessage);
  }

  public PluginFailedException(String userMessage, Throwable cause) {
    super(userMessage, cause);
  }
}
