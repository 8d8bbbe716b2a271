package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.chatops.audit.AuditEntry;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginRoutes;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plugins whose {@code triggerAsync} returns a stage that completes later, on a thread of their own (as an
 * HTTP client's callback would): the worker is free meanwhile, the reply, audit and follow-ups happen on the
 * router's workers, the timeout still applies, and the cap on pending calls holds.
 */
class AsyncPluginTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ExecutorService remote = Executors.newSingleThreadExecutor(r -> new Thread(r, "remote-callback"));
  private final ThreadRecordingService service = new ThreadRecordingService();
  private final AsyncJenkins jenkins = new AsyncJenkins();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    remote.shutdownNow();
  }

  private EventRouter router(EventRouter.Builder builder) {
    EventRouter router = builder.service(service).plugin(jenkins).build();
    toClose.add(router);
    return router;
  }

  @Test
  void deliversAndAuditsOnAWorkerWhenTheStageCompletesLaterOnAnotherThread() {
    EventRouter router = router(EventRouter.builder());

    assertThat(router.handle(message("E1", "jenkins build ID=api")).status()).isEqualTo(200);
    await().until(() -> jenkins.pending.containsKey("E1"));
    assertThat(service.remaining()).isEmpty();
    remote.execute(() -> jenkins.pending.get("E1").complete(Action.reply("queued api #7")));

    assertThat(service.nextText()).isEqualTo("queued api #7");
    assertThat(service.threads).hasSize(1);
    assertThat(service.threads.get(0)).startsWith("chatops-worker").isNotEqualTo("remote-callback");
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(router.auditLog().recent(10)).extracting(AuditEntry::eventId, AuditEntry::route,
        AuditEntry::outcome).containsExactly(org.assertj.core.groups.Tuple.tuple("E1", "/v1/jenkins/build",
            AuditEntry.Outcome.DONE));
  }

  @Test
  void freesTheWorkerWhileTheStageIsPending() {
    EventRouter router = router(EventRouter.builder().workerThreads(1));

    router.handle(message("E1", "jenkins build ID=api"));
    await().until(() -> jenkins.pending.containsKey("E1"));
    router.handle(message("E2", "jenkins jobs"));

    assertThat(service.nextText()).isEqualTo("jobs: api, web");
    jenkins.pending.get("E1").complete(Action.reply("queued api #7"));
    assertThat(service.nextText()).isEqualTo("queued api #7");
  }

  @Test
  void aFailedStageBecomesThePluginsMessageForTheUser() {
    EventRouter router = router(EventRouter.builder());

    router.handle(message("E1", "jenkins build ID=api"));
    await().until(() -> jenkins.pending.containsKey("E1"));
    remote.execute(() -> jenkins.pending.get("E1").completeExceptionally(
        new PluginFailedException("job api does not exist")));

    assertThat(service.nextText()).isEqualTo("job api does not exist");
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(router.auditLog().recent(10)).extracting(AuditEntry::outcome)
        .containsExactly(AuditEntry.Outcome.FAILED);
  }

  @Test
  void timesOutAPendingStageTellsTheUserAuditsItAndCancelsTheStage() {
    EventRouter router = router(EventRouter.builder().pluginTimeout(Duration.ofMillis(100)));

    router.handle(message("E1", "jenkins build ID=api"));

    assertThat(service.nextText()).isEqualTo("Sorry, jenkins build did not finish within 100 ms (event E1).");
    await().until(() -> jenkins.pending.get("E1").isCancelled()); // just after the reply, on the timer's thread
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(router.auditLog().recent(10)).extracting(AuditEntry::outcome)
        .containsExactly(AuditEntry.Outcome.TIMED_OUT);
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void holdsTheCapOnPendingCallsAndAnswers503OnlyWhenTheQueueIsFullToo() {
    EventRouter router = router(EventRouter.builder().workerThreads(1).queueCapacity(1).maxPendingCalls(2));

    assertThat(router.handle(message("E1", "jenkins build ID=a")).status()).isEqualTo(200);
    await().until(() -> jenkins.pending.size() == 1); // the one worker is free again, the queue empty
    assertThat(router.handle(message("E2", "jenkins build ID=b")).status()).isEqualTo(200);
    await().until(() -> jenkins.pending.size() == 2);
    // At the cap the worker takes E3 from the queue and waits for a place; E4 fills the queue; E5 is refused.
    assertThat(router.handle(message("E3", "jenkins build ID=c")).status()).isEqualTo(200);
    await().until(() -> router.queuedEvents() == 0);
    assertThat(router.handle(message("E4", "jenkins build ID=d")).status()).isEqualTo(200);
    assertThat(router.handle(message("E5", "jenkins build ID=e")).status()).isEqualTo(503);
    assertThat(jenkins.started).containsExactly("E1", "E2");

    remote.execute(() -> jenkins.pending.get("E1").complete(Action.reply("done a")));
    assertThat(service.nextText()).isEqualTo("done a");
    await().until(() -> jenkins.started.size() == 3);
    assertThat(jenkins.started).containsExactly("E1", "E2", "E3");

    for (String id : List.of("E2", "E3")) {
      remote.execute(() -> jenkins.pending.get(id).complete(Action.reply("done " + id)));
    }
    await().until(() -> jenkins.started.size() == 4);
    remote.execute(() -> jenkins.pending.get("E4").complete(Action.reply("done E4")));
    // The continuations of E2 to E4 pass through the one-place queue too; once they ran, it has room again.
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(router.handle(message("E5", "jenkins build ID=e")).status()).isEqualTo(200); // the redelivery
    await().until(() -> jenkins.pending.containsKey("E5"));
    jenkins.pending.get("E5").complete(Action.reply("done E5"));

    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(jenkins.started).containsExactly("E1", "E2", "E3", "E4", "E5");
    assertThat(service.remaining()).extracting(d -> d.reply().toPlainText())
        .containsExactlyInAnyOrder("done E2", "done E3", "done E4", "done E5");
  }

  @Test
  void aRouteDeclaredWithAnAsynchronousHandlerRunsThroughIt() {
    CompletableFuture<Action> answer = new CompletableFuture<>();
    List<String> called = new CopyOnWriteArrayList<>();
    Plugin deploy = new Plugin() {
      private final PluginRoutes routes = PluginRoutes.builder("deploy")
          .route("service", r -> r.required("SERVICE", AttributeType.STRING, "Which service?")
              .handleAsync(call -> {
                called.add(Thread.currentThread().getName());
                return answer.thenApply(a -> Action.reply(a.text() + " " + call.require("SERVICE")));
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
        return PluginConfig.parse("deploy", "config.yaml", new StringReader(
            "Version: 1.0.0\nWebsite: https://example.invalid\nAuthor: tests\n"), routes.routes());
      }

      @Override
      public Optional<TrainingSet> trainingSet() {
        return Optional.empty();
      }
    };
    EventRouter router = EventRouter.builder().service(service).plugin(deploy).build();
    toClose.add(router);

    router.handle(message("E1", "deploy service SERVICE=billing"));
    await().until(() -> called.size() == 1);
    assertThat(service.remaining()).isEmpty();
    remote.execute(() -> answer.complete(Action.reply("deployed")));

    assertThat(service.nextText()).isEqualTo("deployed billing");
    assertThat(service.threads.get(0)).isNotEqualTo("remote-callback");
  }

  /** Jenkins whose build returns a stage that the test completes; jobs answers at once. */
  private static final class AsyncJenkins extends RecordingPlugin {
    final Map<String, CompletableFuture<Action>> pending = new ConcurrentHashMap<>();
    final List<String> started = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Action> triggerAsync(Invocation invocation) {
      if (!invocation.action().equals("build")) {
        return CompletableFuture.completedFuture(Action.reply("jobs: api, web"));
      }
      CompletableFuture<Action> stage = new CompletableFuture<>();
      pending.put(invocation.event().id(), stage);
      started.add(invocation.event().id());
      return stage;
    }
  }

  /** {@link RecordingService}, noting which thread delivered each reply. */
  private static final class ThreadRecordingService implements ServiceHandler {
    final RecordingService recording = new RecordingService();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return recording.name();
    }

    @Override
    public String path() {
      return recording.path();
    }

    @Override
    public Received receive(WebhookRequest request) {
      return recording.receive(request);
    }

    @Override
    public void deliver(Conversation conversation, Reply reply) {
      threads.add(Thread.currentThread().getName());
      recording.deliver(conversation, reply);
    }

    String nextText() {
      return recording.nextText();
    }

    List<RecordingService.Delivered> remaining() {
      return recording.remaining();
    }
  }
}
