package ai.chatops.test;

import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import java.util.concurrent.atomic.AtomicInteger;

/** A small deploy-shaped plugin for the kit's own tests; it counts connects and closes. */
final class ShipPlugin implements Plugin {
  static final String CONFIG = String.join("\n",
      "Version: 1.0.0",
      "Credentials:",
      "  SHIP_TOKEN: from-config",
      "Routes:",
      "  - /v1/ship/deploy: Deploys a service",
      "  - /v1/ship/status",
      "  - /v1/ship/fail",
      "Attributes:",
      "  SERVICE: [deploy, status]",
      "  ENV: [deploy]",
      "");

  final AtomicInteger connects = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  volatile PluginContext context;

  @Override
  public String name() {
    return "ship";
  }

  @Override
  public PluginConfig config() {
    return PluginConfig.parse("ship", CONFIG);
  }

  @Override
  public void connect(PluginContext context) {
    this.context = context;
    connects.incrementAndGet();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }

  @Override
  public Action trigger(Invocation invocation) {
    switch (invocation.action()) {
      case "deploy":
        return Action.reply("Deploying " + invocation.require("SERVICE") + " to "
            + invocation.attribute("ENV").orElse("staging"));
      case "status":
        return Action.builder("All green").field("Service", invocation.attribute("SERVICE").orElse("all")).build();
      default:
        throw new PluginFailedException("the fail route always fails");
    }
  }
}
