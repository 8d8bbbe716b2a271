package ai.chatops.mcp;

import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginRoutes;
import ai.chatops.plugin.TrainingSet;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A plugin with routes in code and typed attributes (integer, boolean, duration, closed and open entities), a
 * route that fails, one that hangs past the plugin timeout, and one that starts something to follow.
 */
final class DeployPlugin implements Plugin {
  static final AttributeType ENV = AttributeType.entity(new EntityDefinition("env", List.of(
      new EntityDefinition.Entry("production", List.of("prod", "live")),
      new EntityDefinition.Entry("staging", List.of("stage")))));
  static final AttributeType REGION = AttributeType.entity(new EntityDefinition("region", List.of(
      new EntityDefinition.Entry("eu-west-1", List.of("ireland")),
      new EntityDefinition.Entry("us-east-1", List.of("virginia"))), true));

  final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  /** Released when the test ends, so a hung call's thread does not outlive it. */
  final CountDownLatch release = new CountDownLatch(1);

  private final PluginRoutes routes = PluginRoutes.builder("deploy")
      .route("service", r -> r
          .description("Deploys a service")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .attribute(AttributeSpec.builder("ENV", ENV).required(true).description("Where to deploy").build())
          .attribute(AttributeSpec.builder("REPLICAS", AttributeType.INTEGER).description("How many copies")
              .build())
          .optional("DRY_RUN", AttributeType.BOOLEAN)
          .optional("WAIT", AttributeType.DURATION)
          .optional("REGION", REGION)
          .handle(this::deploy))
      .route("rollback", r -> r
          .description("Rolls a service back")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .handle(call -> {
            invocations.add(call);
            throw new PluginFailedException("Sorry, " + call.require("SERVICE") + " has no earlier release.");
          }))
      .route("drain", r -> r
          .description("Drains a node")
          .handle(call -> {
            invocations.add(call);
            try {
              release.await(30, TimeUnit.SECONDS); // interrupted at the plugin timeout
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Action.reply("drained");
          }))
      .route("release", r -> r
          .description("Releases a service and follows the rollout")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .handle(call -> {
            invocations.add(call);
            return Action.builder("Rolling out " + call.require("SERVICE"))
                .followUp(new FollowUp("rollout:" + call.require("SERVICE"), "the rollout of "
                    + call.require("SERVICE"), Duration.ofMillis(50), Duration.ofMinutes(5)))
                .build();
          }))
      .route("restart", r -> r
          .description("Restarts a service")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .confirm()
          .handle(this::deploy))
      .build();

  private Action deploy(Invocation call) {
    invocations.add(call);
    return Action.reply("deployed " + new TreeMap<>(call.attributes()));
  }

  @Override
  public String name() {
    return "deploy";
  }

  @Override
  public Optional<PluginRoutes> routes() {
    return Optional.of(routes);
  }

  @Override
  public PluginConfig config() {
    return PluginConfig.parse("deploy", "inline", new StringReader("Version: 1.0.0\n"), routes.routes());
  }

  @Override
  public Optional<TrainingSet> trainingSet() {
    return Optional.empty();
  }

  @Override
  public Optional<Action> poll(FollowUp followUp) {
    return Optional.of(Action.reply(followUp.description() + " finished: SUCCESS"));
  }
}
