package ai.chatops.jenkins.internal;

import ai.chatops.http.ApiException;
import java.time.Duration;
import java.util.List;

/** Small formatting helpers for replies. */
public final class Texts {
  private Texts() {}

  /** A duration as people say it: {@code 45 s}, {@code 2 min 5 s}, {@code 1 h 3 min}. */
  public static String duration(Duration d) {
    if (!d.isNegative() && d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + " ms";
    }
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
    }
    return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + ((s % 3600) / 60) + " min");
  }

  /** The first {@code max} names joined by commas, with "and N more" after. */
  public static String some(List<String> names, int max) {
    if (names.isEmpty()) {
      return "none";
    }
    if (names.size() <= max) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, max)) + " and " + (names.size() - max) + " more";
  }

  /** What went wrong, without the method and URL: {@code 500 Server Error: excerpt}. */
  public static String problem(ApiException e) {
    String message = e.getMessage();
    int at = message.indexOf(" failed: ");
    String problem = at < 0 ? message : message.substring(at + " failed: ".length());
    // Jenkins and proxies answer errors with HTML pages: keep their words, not their tags.
    return problem.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
  }
}
