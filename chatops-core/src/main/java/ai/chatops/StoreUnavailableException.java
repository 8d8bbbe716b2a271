package ai.chatops;

/**
 * A {@code Store} could not complete an operation (the backend is down, throttled or refused). Callers retry
 * later; the router answers the platform with 503 so that it delivers the event again.
 */
public class StoreUnavailableException extends ChatOpsException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
