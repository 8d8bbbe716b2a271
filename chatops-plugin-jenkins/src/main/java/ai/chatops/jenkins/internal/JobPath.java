package ai.chatops.jenkins.internal;

import ai.chatops.PluginFailedException;
import ai.chatops.http.ApiRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The full name of a job as users write it: names separated by {@code /} for folders ({@code team/api-server}),
 * optionally followed by a multibranch branch. Each name becomes a {@code job/<name>} pair of URL segments,
 * encoded so that a name can never change the URL's structure. Immutable.
 */
public final class JobPath {
  // Characters Jenkins refuses in item names (Jenkins.checkGoodName); '/' separates folders here.
  private static final Pattern BAD = Pattern.compile("[?*\\\\%!@#$^&|<>\\[\\]:;\\s\"']");

  private final List<String> names;

  private JobPath(List<String> names) {
    this.names = List.copyOf(names);
  }

  /**
   * Parses what a user typed, such as {@code team/api-server}, {@code /team/api-server/} or a pasted
   * {@code job/team/job/api-server}.
   *
   * @throws PluginFailedException naming the problem when it is not a job name
   */
  public static JobPath parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.trim();
    List<String> names = new ArrayList<>();
    String[] parts = trimmed.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        continue;
      }
      // A pasted URL path: job/team/job/api-server.
      if (part.equals("job") && i + 1 < parts.length && !parts[i + 1].isEmpty()) {
        continue;
      }
      if (part.equals(".") || part.equals("..") || BAD.matcher(part).find()) {
        throw new PluginFailedException(
            "'" + text + "' is not a Jenkins job name: use the job's full name with folders separated by /,"
                + " such as team/api-server");
      }
      names.add(part);
    }
    if (names.isEmpty()) {
      throw new PluginFailedException(
          "Which job? Give its full name, such as ID=team/api-server");
    }
    return new JobPath(names);
  }

  /** The path of a multibranch project's branch job; Jenkins names it with {@code /} encoded as {@code %2F}. */
  public JobPath branch(String branch) {
    List<String> more = new ArrayList<>(names);
    more.add(encodeBranch(branch));
    return new JobPath(more);
  }

  /** The path of a child job found in a folder listing, named exactly as Jenkins names it. */
  public JobPath child(String jenkinsName) {
    List<String> more = new ArrayList<>(names);
    more.add(jenkinsName);
    return new JobPath(more);
  }

  /** A root-level job or folder named exactly as in Jenkins. */
  public static JobPath ofJenkinsName(String jenkinsName) {
    return new JobPath(List.of(jenkinsName));
  }

  /** Jenkins' encoding of a branch name into a job name (branch-api's NameEncoder for {@code %} and {@code /}). */
  static String encodeBranch(String branch) {
    return branch.replace("%", "%25").replace("/", "%2F");
  }

  /** Undoes {@link #encodeBranch}, for showing a branch job's name. */
  static String decodeName(String name) {
    return name.replace("%2F", "/").replace("%2f", "/").replace("%25", "%");
  }

  /** The names as Jenkins knows them. */
  public List<String> names() {
    return names;
  }

  /** Starts a request for {@code job/a/job/b/<more...>}; each name is one encoded path segment. */
  public ApiRequest.Builder request(String method, String... more) {
    ApiRequest.Builder builder = method.equals("POST") ? ApiRequest.post("") : ApiRequest.get("");
    for (String name : names) {
      builder.pathSegment("job").pathSegment(name);
    }
    for (String segment : more) {
      builder.pathSegment(segment);
    }
    return builder;
  }

  /** The key form, names joined by {@code /} (never containing {@code |}, which Jenkins forbids in names). */
  public String key() {
    return String.join("/", names);
  }

  /** Parses {@link #key()}. */
  public static JobPath fromKey(String key) {
    return new JobPath(List.of(key.split("/")));
  }

  /** The name as users read it: folders joined by {@code /}, branch names decoded. */
  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    for (String n : names) {
      shown.add(decodeName(n));
    }
    return String.join("/", shown);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobPath && ((JobPath) o).names.equals(names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }
}
