package ai.chatops.access;

import ai.chatops.ChatOpsException;
import java.util.Objects;

/**
 * The access rules or a rate limit refused a plugin call before the plugin ran. Its message is the reply for
 * the user ("Sorry, you may not run /v1/jenkins/deploy: the rule Access.deploy allows only
 * {@literal @}release-managers."); {@link #reason()} is the bare reason the audit entry keeps. Interceptors outside the
 * access step see it as the failure of the call's stage.
 */
public final class AccessRefusedException extends ChatOpsException {
  private static final long serialVersionUID = 1L;

  /** What refused the call. */
  public enum Kind {
    /** An access rule, or the policy's default for routes without one. */
    ACCESS_RULE,
    /** A user's or a route's rate limit. */
    RATE_LIMIT
  }

  private final Kind kind;
  private final String reason;

  /** A refusal of {@code kind}, with the reply for the user and the bare reason. */
  public AccessRefusedException(Kind kind, String userMessage, String reason) {
    super(userMessage);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** What refused the call. */
  public Kind kind() {
    return kind;
  }

  /** The bare reason, such as "the rule Access.deploy allows only @release-managers". */
  public String reason() {
    return reason;
  }
}
