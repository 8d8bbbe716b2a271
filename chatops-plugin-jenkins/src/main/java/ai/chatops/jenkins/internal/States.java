package ai.chatops.jenkins.internal;

import ai.chatops.plugin.Status;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps Jenkins build results and job colours onto the universal states. The table is documented in
 * {@code docs/jenkins.md}; keep both in step.
 */
public final class States {
  private States() {}

  /**
   * The state of a finished build from its result and the result of the build before it.
   *
   * <ul>
   *   <li>SUCCESS → SUCCESS, or FIXED when the previous result was FAILURE or UNSTABLE;
   *   <li>FAILURE and UNSTABLE → FAIL, or REGRESSION when the previous result was SUCCESS;
   *   <li>ABORTED and NOT_BUILT → ABORTED;
   *   <li>anything else (no result, a future value) → ERROR.
   * </ul>
   *
   * A previous build that was aborted, not built or is unknown gives no comparison.
   *
   * @param result the build's {@code result}, exactly as Jenkins spells it, or null
   * @param previous the previous build's {@code result}, or null when there is none
   */
  public static Status.State ofResult(String result, String previous) {
    if (result == null) {
      return Status.State.ERROR;
    }
    switch (result) {
      case "SUCCESS":
        return isBad(previous) ? Status.State.FIXED : Status.State.SUCCESS;
      case "FAILURE":
      case "UNSTABLE":
        return "SUCCESS".equals(previous) ? Status.State.REGRESSION : Status.State.FAIL;
      case "ABORTED":
      case "NOT_BUILT":
        return Status.State.ABORTED;
      default:
        return Status.State.ERROR;
    }
  }

  private static boolean isBad(String result) {
    return "FAILURE".equals(result) || "UNSTABLE".equals(result);
  }

  /** A few words saying what a Jenkins result means, for the reply. */
  public static String describeResult(String result) {
    if (result == null) {
      return "no result";
    }
    switch (result) {
      case "SUCCESS":
        return "succeeded";
      case "UNSTABLE":
        return "unstable (tests failed)";
      case "FAILURE":
        return "failed";
      case "NOT_BUILT":
        return "not built";
      case "ABORTED":
        return "aborted";
      default:
        return "finished with the unknown result " + result;
    }
  }

  /**
   * What a job colour says: the state of its last build (absent for jobs never built or disabled), a label,
   * and whether a build is running now ({@code _anime}).
   */
  public record Colour(Optional<Status.State> state, String label, boolean building) {
    /** The label and, while building, " (building)". */
    public String describe() {
      return building ? label + " (building)" : label;
    }
  }

  /**
   * Maps a job colour: blue → SUCCESS, red → FAIL, yellow → FAIL (unstable), aborted → ABORTED, and no state
   * for grey / notbuilt (never built) and disabled. An {@code _anime} suffix means a build is running.
   */
  public static Colour ofColour(String colour) {
    if (colour == null || colour.isBlank()) {
      return new Colour(Optional.empty(), "unknown", false);
    }
    String c = colour.toLowerCase(Locale.ROOT);
    boolean building = c.endsWith("_anime");
    String base = building ? c.substring(0, c.length() - "_anime".length()) : c;
    switch (base) {
      case "blue":
        return new Colour(Optional.of(Status.State.SUCCESS), "SUCCESS", building);
      case "red":
        return new Colour(Optional.of(Status.State.FAIL), "FAIL", building);
      case "yellow":
        return new Colour(Optional.of(Status.State.FAIL), "FAIL (unstable)", building);
      case "aborted":
        return new Colour(Optional.of(Status.State.ABORTED), "ABORTED", building);
      case "grey":
      case "notbuilt":
        return new Colour(Optional.empty(), "never built", building);
      case "disabled":
        return new Colour(Optional.empty(), "disabled", building);
      default:
        return new Colour(Optional.empty(), "unknown colour " + colour, building);
    }
  }
}
