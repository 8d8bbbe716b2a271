package ai.chatops.http.internal;

import java.util.Map;

/**
 * Standard reason phrases, so that messages read the same over HTTP/1.1 and HTTP/2 (which has none) and do
 * not depend on what a server chose to send.
 */
public final class ReasonPhrases {
  private static final Map<Integer, String> PHRASES =
      Map.ofEntries(
          Map.entry(200, "OK"),
          Map.entry(201, "Created"),
          Map.entry(202, "Accepted"),
          Map.entry(204, "No Content"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Found"),
          Map.entry(304, "Not Modified"),
          Map.entry(307, "Temporary Redirect"),
          Map.entry(308, "Permanent Redirect"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(406, "Not Acceptable"),
          Map.entry(408, "Request Timeout"),
          Map.entry(409, "Conflict"),
          Map.entry(410, "Gone"),
          Map.entry(412, "Precondition Failed"),
          Map.entry(413, "Content Too Large"),
          Map.entry(415, "Unsupported Media Type"),
          Map.entry(422, "Unprocessable Content"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(501, "Not Implemented"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"));

  private ReasonPhrases() {}

  /** "404 Not Found"; for an unlisted status, the status and the server's phrase when it sent one. */
  public static String describe(int status, String serverPhrase) {
    String phrase = PHRASES.get(status);
    if (phrase == null) {
      phrase = serverPhrase == null ? "" : Redaction.excerpt(serverPhrase);
    }
    return phrase.isEmpty() ? Integer.toString(status) : status + " " + phrase;
  }
}
