package ai.chatops.http.internal;

import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;

/** Makes URLs and response bodies safe to put in exception messages and logs. */
public final class Redaction {
  /** The longest body excerpt, in characters, including the trailing {@code ...}. */
  public static final int MAX_EXCERPT_CHARS = 200;

  /** What replaces a secret-looking query parameter value. */
  public static final String MASK = "***";

  private static final List<String> SECRET_NAME_PARTS =
      List.of(
          "token", "secret", "password", "passwd", "pwd", "key", "signature", "sig", "auth",
          "credential", "session", "code");

  private Redaction() {}

  /**
   * The URL without user info and fragment, with the values of secret-looking query parameters (names
   * containing {@code token}, {@code key}, {@code secret}, {@code password}, {@code sig}, ...) masked.
   */
  public static String url(String url) {
    if (url == null) {
      return "";
    }
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      // Not an http(s) URL: drop anything that could be user info and the whole query.
      String safe = url;
      int scheme = safe.indexOf("://");
      int at = safe.indexOf('@', scheme < 0 ? 0 : scheme + 3);
      if (at >= 0) {
        safe = (scheme < 0 ? "" : safe.substring(0, scheme + 3)) + safe.substring(at + 1);
      }
      int query = indexOfAny(safe, '?', '#');
      return excerpt(query < 0 ? safe : safe.substring(0, query));
    }
    return url(parsed);
  }

  /** Like {@link #url(String)}, for a parsed URL. */
  public static String url(HttpUrl url) {
    HttpUrl.Builder builder = url.newBuilder().username("").password("").fragment(null);
    if (url.querySize() > 0) {
      // Rebuilt one by one to keep the parameters in their order.
      builder.query(null);
      for (int i = 0; i < url.querySize(); i++) {
        String name = url.queryParameterName(i);
        String value = url.queryParameterValue(i);
        builder.addQueryParameter(name, value == null ? null : looksSecret(name) ? MASK : value);
      }
    }
    return builder.build().toString();
  }

  /** Whether a parameter of this name probably holds a credential. */
  public static boolean looksSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String part : SECRET_NAME_PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A short single-line excerpt of {@code text}: control and format characters become spaces, runs of
   * whitespace collapse to one space, and text longer than {@link #MAX_EXCERPT_CHARS} is cut and ends in
   * {@code ...}.
   */
  public static String excerpt(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    // Look at a bounded prefix only: the body may be megabytes long.
    String head = text.length() > MAX_EXCERPT_CHARS * 8 ? text.substring(0, MAX_EXCERPT_CHARS * 8) : text;
    StringBuilder out = new StringBuilder(Math.min(head.length(), MAX_EXCERPT_CHARS + 1));
    boolean pendingSpace = false;
    for (int i = 0; i < head.length() && out.length() <= MAX_EXCERPT_CHARS; ) {
      int cp = head.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      out.appendCodePoint(cp);
    }
    boolean cut = out.length() > MAX_EXCERPT_CHARS || head.length() < text.length();
    if (!cut) {
      return out.toString();
    }
    int keep = Math.min(MAX_EXCERPT_CHARS - 3, out.length());
    if (keep > 0 && Character.isHighSurrogate(out.charAt(keep - 1))) {
      keep--;
    }
    return out.substring(0, keep).stripTrailing() + "...";
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
