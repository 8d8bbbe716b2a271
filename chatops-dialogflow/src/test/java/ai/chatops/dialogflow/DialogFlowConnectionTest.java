package ai.chatops.dialogflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.nlu.NluQuery;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.PluginResources;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.service.ChatEvent;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.dialogflow.v2.QueryResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DialogFlowConnectionTest {
  private final FakeSessions sessions = new FakeSessions();
  private final FakeAgent agent = new FakeAgent();
  private InProcessDialogFlow server;

  @BeforeEach
  void start() throws Exception {
    server = new InProcessDialogFlow(sessions, agent.intentsService, agent.entityTypesService);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private DialogFlowConnection connection() {
    return DialogFlowConnection.builder().projectId("my-agent").credentialsProvider(NoCredentialsProvider.create())
        .transportChannelProvider(server.transport()).build();
  }

  @Test
  void oneConnectionServesTheEngineAndTheSync() {
    DialogFlowConnection connection = connection();
    sessions.answer(QueryResult.newBuilder().setAction("input.unknown").build());
    ChatEvent event = ChatEvent.builder("slack", "Ev1").workspace("T1").channel("C1").user("U1").text("hi")
        .time(Instant.parse("2026-01-01T10:00:00Z")).build();

    try (DialogFlowNlu nlu = DialogFlowNlu.builder().connection(connection).build();
        AgentSync sync = AgentSync.builder().connection(connection)
            .add(TrainingSet.load(PluginResources.of("deploy", getClass().getClassLoader()))).build()) {
      assertThat(nlu.understand(new NluQuery("hi", event, Catalog.of(List.of())))).isEmpty();
      assertThat(sync.plan().changes()).isNotEmpty();
    }

    assertThat(sessions.requests()).singleElement()
        .satisfies(r -> assertThat(r.getSession()).startsWith("projects/my-agent/agent/sessions/"));
  }

  @Test
  void aBuilderSettingAfterTheConnectionChangesOnlyThatSetting() {
    try (DialogFlowNlu nlu = DialogFlowNlu.builder().connection(connection()).projectId("other-agent").build()) {
      assertThat(nlu).hasToString("DialogFlowNlu{project=other-agent, language=en}");
    }
  }

  @Test
  void newBuilderMakesAVariantAndLeavesTheOriginalAlone() {
    DialogFlowConnection global = DialogFlowConnection.builder().projectId("my-agent").build();
    DialogFlowConnection regional =
        global.newBuilder().endpoint("europe-west1-dialogflow.googleapis.com:443").build();

    assertThat(global.endpoint()).isEmpty();
    assertThat(regional.endpoint()).contains("europe-west1-dialogflow.googleapis.com:443");
    assertThat(regional.projectId()).isEqualTo("my-agent");
  }

  @Test
  void aKeyFileReplacesAProviderAndTheOtherWayRound() {
    DialogFlowConnection file = DialogFlowConnection.builder().projectId("my-agent")
        .credentialsProvider(NoCredentialsProvider.create()).credentialsFile(Path.of("key.json")).build();
    DialogFlowConnection provider = file.newBuilder().credentialsProvider(NoCredentialsProvider.create()).build();

    assertThat(file.credentialsProvider()).isEmpty();
    assertThat(file.credentialsFile()).contains(Path.of("key.json"));
    assertThat(provider.credentialsFile()).isEmpty();
    assertThat(provider.credentialsProvider()).isPresent();
  }

  @Test
  void printsWhereTheCredentialsComeFromAndNothingMore() {
    assertThat(DialogFlowConnection.builder().projectId("my-agent").build()).hasToString(
        "DialogFlowConnection{project=my-agent, endpoint=default, credentials=application default}");
    assertThat(connection()).hasToString(
        "DialogFlowConnection{project=my-agent, endpoint=default, credentials=a provider, transport=custom}");
  }

  @Test
  void needsAProjectId() {
    assertThatThrownBy(() -> DialogFlowConnection.builder().build())
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessage("a DialogFlow connection needs the Google Cloud project id of the agent, but it was not set;"
            + " call DialogFlowConnection.builder().projectId(...)");
    assertThatThrownBy(() -> DialogFlowConnection.builder().projectId(" ").build())
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessage("a DialogFlow connection needs the Google Cloud project id of the agent, but it was blank;"
            + " call DialogFlowConnection.builder().projectId(...)");
  }
}
