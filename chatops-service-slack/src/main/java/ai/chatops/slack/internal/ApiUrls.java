package ai.chatops.slack.internal;

import java.util.Locale;

/**
 * Recognises a plain {@code http(s)} base URL without OkHttp: an ASCII host name or dotted IPv4 address, an
 * optional port, a path of unreserved characters. For such a URL, {@link #canonical} is what OkHttp's
 * {@code HttpUrl} would print for it with a {@code /} added to its path; any other URL (user info, a query,
 * percent-encoding, an international or IPv6 host, dot segments) is left to {@code HttpUrl}, so that a bot
 * whose URL is the usual one starts without loading OkHttp, Kotlin and IDN tables. Stateless.
 */
public final class ApiUrls {
  private ApiUrls() {}

  /** The URL as {@code HttpUrl} would print it, ending in {@code /}; null when only {@code HttpUrl} can tell. */
  public static String canonical(String url) {
    String scheme;
    int rest;
    if (url.startsWith("https://")) {
      scheme = "https";
      rest = "https://".length();
    } else if (url.startsWith("http://")) {
      scheme = "http";
      rest = "http://".length();
    } else {
      return null;
    }
    int slash = url.indexOf('/', rest);
    String authority = slash < 0 ? url.substring(rest) : url.substring(rest, slash);
    String path = slash < 0 ? "/" : url.substring(slash);
    int colon = authority.indexOf(':');
    String host = (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
    String port = colon < 0 ? "" : authority.substring(colon + 1);
    if (!plainHost(host) || !plainPath(path)) {
      return null;
    }
    StringBuilder out = new StringBuilder(url.length() + 1).append(scheme).append("://").append(host);
    if (colon >= 0) {
      if (port.isEmpty() || port.length() > 5 || !digits(port) || port.charAt(0) == '0') {
        return null;
      }
      int number = Integer.parseInt(port);
      if (number > 65535) {
        return null;
      }
      if (number != (scheme.equals("https") ? 443 : 80)) {
        out.append(':').append(number);
      }
    }
    out.append(path);
    if (!path.endsWith("/")) {
      out.append('/');
    }
    return out.toString();
  }

  /** Labels of letters, digits and inner hyphens, no punycode; or a dotted quad without leading zeros. */
  private static boolean plainHost(String host) {
    if (host.isEmpty() || host.length() > 253 || host.startsWith(".") || host.endsWith(".")) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    boolean numeric = true;
    for (String label : labels) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
          || label.startsWith("xn--")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
          return false;
        }
      }
      numeric &= digits(label);
    }
    if (!numeric) {
      return !digits(labels[labels.length - 1]); // a name, not an address OkHttp would read as one
    }
    if (labels.length != 4) {
      return false;
    }
    for (String label : labels) {
      if (label.length() > 3 || label.length() > 1 && label.charAt(0) == '0' || Integer.parseInt(label) > 255) {
        return false;
      }
    }
    return true;
  }

  /** Segments of unreserved characters, without {@code .} and {@code ..}. */
  private static boolean plainPath(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
          || c == '.' || c == '~' || c == '/')) {
        return false;
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static boolean digits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
