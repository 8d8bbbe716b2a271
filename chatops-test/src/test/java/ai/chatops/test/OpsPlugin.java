package ai.chatops.test;

import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** A plugin with access rules in its config, for the access, rate limit and audit tests. */
final class OpsPlugin implements Plugin {
  static final String TOKEN = "s3cr3t-ops-token-value";
  static final String CONFIG = String.join("\n",
      "Version: 1.0.0",
      "Credentials:",
      "  OPS_TOKEN: " + TOKEN,
      "Routes:",
      "  - /v1/ops/deploy",
      "  - /v1/ops/build",
      "  - /v1/ops/status",
      "  - /v1/ops/fail",
      "  - /v1/ops/hang",
      "  - /v1/ops/restart",
      "Attributes:",
      "  SERVICE: [deploy, build, status, restart]",
      "  API_KEY: [build]",
      "  NOTE: [build]",
      "Confirm: [restart]",
      "Access:",
      "  deploy:",
      "    allow:",
      "      groups: [release-managers]",
      "      channels: [C-DEPLOY]",
      "    deny:",
      "      users: [U-BANNED]",
      "  /v1/ops/restart:",
      "    allow:",
      "      users: [U1]",
      "");

  private final MutableClock clock;

  OpsPlugin(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "ops";
  }

  @Override
  public PluginConfig config() {
    return PluginConfig.parse("ops", CONFIG);
  }

  @Override
  public Action trigger(Invocation invocation) {
    switch (invocation.action()) {
      case "build":
        clock.advance(Duration.ofMillis(1500)); // the build takes 1.5 s by the router's clock
        return Action.reply("Building " + invocation.attribute("SERVICE").orElse("all"));
      case "fail":
        throw new PluginFailedException("Sorry, ops is broken today.");
      case "hang":
        try {
          new CountDownLatch(1).await(); // until the router interrupts it at the deadline
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Action.reply("too late");
      default:
        return Action.reply(invocation.action() + " " + invocation.attribute("SERVICE").orElse("all"));
    }
  }
}
