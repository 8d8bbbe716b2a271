package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.chatops.audit.AuditEntry;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls that a model or an agent proposed: the audit entry names the proposer, a {@code Confirm:} route waits
 * for the human's yes in chat, and an {@link Endpoint} answers on its own path.
 */
class ProposedCallsTest {
  private static final String GUARDED = RecordingPlugin.CONFIG + String.join("\n",
      "Confirm: [stop]",
      "Access:",
      "  stop:",
      "    allow: {users: [U1]}",
      "");

  private final RecordingService service = new RecordingService();
  private final RecordingPlugin jenkins = new RecordingPlugin() {
    @Override
    public PluginConfig config() {
      return PluginConfig.parse("jenkins", GUARDED);
    }
  };
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private EventRouter.Builder builder() {
    return EventRouter.builder().service(service).plugin(jenkins);
  }

  private EventRouter build(EventRouter.Builder builder) {
    EventRouter router = builder.build();
    toClose.add(router);
    return router;
  }

  private static List<AuditEntry> audit(EventRouter router) {
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    return router.auditLog().recent(10);
  }

  private static ChatEvent agent(String id, String user) {
    return ChatEvent.builder("test", id).workspace("W1").channel("C1").user(user).text("")
        .time(Instant.EPOCH).build();
  }

  @Test
  void aModelsProposalIsAuditedWithTheModelThroughTheConfirmation() {
    EventRouter router = build(builder().nlu(query -> Optional.of(
        new NluResult("/v1/jenkins/stop", Map.of("ID", "api"), 0.9, "llm:test-model"))));

    router.handle(message("E1", "please halt the api job"));
    assertThat(service.nextText()).isEqualTo("Run jenkins stop ID=api?\n[yes] [no]");
    router.handle(message("E2", "yes"));

    assertThat(service.nextText()).isEqualTo("did stop {ID=api}");
    assertThat(audit(router)).extracting(AuditEntry::route, AuditEntry::outcome, AuditEntry::via)
        .containsExactly(tuple("/v1/jenkins/stop", AuditEntry.Outcome.DONE, "llm:test-model"));
  }

  @Test
  void anEnginesAnswerIsSaidAndNothingRuns() {
    EventRouter router = build(builder().nlu(query -> Optional.of(
        NluResult.answer("Which job should I build?", "llm:test-model"))));

    router.handle(message("E1", "build it"));

    assertThat(service.nextText()).isEqualTo("Which job should I build?");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void anAgentsConfirmRouteRunsOnlyAfterTheUserSaysYesInChat() {
    EventRouter router = build(builder());
    Route stop = router.catalog().route("/v1/jenkins/stop").orElseThrow();

    Optional<String> refusal = router.askToApprove(new Invocation(stop, Map.of("ID", "api"), agent("M1", "U1"),
        "mcp"));

    assertThat(refusal).isEmpty();
    assertThat(service.nextText()).isEqualTo("Run jenkins stop ID=api? (mcp asks on your behalf)\n[yes] [no]");
    assertThat(jenkins.invocations).isEmpty();
    router.handle(message("E1", "yes"));
    assertThat(service.nextText()).isEqualTo("did stop {ID=api}");
    assertThat(jenkins.invocations).extracting(Invocation::via).containsExactly("mcp");
    assertThat(audit(router)).extracting(AuditEntry::user, AuditEntry::outcome, AuditEntry::via)
        .containsExactly(tuple("U1", AuditEntry.Outcome.DONE, "mcp"));
  }

  @Test
  void anAgentsConfirmRouteRefusedByTheUserRunsNothing() {
    EventRouter router = build(builder());
    Route stop = router.catalog().route("/v1/jenkins/stop").orElseThrow();

    router.askToApprove(new Invocation(stop, Map.of("ID", "api"), agent("M1", "U1"), "mcp"));
    service.nextText();
    router.handle(message("E1", "no"));

    assertThat(service.nextText()).isEqualTo("OK, I won't run jenkins stop.");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void aUserTheAccessRuleRefusesIsNotAskedToApprove() {
    EventRouter router = build(builder());
    Route stop = router.catalog().route("/v1/jenkins/stop").orElseThrow();

    Optional<String> refusal = router.askToApprove(new Invocation(stop, Map.of(), agent("M1", "U2"), "mcp"));

    assertThat(refusal).contains("Sorry, you may not run /v1/jenkins/stop: the rule Access.stop allows only U1.");
    assertThat(audit(router)).extracting(AuditEntry::user, AuditEntry::outcome, AuditEntry::via)
        .containsExactly(tuple("U2", AuditEntry.Outcome.DENIED, "mcp"));
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void anEndpointAnswersItsPathAndItsMethodsOnly() {
    Endpoint echo = new Endpoint() {
      @Override
      public String path() {
        return "/echo";
      }

      @Override
      public WebhookResponse answer(WebhookRequest request, EventRouter router) {
        return WebhookResponse.text(200, router.catalog().route("/v1/jenkins/build").isPresent() + " "
            + request.bodyAsString());
      }
    };
    EventRouter router = build(builder().endpoint(echo));

    WebhookResponse answered = router.handle(WebhookRequest.builder("POST", "/echo/").body("hi").build());
    WebhookResponse wrongMethod = router.handle(WebhookRequest.builder("GET", "/echo").build());

    assertThat(answered.status()).isEqualTo(200);
    assertThat(new String(answered.body(), StandardCharsets.UTF_8)).isEqualTo("true hi");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.headers()).containsEntry("Allow", "POST");
  }

  @Test
  void anEndpointThatFailsIsA500AndAnEndpointOnAServicesPathIsRefused() {
    Endpoint failing = new Endpoint() {
      @Override
      public String path() {
        return "/boom";
      }

      @Override
      public Set<String> methods() {
        return Set.of("POST");
      }

      @Override
      public WebhookResponse answer(WebhookRequest request, EventRouter router) {
        throw new IllegalStateException("bug");
      }
    };
    EventRouter router = build(builder().endpoint(failing));

    assertThat(router.handle(WebhookRequest.builder("POST", "/boom").build()).status()).isEqualTo(500);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder().endpoint(new Endpoint() {
      @Override
      public String path() {
        return "/test/events";
      }

      @Override
      public WebhookResponse answer(WebhookRequest request, EventRouter r) {
        return WebhookResponse.ok();
      }
    }).build()).isInstanceOf(ConfigurationException.class)
        .hasMessage("test and an endpoint are both mounted at /test/events");
  }
}
