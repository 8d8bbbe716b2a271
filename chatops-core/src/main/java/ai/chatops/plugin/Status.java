package ai.chatops.plugin;

import java.util.Objects;

/**
 * Ties a job, a version (or build number) and one of the universal states together: the answer of a
 * {@link Plugin#healthCheck()} and the way plugins report builds and deployments.
 *
 * @param job the job, service or plugin the status is about
 * @param version the version or build number, or 0 where there is none
 * @param state one of the universal states
 * @param detail a short human-readable explanation, or the empty string
 */
public record Status(String job, long version, State state, String detail) {
  /** The proposal's universal states, shared by every plugin so that reports read the same. */
  public enum State {
    FAIL,
    ERROR,
    ABORTED,
    REGRESSION,
    SUCCESS,
    FIXED,
    PASSED;

    /** True for SUCCESS, FIXED and PASSED. */
    public boolean isGood() {
      return this == SUCCESS || this == FIXED || this == PASSED;
    }
  }

  public Status {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
  }

  /** A status without version or detail. */
  public static Status of(String job, State state) {
    return new Status(job, 0, state, "");
  }

  /** A status with a detail, such as the reason a health check failed. */
  public static Status of(String job, State state, String detail) {
    return new Status(job, 0, state, detail);
  }
}
