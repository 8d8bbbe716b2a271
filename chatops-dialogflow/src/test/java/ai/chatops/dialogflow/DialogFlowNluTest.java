package ai.chatops.dialogflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ChatOpsException;
import ai.chatops.ConfigurationException;
import ai.chatops.plugin.Catalog;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.service.ChatEvent;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.dialogflow.v2.Context;
import com.google.cloud.dialogflow.v2.DetectIntentRequest;
import com.google.cloud.dialogflow.v2.Intent;
import com.google.cloud.dialogflow.v2.QueryResult;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DialogFlowNluTest {
  private static final String SESSIONS = "projects/my-agent/agent/sessions/";

  private final FakeSessions sessions = new FakeSessions();
  private InProcessDialogFlow server;
  private DialogFlowNlu nlu;

  @BeforeEach
  void start() throws Exception {
    server = new InProcessDialogFlow(sessions);
  }

  @AfterEach
  void stop() throws Exception {
    if (nlu != null) {
      nlu.close();
    }
    server.close();
  }

  private DialogFlowNlu.Builder builder() {
    return DialogFlowNlu.builder()
        .projectId("my-agent")
        .languageCode("de")
        .credentialsProvider(NoCredentialsProvider.create())
        .transportChannelProvider(server.transport())
        .initialRetryDelay(Duration.ofMillis(1));
  }

  private static ChatEvent event(String user, String thread) {
    ChatEvent.Builder b = ChatEvent.builder("slack", "Ev" + user).workspace("T1").channel("C1").user(user)
        .text("ignored").time(Instant.parse("2026-01-01T10:00:00Z"));
    return thread == null ? b.build() : b.thread(thread).build();
  }

  private static NluQuery query(String text) {
    return new NluQuery(text, event("U1", null), Catalog.of(List.of()));
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value num(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }

  private static QueryResult.Builder matched(String action, double confidence, Map<String, Value> parameters) {
    return QueryResult.newBuilder()
        .setQueryText("q")
        .setAction(action)
        .setParameters(Struct.newBuilder().putAllFields(parameters))
        .setAllRequiredParamsPresent(true)
        .setIntent(Intent.newBuilder().setName("projects/my-agent/agent/intents/1").setDisplayName("jenkins.build"))
        .setIntentDetectionConfidence((float) confidence)
        .setLanguageCode("de");
  }

  @Test
  void sendsTheTextInTheConversationsSessionAndLanguage() {
    nlu = builder().build();
    sessions.answer(matched("/v1/jenkins/build", 1, Map.of("ID", str("api"))).build());

    nlu.understand(query("build api"));

    DetectIntentRequest request = sessions.requests().get(0);
    assertThat(request.getSession()).startsWith(SESSIONS);
    String sessionId = request.getSession().substring(SESSIONS.length());
    assertThat(sessionId).hasSize(36).matches("[A-Za-z0-9_-]{36}");
    assertThat(request.getQueryInput().getText().getText()).isEqualTo("build api");
    assertThat(request.getQueryInput().getText().getLanguageCode()).isEqualTo("de");
    assertThat(request.getQueryParams().getResetContexts()).isTrue();
    assertThat(request.getQueryParams().getContextsList()).isEmpty();
  }

  @Test
  void keepsOneSessionPerConversation() {
    nlu = builder().build();
    for (int i = 0; i < 4; i++) {
      sessions.answer(matched("/v1/jenkins/build", 1, Map.of()).build());
    }
    Catalog catalog = Catalog.of(List.of());
    nlu.understand(new NluQuery("a", event("U1", null), catalog));
    nlu.understand(new NluQuery("b", event("U1", null), catalog));
    nlu.understand(new NluQuery("c", event("U2", null), catalog));
    nlu.understand(new NluQuery("d", event("U1", "1700000000.1"), catalog));

    List<String> ids = sessions.requests().stream().map(DetectIntentRequest::getSession).toList();
    assertThat(ids.get(0)).isEqualTo(ids.get(1));
    assertThat(ids.get(2)).isNotEqualTo(ids.get(0));
    assertThat(ids.get(3)).isNotEqualTo(ids.get(0)).isNotEqualTo(ids.get(2));
  }

  @Test
  void mapsAFullMatchOntoRouteAttributesAndConfidence() {
    nlu = builder().build();
    sessions.answer(
        matched("/v1/jenkins/build", 0.87, Map.of("ID", str("billing-api"), "branch", str("release/3.1"),
                "job-param", str("DEPLOY=yes"), "NUMBER", num(42)))
            .setFulfillmentText("Building billing-api")
            .build());

    Optional<NluResult> result = nlu.understand(query("could you kick off billing-api on release/3.1"));

    assertThat(result).isPresent();
    assertThat(result.get().route()).isEqualTo("/v1/jenkins/build");
    assertThat(result.get().attributes()).containsExactlyInAnyOrderEntriesOf(
        Map.of("ID", "billing-api", "BRANCH", "release/3.1", "JOB_PARAM", "DEPLOY=yes", "NUMBER", "42"));
    assertThat(result.get().confidence()).isCloseTo(0.87, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void acceptsTheShortFormOfAnAction() {
    nlu = builder().build();
    sessions.answer(matched("jenkins.status", 0.9, Map.of()).build());

    assertThat(nlu.understand(query("status")).map(NluResult::route)).contains("/v1/jenkins/status");
  }

  @Test
  void answersWhatWasFilledWhenARequiredParameterIsMissing() {
    nlu = builder().build();
    sessions.answer(
        matched("/v1/jenkins/build", 0.8, Map.of("ID", str(""), "BRANCH", str("main")))
            .setAllRequiredParamsPresent(false)
            .setFulfillmentText("Which job should I build?")
            .addOutputContexts(Context.newBuilder()
                .setName(SESSIONS + "s/contexts/1a2b_id_dialog_context").setLifespanCount(2))
            .addOutputContexts(Context.newBuilder()
                .setName(SESSIONS + "s/contexts/build_dialog_params_id").setLifespanCount(1))
            .build());

    Optional<NluResult> result = nlu.understand(query("build on main"));

    assertThat(result).contains(new NluResult("/v1/jenkins/build", Map.of("BRANCH", "main"), 0.8f));
  }

  @Test
  void sendsTheLastTurnsContextsWithTheNextQueryButNotDialogFlowsSlotFillingOnes() {
    nlu = builder().build();
    Context deploying = Context.newBuilder().setName(SESSIONS + "x/contexts/deploying").setLifespanCount(4)
        .setParameters(Struct.newBuilder().putFields("ID", str("api"))).build();
    sessions.answer(matched("/v1/jenkins/build", 0.9, Map.of())
        .addOutputContexts(deploying)
        .addOutputContexts(Context.newBuilder().setName(SESSIONS + "x/contexts/1a2b_id_dialog_context")
            .setLifespanCount(2))
        .addOutputContexts(Context.newBuilder().setName(SESSIONS + "x/contexts/__system_counters__")
            .setLifespanCount(1))
        .addOutputContexts(Context.newBuilder().setName(SESSIONS + "x/contexts/spent").setLifespanCount(0))
        .build());
    sessions.answer(matched("/v1/jenkins/status", 0.9, Map.of()).build());
    sessions.answer(matched("/v1/jenkins/status", 0.9, Map.of()).build());

    nlu.understand(query("build api"));
    nlu.understand(query("and its status?"));
    nlu.understand(query("and again?"));

    assertThat(sessions.requests().get(1).getQueryParams().getContextsList()).containsExactly(deploying);
    assertThat(sessions.requests().get(1).getQueryParams().getResetContexts()).isTrue();
    assertThat(sessions.requests().get(2).getQueryParams().getContextsList()).isEmpty();
  }

  @Test
  void forgetsContextsAfterTwentyMinutes() {
    Instant[] now = {Instant.parse("2026-01-01T10:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    nlu = builder().clock(clock).build();
    sessions.answer(matched("/v1/jenkins/build", 0.9, Map.of())
        .addOutputContexts(Context.newBuilder().setName(SESSIONS + "x/contexts/deploying").setLifespanCount(4))
        .build());
    sessions.answer(matched("/v1/jenkins/status", 0.9, Map.of()).build());

    nlu.understand(query("build api"));
    now[0] = now[0].plus(Duration.ofMinutes(21));
    nlu.understand(query("and its status?"));

    assertThat(sessions.requests().get(1).getQueryParams().getContextsList()).isEmpty();
  }

  @Test
  void answersEmptyForTheFallbackIntent() {
    nlu = builder().build();
    sessions.answer(QueryResult.newBuilder().setQueryText("weather?").setAction("input.unknown")
        .setIntent(Intent.newBuilder().setDisplayName("Default Fallback Intent").setIsFallback(true))
        .setFulfillmentText("Sorry, could you say that again?").setIntentDetectionConfidence(1).build());
    sessions.answer(QueryResult.newBuilder().setQueryText("hm").setAction("")
        .setIntent(Intent.newBuilder().setDisplayName("Some Intent")).setIntentDetectionConfidence(1).build());
    sessions.answer(QueryResult.newBuilder().setQueryText("hi").setAction("smalltalk.greetings.hello")
        .setIntent(Intent.newBuilder().setDisplayName("Small talk")).setIntentDetectionConfidence(1).build());

    assertThat(nlu.understand(query("what's the weather"))).isEmpty();
    assertThat(nlu.understand(query("hm"))).isEmpty();
    assertThat(nlu.understand(query("hi"))).isEmpty();
  }

  @Test
  void passesLowConfidenceOnForTheRouterToDecide() {
    nlu = builder().build();
    sessions.answer(matched("/v1/jenkins/stop", 0.21, Map.of("ID", str("api"))).build());

    NluResult result = nlu.understand(query("api stop?")).orElseThrow();

    assertThat(result.route()).isEqualTo("/v1/jenkins/stop");
    assertThat(result.confidence()).isCloseTo(0.21, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void flattensListsStructsNumbersAndBooleans() {
    nlu = builder().build();
    Value list = Value.newBuilder().setListValue(ListValue.newBuilder()
        .addValues(str("api")).addValues(str("web")).addValues(str(""))).build();
    Value duration = Value.newBuilder().setStructValue(Struct.newBuilder()
        .putFields("amount", num(5)).putFields("unit", str("min"))).build();
    sessions.answer(matched("/v1/jenkins/build", 1, Map.of(
        "ID", list, "timeout", duration, "RATIO", num(2.5), "DRY-RUN", Value.newBuilder().setBoolValue(true).build(),
        "EMPTY", Value.newBuilder().setListValue(ListValue.getDefaultInstance()).build(),
        "NOTHING", Value.newBuilder().setNullValueValue(0).build())).build());

    NluResult result = nlu.understand(query("build api and web")).orElseThrow();

    assertThat(result.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ID", "api,web", "TIMEOUT_AMOUNT", "5", "TIMEOUT_UNIT", "min", "RATIO", "2.5", "DRY_RUN", "true"));
  }

  @Test
  void cutsTextsLongerThan256CharactersAtAWordBoundary() {
    nlu = builder().build();
    sessions.answer(matched("/v1/jenkins/build", 1, Map.of()).build());
    String words = "build api ".repeat(30); // 300 characters

    nlu.understand(query(words));

    String sent = sessions.requests().get(0).getQueryInput().getText().getText();
    assertThat(sent).hasSizeLessThanOrEqualTo(256).isEqualTo(words.substring(0, 255)).endsWith("build");
  }

  @Test
  void retriesUnavailableAndDeadlineExceeded() {
    nlu = builder().maxAttempts(3).build();
    sessions.fail(Status.UNAVAILABLE).fail(Status.DEADLINE_EXCEEDED)
        .answer(matched("/v1/jenkins/build", 1, Map.of()).build());

    assertThat(nlu.understand(query("build"))).isPresent();
    assertThat(sessions.requests()).hasSize(3);
  }

  @Test
  void saysWhatFailedAfterTheLastAttempt() {
    nlu = builder().maxAttempts(2).build();
    sessions.fail(Status.UNAVAILABLE).fail(Status.UNAVAILABLE);

    assertThatThrownBy(() -> nlu.understand(query("build")))
        .isExactlyInstanceOf(ChatOpsException.class)
        .hasMessage("DialogFlow detectIntent failed with UNAVAILABLE for project my-agent"
            + " (DialogFlow did not answer in time; retried)");
    assertThat(sessions.requests()).hasSize(2);
  }

  @Test
  void givesUpOnDeadlineExceededAfterTheLastAttempt() {
    nlu = builder().maxAttempts(3).build();
    sessions.fail(Status.DEADLINE_EXCEEDED).fail(Status.DEADLINE_EXCEEDED).fail(Status.DEADLINE_EXCEEDED);

    assertThatThrownBy(() -> nlu.understand(query("build")))
        .isExactlyInstanceOf(ChatOpsException.class)
        .hasMessageStartingWith("DialogFlow detectIntent failed with DEADLINE_EXCEEDED for project my-agent");
    assertThat(sessions.requests()).hasSize(3);
  }

  @Test
  void doesNotRetryPermissionDenied() {
    nlu = builder().build();
    sessions.fail(Status.PERMISSION_DENIED.withDescription("IAM permission 'dialogflow.sessions.detectIntent'"
        + " on 'projects/my-agent/agent' denied."));

    assertThatThrownBy(() -> nlu.understand(query("build")))
        .isExactlyInstanceOf(ChatOpsException.class)
        .hasMessage("DialogFlow detectIntent failed with PERMISSION_DENIED for project my-agent (check the"
            + " credentials: the account needs the Dialogflow API Client role on the project, and the"
            + " Dialogflow API must be enabled)");
    assertThat(sessions.requests()).hasSize(1);
  }

  @Test
  void asksTheFallbackEngineWhenDialogFlowFails() {
    NluResult local = new NluResult("/v1/jenkins/jobs", Map.of(), 0.6);
    NluEngine fallback = new NluEngine() {
      @Override
      public Optional<NluResult> understand(NluQuery query) {
        return Optional.of(local);
      }

      @Override
      public List<NluResult> closest(NluQuery query, int limit) {
        return List.of(local);
      }
    };
    nlu = builder().fallback(fallback).build();
    sessions.fail(Status.PERMISSION_DENIED);

    assertThat(nlu.understand(query("list jobs"))).contains(local);
    assertThat(nlu.closest(query("list jobs"), 3)).containsExactly(local);
  }

  @Test
  void needsAProjectId() {
    assertThatThrownBy(() -> DialogFlowNlu.builder().credentialsProvider(NoCredentialsProvider.create()).build())
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessage("DialogFlow needs the Google Cloud project id of the agent (such as my-agent-123), but it"
            + " was not set; call DialogFlowNlu.builder().projectId(...)");
  }

  @Test
  void namesAnUnreadableKeyFileWithoutItsContent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path missing = dir.resolve("key.json");

    assertThatThrownBy(() -> DialogFlowNlu.builder().projectId("my-agent").credentialsFile(missing).build())
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessage("could not read the Google credentials file " + missing
            + ": expected a service account key (JSON) readable by this process (NoSuchFileException)");
  }
}
