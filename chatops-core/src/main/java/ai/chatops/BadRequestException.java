package ai.chatops;

/**
 * A request the router or a {@code ServiceHandler} refuses: bad signature, stale timestamp, malformed body,
 * unknown path, oversized body. Carries the HTTP status to answer with and a short reason that is safe to
 * send back to the caller.
 */
public class BadRequestException extends ChatOpsException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the exception.
   *
   * @param status the HTTP status to answer with, 400 to 499
   * @param reason a short reason safe to show the sender, naming what was wrong
   */
  public BadRequestException(int status, String reason) {
    super(reason);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("status must be 400..499 but was " + status);
    }
    this.status = status;
  }

  /** The HTTP status to answer with (400 to 499). */
  public int status() {
    return status;
  }
}
