package ai.chatops.test;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginRoutes;
import java.util.List;
import java.util.Optional;

/** The newcomer's deploy plugin, declared in code with typed attributes, for the kit's own tests. */
final class DeployPlugin implements Plugin {
  static final AttributeType ENV = AttributeType.entity(new EntityDefinition("env", List.of(
      new EntityDefinition.Entry("production", List.of("prod", "live")),
      new EntityDefinition.Entry("staging", List.of("stage")))));

  private final PluginRoutes routes = PluginRoutes.builder("deploy")
      .route("release", r -> r
          .description("Deploys a service")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .attribute(AttributeSpec.builder("ENV", ENV).description("Where to deploy").build())
          .optional("DRY_RUN", AttributeType.BOOLEAN)
          .example("deploy [billing](SERVICE) to [staging](ENV)")
          .handle(this::release))
      .route("scale", r -> r
          .description("Sets the number of replicas")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .required("REPLICAS", AttributeType.INTEGER, "How many replicas?")
          .optional("WAIT", AttributeType.DURATION)
          .handle(call -> Action.reply("Scaling " + call.require("SERVICE") + " to "
              + call.integer("REPLICAS").orElseThrow() + call.duration("WAIT").map(d -> " within " + d).orElse(""))))
      .route("rollback", r -> r
          .description("Rolls a service back")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .confirm()
          .handle(call -> Action.builder("Rolled back " + call.require("SERVICE")).ephemeral(true).build()))
      .build();

  @Override
  public String name() {
    return "deploy";
  }

  @Override
  public Optional<PluginRoutes> routes() {
    return Optional.of(routes);
  }

  private Action release(Invocation call) {
    String service = call.require("SERVICE");
    String env = call.string("ENV").orElse("staging");
    if (call.flag("DRY_RUN").orElse(false)) {
      return Action.reply("Would deploy " + service + " to " + env);
    }
    return Action.builder("Deploying " + service + " to " + env)
        .field("Version", "1.4.2")
        .link("Pipeline", "https://ci.example.com/deploy/" + service)
        .choice("Roll back", "deploy rollback SERVICE=" + service)
        .build();
  }
}
