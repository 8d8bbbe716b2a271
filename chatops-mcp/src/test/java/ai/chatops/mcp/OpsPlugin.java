package ai.chatops.mcp;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.TrainingPhrase;
import ai.chatops.plugin.TrainingSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Jenkins-shaped plugin with a closed entity (ENV), a required attribute, a Confirm route and a secret. */
final class OpsPlugin implements Plugin {
  static final String SECRET = "s3cr3t-jenkins-token";
  static final String CONFIG = String.join("\n",
      "Version: 1.0.0",
      "Credentials:",
      "  JENKINS_API_TOKEN: " + SECRET,
      "Routes:",
      "  - /v1/jenkins/build: Queues a build of job ID",
      "  - /v1/jenkins/stop: Aborts the running build of ID",
      "Attributes:",
      "  ID: [build, stop]",
      "  ENV: [build]",
      "Confirm: [stop]",
      "Access:",
      "  build:",
      "    allow: {users: [U1]}",
      "  stop:",
      "    allow: {users: [U1]}",
      "");

  final List<Invocation> invocations = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "jenkins";
  }

  @Override
  public PluginConfig config() {
    return PluginConfig.parse("jenkins", CONFIG);
  }

  @Override
  public Optional<TrainingSet> trainingSet() {
    return Optional.of(training());
  }

  static TrainingSet training() {
    return new TrainingSet("jenkins", List.of(
        new IntentDefinition("build", "/v1/jenkins/build", List.of(
            new IntentParameter("ID", IntentParameter.ANY, true, List.of("Which job should I build?")),
            new IntentParameter("ENV", "@env", false, List.of())),
            List.of(TrainingPhrase.of("build the job"), TrainingPhrase.of("run a build"))),
        new IntentDefinition("stop", "/v1/jenkins/stop", List.of(
            new IntentParameter("ID", IntentParameter.ANY, true, List.of("Which job should I stop?"))),
            List.of(TrainingPhrase.of("stop the job"), TrainingPhrase.of("abort the build")))),
        List.of(new EntityDefinition("env", List.of(new EntityDefinition.Entry("staging", List.of("stage")),
            new EntityDefinition.Entry("production", List.of("prod"))), false)));
  }

  @Override
  public Action trigger(Invocation invocation) {
    invocations.add(invocation);
    return Action.reply("did " + invocation.action() + " " + new java.util.TreeMap<>(invocation.attributes()));
  }
}
