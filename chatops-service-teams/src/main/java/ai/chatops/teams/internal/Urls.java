package ai.chatops.teams.internal;

import ai.chatops.toolkit.ApiUrls;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The one rule for every URL the Teams service calls or is told about (OpenID metadata, JWKS, token endpoint,
 * an activity's {@code serviceUrl}): {@code https}, or plain {@code http} to a loopback address (tests and
 * local emulators). Stateless and thread-safe.
 */
public final class Urls {
  private Urls() {}

  /** The URL parsed, when it is absolute and follows the rule above; empty otherwise. */
  public static Optional<HttpUrl> allowed(String url) {
    if (url == null || url.isEmpty()) {
      return Optional.empty();
    }
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null || parsed.username().length() > 0 || parsed.password().length() > 0) {
      return Optional.empty();
    }
    if (parsed.isHttps()) {
      return Optional.of(parsed);
    }
    return ApiUrls.isLoopback(parsed.host()) ? Optional.of(parsed) : Optional.empty();
  }

  /** The URL up to and including the last {@code /} of its path, without query: a requester's base URL. */
  public static String base(HttpUrl url) {
    String path = url.encodedPath();
    return url.newBuilder().query(null).fragment(null)
        .encodedPath(path.substring(0, path.lastIndexOf('/') + 1)).build().toString();
  }

  /** The last path segment, encoded, possibly empty. */
  public static String lastSegment(HttpUrl url) {
    String path = url.encodedPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
