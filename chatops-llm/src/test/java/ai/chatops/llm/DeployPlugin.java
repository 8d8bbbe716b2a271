package ai.chatops.llm;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginRoutes;
import ai.chatops.plugin.TrainingSet;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A plugin with routes in code and typed attributes: integer, boolean, duration, a closed entity with synonyms. */
final class DeployPlugin implements Plugin {
  static final AttributeType ENV = AttributeType.entity(new EntityDefinition("env", List.of(
      new EntityDefinition.Entry("production", List.of("prod", "live")),
      new EntityDefinition.Entry("staging", List.of("stage")))));

  final List<Invocation> invocations = new CopyOnWriteArrayList<>();

  private final PluginRoutes routes = PluginRoutes.builder("deploy")
      .route("service", r -> r
          .description("Deploys a service")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .attribute(AttributeSpec.builder("ENV", ENV).required(true).description("Where to deploy").build())
          .attribute(AttributeSpec.builder("REPLICAS", AttributeType.INTEGER).description("How many copies")
              .build())
          .optional("DRY_RUN", AttributeType.BOOLEAN)
          .optional("WAIT", AttributeType.DURATION)
          .handle(call -> {
            invocations.add(call);
            return Action.reply("deployed " + new TreeMap<>(call.attributes()));
          }))
      .build();

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
}
