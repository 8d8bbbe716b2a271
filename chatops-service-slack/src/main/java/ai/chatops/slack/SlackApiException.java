package ai.chatops.slack;

import ai.chatops.http.ApiException;

/**
 * The Slack Web API answered {@code {"ok": false, "error": "..."}}: the call reached Slack and was refused,
 * for example {@code channel_not_found}, {@code not_in_channel} or {@code invalid_auth}. {@link #error()}
 * holds Slack's error code; the message never holds the token.
 */
public final class SlackApiException extends ApiException {
  private static final long serialVersionUID = 1L;

  private final String error;

  /**
   * Creates the exception.
   *
   * @param method the Web API method, such as {@code chat.postMessage}
   * @param url the request URL
   * @param status the HTTP status of the answer (Slack answers refusals with 200)
   * @param error Slack's error code
   * @param body the answer body
   */
  public SlackApiException(String method, String url, int status, String error, String body) {
    super("POST", url, status, "Slack refused " + method + ": " + error, body, null);
    this.error = error;
  }

  /** Slack's error code, such as {@code channel_not_found}. */
  public String error() {
    return error;
  }
}
