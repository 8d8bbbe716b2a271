package ai.chatops.spring;

import ai.chatops.EventRouter;
import ai.chatops.plugin.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code chatops} health contributor: UP when every plugin's health check is good, DOWN otherwise (Jenkins
 * unreachable), with each plugin's state and detail. Each call runs the plugins' checks, which may call their
 * backends. Thread-safe.
 */
public final class ChatOpsHealthIndicator implements HealthIndicator {
  private final EventRouter router;

  public ChatOpsHealthIndicator(EventRouter router) {
    this.router = router;
  }

  @Override
  public Health health() {
    Map<String, Status> checks = router.healthChecks();
    boolean good = checks.values().stream().allMatch(s -> s.state().isGood());
    Health.Builder health = good ? Health.up() : Health.down();
    for (Map.Entry<String, Status> check : checks.entrySet()) {
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("state", check.getValue().state().name());
      detail.put("detail", check.getValue().detail());
      health.withDetail(check.getKey(), detail);
    }
    return health.build();
  }
}
