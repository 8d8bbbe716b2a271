package ai.chatops.http;

import ai.chatops.ChatOpsException;
import ai.chatops.http.internal.Redaction;
import java.util.Objects;

/**
 * A call to a remote HTTP API that did not succeed: the server answered with a status outside 200 to 299
 * (after any retries), the response could not be read or mapped, or no response came at all (connection
 * refused, timeout, TLS failure), in which case {@link #status()} is 0.
 *
 * <p>The message reads like {@code GET http://ci.example.com/job/x/api/json failed: 404 Not Found: <excerpt>}.
 * It never holds credentials: the URL loses its user info and the values of secret-looking query parameters,
 * request headers are never included, and the body excerpt is at most 200 characters on one line.
 */
public class ApiException extends ChatOpsException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String method;
  private final String url;
  private final String bodyExcerpt;

  /**
   * Creates the exception; the URL is redacted and the body cut to an excerpt here, so every instance is safe
   * to log.
   *
   * @param method the HTTP method, for example {@code GET}
   * @param url the request URL
   * @param status the HTTP status, or 0 when no response arrived
   * @param problem what went wrong, for example {@code 404 Not Found} or {@code connection refused}
   * @param body the response body or a part of it, or empty
   * @param cause the underlying exception, or {@code null}
   */
  public ApiException(String method, String url, int status, String problem, String body, Throwable cause) {
    super(message(method, url, problem, body), cause);
    if (status != 0 && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("status must be 0 or 100..599 but was " + status);
    }
    this.status = status;
    this.method = Objects.requireNonNull(method, "method");
    this.url = Redaction.url(url);
    this.bodyExcerpt = Redaction.excerpt(body);
  }

  private static String message(String method, String url, String problem, String body) {
    String excerpt = Redaction.excerpt(body);
    return method + " " + Redaction.url(url) + " failed: " + problem + (excerpt.isEmpty() ? "" : ": " + excerpt);
  }

  /** The HTTP status of the last response, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  /** The HTTP method of the request. */
  public String method() {
    return method;
  }

  /** The request URL without user info, fragment, or the values of secret-looking query parameters. */
  public String url() {
    return url;
  }

  /** At most 200 characters of the response body on one line, or empty. */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }
}
