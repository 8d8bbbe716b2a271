package ai.chatops;

import ai.chatops.audit.AuditEntry;
import ai.chatops.plugin.Action;
import java.util.Objects;

/**
 * What became of a call made through {@link EventRouter#invoke}: the outcome the audit entry records (done,
 * denied, rate limited, failed, timed out) and the action to show, which for any outcome but
 * {@link AuditEntry.Outcome#DONE} is the reply that replaces the plugin's ("Sorry, you may not run ...").
 * An agent's tool result, for one, is an error when the call was not done. Immutable.
 *
 * @param outcome what became of the call, as its audit entry says
 * @param action the plugin's action when done, else the refusal or failure worded for the user
 * @param followedInChat whether the router watches the action's follow-up (a build it started) and delivers
 *     its results into the invocation's conversation; false when the action has none, or the router has no
 *     service of that name to deliver them with
 */
public record InvocationResult(AuditEntry.Outcome outcome, Action action, boolean followedInChat) {
  /** Checks that no component is null and that only a done call is followed. */
  public InvocationResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(action, "action");
    if (followedInChat && outcome != AuditEntry.Outcome.DONE) {
      throw new IllegalArgumentException("only a done call is followed, not one " + outcome.wireName());
    }
  }

  /** Whether the plugin ran and returned its action: the outcome is {@link AuditEntry.Outcome#DONE}. */
  public boolean done() {
    return outcome == AuditEntry.Outcome.DONE;
  }
}
