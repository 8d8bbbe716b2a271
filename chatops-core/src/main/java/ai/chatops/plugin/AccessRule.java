package ai.chatops.plugin;

import java.util.List;
import java.util.Objects;

/**
 * Who may run one route, as declared under {@code Access} in a plugin's {@code config.yaml}: users (their
 * platform ids, such as {@code U0123ABC}), groups of users (defined by the host application) and channels.
 *
 * <pre>{@code
 * Access:
 *   deploy:                      # an action (or full route) declared under Routes
 *     allow:
 *       groups: [release-managers]
 *       channels: [C0DEPLOYS]
 *     deny:
 *       users: [U0INTERN]
 * }</pre>
 *
 * <p>Evaluation, in this order: a user or group listed under {@code deny}, or a channel listed there, refuses;
 * then, if {@code allow} lists users or groups, the user must be one of them or belong to one of them; then,
 * if {@code allow} lists channels, the message must come from one of them. Deny always wins over allow.
 *
 * @param route the full route the rule applies to, such as {@code /v1/jenkins/deploy}
 * @param name the key as written under {@code Access} ({@code deploy} or the full route), used in refusals
 * @param allowUsers user ids allowed, in declared order
 * @param allowGroups group names allowed, without a leading {@code @}
 * @param allowChannels channel ids the route may be run in
 * @param denyUsers user ids refused
 * @param denyGroups group names refused
 * @param denyChannels channel ids the route may not be run in
 */
public record AccessRule(
    String route,
    String name,
    List<String> allowUsers,
    List<String> allowGroups,
    List<String> allowChannels,
    List<String> denyUsers,
    List<String> denyGroups,
    List<String> denyChannels) {

  /** Checks that no component is null and copies the lists. */
  public AccessRule {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(name, "name");
    allowUsers = List.copyOf(allowUsers);
    allowGroups = List.copyOf(allowGroups);
    allowChannels = List.copyOf(allowChannels);
    denyUsers = List.copyOf(denyUsers);
    denyGroups = List.copyOf(denyGroups);
    denyChannels = List.copyOf(denyChannels);
  }

  /** Whether the rule restricts who may run the route (allow lists users or groups). */
  public boolean restrictsPeople() {
    return !allowUsers.isEmpty() || !allowGroups.isEmpty();
  }
}
