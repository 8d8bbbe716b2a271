package ai.chatops.dialogflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ChatOpsException;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.PluginResources;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.dialogflow.v2.CreateEntityTypeRequest;
import com.google.cloud.dialogflow.v2.CreateIntentRequest;
import com.google.cloud.dialogflow.v2.DeleteEntityTypeRequest;
import com.google.cloud.dialogflow.v2.DeleteIntentRequest;
import com.google.cloud.dialogflow.v2.EntityType;
import com.google.cloud.dialogflow.v2.Intent;
import com.google.cloud.dialogflow.v2.IntentView;
import com.google.cloud.dialogflow.v2.ListIntentsRequest;
import com.google.cloud.dialogflow.v2.UpdateEntityTypeRequest;
import com.google.cloud.dialogflow.v2.UpdateIntentRequest;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentSyncTest {
  private static final String AGENT = "projects/my-agent/agent";

  private final FakeAgent agent = new FakeAgent();
  private InProcessDialogFlow server;

  @BeforeEach
  void start() throws Exception {
    server = new InProcessDialogFlow(agent.intentsService, agent.entityTypesService);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private AgentSync.Builder builder() {
    return AgentSync.builder().projectId("my-agent").languageCode("en")
        .credentialsProvider(NoCredentialsProvider.create()).transportChannelProvider(server.transport());
  }

  private AgentSync sync() {
    return builder().add(TrainingSet.load(PluginResources.of("deploy", getClass().getClassLoader()))).build();
  }

  private static Intent.TrainingPhrase.Part text(String text) {
    return Intent.TrainingPhrase.Part.newBuilder().setText(text).build();
  }

  private static Intent.TrainingPhrase.Part value(String text, String alias, String type) {
    return Intent.TrainingPhrase.Part.newBuilder().setText(text).setAlias(alias).setEntityType(type)
        .setUserDefined(true).build();
  }

  private static final Intent SHIP = Intent.newBuilder()
      .setDisplayName("deploy.ship")
      .setAction("/v1/deploy/ship")
      .addParameters(Intent.Parameter.newBuilder().setDisplayName("ID").setValue("$ID")
          .setEntityTypeDisplayName("@sys.any").setMandatory(true).addPrompts("Which service should I ship?"))
      .addParameters(Intent.Parameter.newBuilder().setDisplayName("ENV").setValue("$ENV")
          .setEntityTypeDisplayName("@env"))
      .addTrainingPhrases(Intent.TrainingPhrase.newBuilder().setType(Intent.TrainingPhrase.Type.EXAMPLE)
          .addParts(text("ship ")).addParts(value("api", "ID", "@sys.any")).addParts(text(" to "))
          .addParts(value("prod", "ENV", "@env")))
      .addTrainingPhrases(Intent.TrainingPhrase.newBuilder().setType(Intent.TrainingPhrase.Type.EXAMPLE)
          .addParts(text("deploy ")).addParts(value("billing", "ID", "@sys.any")))
      .build();

  private static final EntityType ENV = EntityType.newBuilder()
      .setDisplayName("env").setKind(EntityType.Kind.KIND_MAP)
      .addEntities(EntityType.Entity.newBuilder().setValue("production").addSynonyms("production")
          .addSynonyms("prod").addSynonyms("live"))
      .addEntities(EntityType.Entity.newBuilder().setValue("staging").addSynonyms("staging").addSynonyms("stage"))
      .build();

  private static final Intent FALLBACK = Intent.newBuilder().setDisplayName("Default Fallback Intent")
      .setAction("input.unknown").setIsFallback(true).build();

  @Test
  void createsEntityTypesThenIntentsInAnEmptyAgentAndLeavesItsOwnIntentsAlone() {
    agent.addIntent(FALLBACK);

    try (AgentSync sync = sync()) {
      AgentSync.Plan done = sync.apply(true);
      assertThat(done.changes()).extracting(Object::toString).containsExactly(
          "CREATE entity type env", "CREATE intent deploy.rollback (/v1/deploy/rollback)",
          "CREATE intent deploy.ship (/v1/deploy/ship)");
    }

    List<Object> writes = agent.writes();
    assertThat(writes).hasSize(3);
    assertThat(writes.get(0)).isEqualTo(CreateEntityTypeRequest.newBuilder().setParent(AGENT)
        .setEntityType(ENV).setLanguageCode("en").build());
    CreateIntentRequest rollback = (CreateIntentRequest) writes.get(1);
    assertThat(rollback.getParent()).isEqualTo(AGENT);
    assertThat(rollback.getIntent().getDisplayName()).isEqualTo("deploy.rollback");
    assertThat(rollback.getIntent().getAction()).isEqualTo("/v1/deploy/rollback");
    assertThat(rollback.getIntent().getTrainingPhrasesCount()).isEqualTo(2);
    assertThat(writes.get(2)).isEqualTo(CreateIntentRequest.newBuilder().setParent(AGENT).setIntent(SHIP)
        .setLanguageCode("en").build());
    assertThat(agent.requests.get(0)).isInstanceOfAny(ListIntentsRequest.class,
        com.google.cloud.dialogflow.v2.ListEntityTypesRequest.class);
    assertThat(agent.requests).filteredOn(r -> r instanceof ListIntentsRequest).first()
        .isEqualTo(ListIntentsRequest.newBuilder().setParent(AGENT).setLanguageCode("en")
            .setIntentView(IntentView.INTENT_VIEW_FULL).build());
    assertThat(agent.intents.values()).extracting(Intent::getDisplayName)
        .containsExactly("Default Fallback Intent", "deploy.rollback", "deploy.ship");
  }

  @Test
  void findsNothingToDoOnceTheAgentMatches() {
    try (AgentSync sync = sync()) {
      sync.apply(false);
      AgentSync.Plan again = sync.plan();

      assertThat(again.isEmpty()).isTrue();
      assertThat(again.render(false)).isEqualTo("The agent matches the plugins.\n");
    }
  }

  @Test
  void updatesWhatDiffersKeepingTheAgentsResourceNames() {
    String ship = agent.addIntent(SHIP.toBuilder().removeTrainingPhrases(1)
        .setParameters(0, SHIP.getParameters(0).toBuilder().clearPrompts()).build());
    String env = agent.addEntityType(ENV.toBuilder().removeEntities(1).build());
    agent.addIntent(rollbackAsInAgent());

    try (AgentSync sync = sync()) {
      AgentSync.Plan done = sync.apply(false);
      assertThat(done.changes()).extracting(Object::toString).containsExactly(
          "UPDATE entity type env [entries]", "UPDATE intent deploy.ship (/v1/deploy/ship) [parameters, training phrases]");
    }

    assertThat(agent.writes()).containsExactly(
        UpdateEntityTypeRequest.newBuilder().setEntityType(ENV.toBuilder().setName(env)).setLanguageCode("en").build(),
        UpdateIntentRequest.newBuilder().setIntent(SHIP.toBuilder().setName(ship)).setLanguageCode("en").build());
  }

  // The rollback intent exactly as the sync would create it, so only ship and env differ.
  private Intent rollbackAsInAgent() {
    FakeAgent scratch = new FakeAgent();
    try (InProcessDialogFlow other = new InProcessDialogFlow(scratch.intentsService, scratch.entityTypesService);
        AgentSync sync = AgentSync.builder().projectId("my-agent").credentialsProvider(NoCredentialsProvider.create())
            .transportChannelProvider(other.transport())
            .add(TrainingSet.load(PluginResources.of("deploy", getClass().getClassLoader()))).build()) {
      sync.apply(false);
      return scratch.intents.values().stream().filter(i -> i.getDisplayName().equals("deploy.rollback"))
          .findFirst().orElseThrow().toBuilder().clearName().build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void deletesWhatNoPluginDeclaresOnlyWhenAsked() {
    agent.addIntent(FALLBACK);
    String old = agent.addIntent(Intent.newBuilder().setDisplayName("deploy.old").setAction("/v1/deploy/old").build());
    String color = agent.addEntityType(EntityType.newBuilder().setDisplayName("color")
        .setKind(EntityType.Kind.KIND_MAP).build());
    agent.addEntityType(EntityType.newBuilder().setDisplayName("size").setKind(EntityType.Kind.KIND_MAP).build());
    agent.addIntent(Intent.newBuilder().setDisplayName("Order pizza").setAction("pizza.order")
        .addParameters(Intent.Parameter.newBuilder().setDisplayName("size").setEntityTypeDisplayName("@size"))
        .build());

    try (AgentSync sync = sync()) {
      sync.apply(false);
      assertThat(agent.writes()).noneMatch(w -> w instanceof DeleteIntentRequest || w instanceof DeleteEntityTypeRequest);

      agent.requests.clear();
      AgentSync.Plan done = sync.apply(true);

      assertThat(done.changes()).extracting(Object::toString).containsExactly(
          "DELETE entity type color", "DELETE intent deploy.old (/v1/deploy/old)");
    }
    assertThat(agent.writes()).containsExactly(
        DeleteIntentRequest.newBuilder().setName(old).build(),
        DeleteEntityTypeRequest.newBuilder().setName(color).build());
    assertThat(agent.entityTypes.values()).extracting(EntityType::getDisplayName).containsExactly("size", "env");
    assertThat(agent.intents.values()).extracting(Intent::getDisplayName)
        .containsExactly("Default Fallback Intent", "Order pizza", "deploy.rollback", "deploy.ship");
  }

  @Test
  void dryRunPrintsTheDifferenceAndChangesNothing() {
    agent.addIntent(FALLBACK);
    agent.addIntent(SHIP.toBuilder().removeTrainingPhrases(0).build());
    agent.addIntent(Intent.newBuilder().setDisplayName("deploy.old").setAction("/v1/deploy/old").build());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = AgentSyncMain.run(List.of("--project", "my-agent", "--dry-run"), getClass().getClassLoader(),
        b -> b.credentialsProvider(NoCredentialsProvider.create()).transportChannelProvider(server.transport()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n",
        "plugins: deploy",
        "+ entity type env",
        "+ intent deploy.rollback (/v1/deploy/rollback)",
        "~ intent deploy.ship (/v1/deploy/ship): training phrases",
        "  intent deploy.old (/v1/deploy/old): no plugin declares it; kept (delete with --delete)",
        "2 to create, 1 to update, 0 to delete.",
        "dry run: nothing changed",
        ""));
    assertThat(agent.writes()).isEmpty();
  }

  @Test
  void theCommandLineAppliesAndDeletesWhenAsked() {
    agent.addIntent(Intent.newBuilder().setDisplayName("deploy.old").setAction("/v1/deploy/old").build());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status = AgentSyncMain.run(List.of("--project", "my-agent", "--language", "en", "--delete"),
        getClass().getClassLoader(),
        b -> b.credentialsProvider(NoCredentialsProvider.create()).transportChannelProvider(server.transport()),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).endsWith(
        "- intent deploy.old (/v1/deploy/old)\n3 to create, 0 to update, 1 to delete.\napplied 4 changes\n");
    assertThat(agent.intents.values()).extracting(Intent::getDisplayName)
        .containsExactly("deploy.rollback", "deploy.ship");
  }

  @Test
  void theCommandLineRefusesBadArguments() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errs = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertThat(AgentSyncMain.run(List.of("--dry-run"), getClass().getClassLoader(), b -> b, System.out, errs))
        .isEqualTo(2);
    assertThat(AgentSyncMain.run(List.of("--project"), getClass().getClassLoader(), b -> b, System.out, errs))
        .isEqualTo(2);
    assertThat(AgentSyncMain.run(List.of("--project", "p", "--force"), getClass().getClassLoader(), b -> b,
        System.out, errs)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("--project is required\nusage: AgentSyncMain")
        .contains("--project needs a value\n").contains("unknown argument '--force'\n");
  }

  @Test
  void namesTheChangeDialogFlowRefused() {
    agent.failWrites = Status.PERMISSION_DENIED;

    try (AgentSync sync = sync()) {
      assertThatThrownBy(() -> sync.apply(false))
          .isExactlyInstanceOf(ChatOpsException.class)
          .hasMessage("DialogFlow agent sync could not create entity type env (after 0 of 3 changes) in project"
              + " my-agent: PERMISSION_DENIED");
    }
  }
}
