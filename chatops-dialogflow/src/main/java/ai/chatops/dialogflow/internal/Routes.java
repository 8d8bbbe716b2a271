package ai.chatops.dialogflow.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a route from a DialogFlow intent's action. */
public final class Routes {
  private static final Pattern SHORT = Pattern.compile("([a-z][a-z0-9-]*)\\.([A-Za-z0-9_-]+)");

  private Routes() {}

  /**
   * The route an action names: the action itself when it is a path ({@code /v1/jenkins/build}),
   * {@code /v1/jenkins/build} for the short form {@code jenkins.build}, and empty for anything else (an
   * empty action, DialogFlow's {@code input.unknown}, or {@code smalltalk.greetings.hello}).
   */
  public static Optional<String> fromAction(String action) {
    if (action.startsWith("/v1/")) {
      return Optional.of(action);
    }
    if (action.equals("input.unknown")) {
      return Optional.empty();
    }
    var m = SHORT.matcher(action);
    return m.matches() ? Optional.of("/v1/" + m.group(1) + "/" + m.group(2)) : Optional.empty();
  }
}
