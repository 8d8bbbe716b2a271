package ai.chatops.jenkins.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;

/**
 * Keeps Jenkins' session cookie in memory: since Jenkins 2.176 a CSRF crumb is valid only with the session it
 * was issued in. Thread-safe; forgets expired cookies.
 */
final class SessionCookies implements CookieJar {
  private final Map<String, Cookie> cookies = new LinkedHashMap<>();

  @Override
  public synchronized void saveFromResponse(HttpUrl url, List<Cookie> received) {
    for (Cookie cookie : received) {
      cookies.put(cookie.name() + "@" + cookie.domain() + cookie.path(), cookie);
    }
  }

  @Override
  public synchronized List<Cookie> loadForRequest(HttpUrl url) {
    long now = System.currentTimeMillis();
    cookies.values().removeIf(c -> c.expiresAt() < now);
    List<Cookie> matching = new ArrayList<>();
    for (Cookie cookie : cookies.values()) {
      if (cookie.matches(url)) {
        matching.add(cookie);
      }
    }
    return matching;
  }
}
