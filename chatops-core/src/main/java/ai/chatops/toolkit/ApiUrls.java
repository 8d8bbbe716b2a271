package ai.chatops.toolkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The rule for an API base URL that a service sends its token to: {@code https}, or plain {@code http} to a
 * loopback address (tests, local stand-ins); no user info, query or fragment. A builder checks the URL it is
 * given with {@link #allowed} and refuses the rest with a {@code ConfigurationException} naming the rule.
 * Stateless and thread-safe.
 */
public final class ApiUrls {
  private ApiUrls() {}

  /** The URL with a trailing {@code /}, when it follows the rule; empty otherwise. */
  public static Optional<String> allowed(String url) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
    if (parsed == null || !parsed.username().isEmpty() || !parsed.password().isEmpty() || parsed.query() != null
        || parsed.fragment() != null) {
      return Optional.empty();
    }
    if (!parsed.isHttps() && !isLoopback(parsed.host())) {
      return Optional.empty();
    }
    String text = parsed.toString();
    return Optional.of(text.endsWith("/") ? text : text + "/");
  }

  /**
   * Whether the host is {@code localhost} or a loopback address written literally: a name is never looked up,
   * since a DNS answer can change after the check.
   */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+|[0-9a-f:]+") || !(h.contains(".") || h.contains(":"))) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
