package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.chatops.access.AccessPolicy;
import ai.chatops.audit.AuditEntry;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The invocation chain as hosts meet it: their interceptors around every plugin call, and its rules. */
class InterceptorChainTest {
  private static final String GUARDED = RecordingPlugin.CONFIG + String.join("\n",
      "Access:",
      "  build:",
      "    allow: {users: [U1]}",
      "");

  private final RecordingService service = new RecordingService();
  private final RecordingPlugin jenkins = new RecordingPlugin() {
    @Override
    public PluginConfig config() {
      return PluginConfig.parse("jenkins", GUARDED);
    }
  };
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private EventRouter router(Interceptor... interceptors) {
    EventRouter.Builder builder = EventRouter.builder().service(service).plugin(jenkins)
        .pluginTimeout(Duration.ofMillis(500));
    for (Interceptor interceptor : interceptors) {
      builder.interceptor(interceptor);
    }
    EventRouter router = builder.build();
    toClose.add(router);
    return router;
  }

  /** Notes what each call did in {@link #seen}, as a metrics interceptor would. */
  private Interceptor recorder(String name) {
    return chain -> {
      seen.add(name + " before " + chain.invocation().route().path());
      return chain.proceed(chain.invocation()).whenComplete((action, failure) -> seen.add(name + " after "
          + (failure == null ? action.text() : failure.getClass().getSimpleName())));
    };
  }

  private List<AuditEntry> audit(EventRouter router) {
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    return router.auditLog().recent(10);
  }

  @Test
  void hostInterceptorsWrapEveryCallInTheOrderAdded() {
    router(recorder("outer"), recorder("inner")).handle(message("E1", "jenkins build ID=api"));

    assertThat(service.nextText()).isEqualTo("did build {ID=api}");
    assertThat(seen).containsExactly("outer before /v1/jenkins/build", "inner before /v1/jenkins/build",
        "inner after did build {ID=api}", "outer after did build {ID=api}");
  }

  @Test
  void anInterceptorCanAnswerWithoutCallingThePlugin() {
    EventRouter router = router(chain -> CompletableFuture.completedFuture(Action.reply("Frozen for the release.")));

    router.handle(message("E1", "jenkins build ID=api"));

    assertThat(service.nextText()).isEqualTo("Frozen for the release.");
    assertThat(jenkins.invocations).isEmpty();
    assertThat(audit(router)).extracting(AuditEntry::outcome).containsExactly(AuditEntry.Outcome.DONE);
  }

  @Test
  void anInterceptorCanChangeTheAttributesButNotTheRoute() {
    EventRouter router = router(chain -> chain.proceed(new Invocation(chain.invocation().route(),
        Map.of("ID", chain.invocation().attribute("ID").orElseThrow().toUpperCase()), chain.invocation().event())));

    router.handle(message("E1", "jenkins build ID=api"));
    assertThat(service.nextText()).isEqualTo("did build {ID=API}");

    EventRouter rerouting = router(chain -> chain.proceed(new Invocation(
        new Route("/v1/jenkins/stop", "jenkins", "stop", Optional.empty(), List.of("ID")),
        chain.invocation().attributes(), chain.invocation().event())));
    rerouting.handle(message("E2", "jenkins build ID=api"));
    assertThat(service.nextText()).isEqualTo("Sorry, jenkins build failed with an internal error (event E2).");
    assertThat(jenkins.invocations).hasSize(1);
  }

  @Test
  void proceedingTwiceWithoutAFailureIsAnErrorNamingTheInterceptorAndThePluginRunsOnce() {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Interceptor twice = new Interceptor() {
      @Override
      public CompletionStage<Action> intercept(Chain chain) {
        chain.proceed(chain.invocation());
        return chain.proceed(chain.invocation());
      }
    };
    EventRouter router = router(chain -> chain.proceed(chain.invocation())
        .whenComplete((action, failure) -> failures.add(failure)), twice);

    router.handle(message("E1", "jenkins build ID=api"));

    assertThat(service.nextText()).isEqualTo("Sorry, jenkins build failed with an internal error (event E1).");
    assertThat(failures).singleElement(InstanceOfAssertFactories.THROWABLE).isInstanceOf(IllegalStateException.class)
        .hasMessage("interceptor " + twice.getClass().getName()
            + " must call proceed() once, and again only to retry after the previous call failed");
    assertThat(jenkins.invocations).hasSize(1); // the first proceed's call ran; the second never started
    assertThat(audit(router)).extracting(AuditEntry::outcome, AuditEntry::detail)
        .containsExactly(tuple(AuditEntry.Outcome.FAILED, "IllegalStateException"));
  }

  @Test
  void anInterceptorMayRetryAfterAFailure() {
    int[] calls = {0};
    jenkins.answering(inv -> {
      if (++calls[0] == 1) {
        throw new IllegalStateException("connection reset");
      }
      return Action.reply("built on the second try");
    });
    Interceptor retry = chain -> chain.proceed(chain.invocation()).handle((action, failure) -> failure == null
            ? CompletableFuture.completedFuture(action) : chain.proceed(chain.invocation()))
        .thenCompose(stage -> stage);
    EventRouter router = router(retry);

    router.handle(message("E1", "jenkins build ID=api"));

    assertThat(service.nextText()).isEqualTo("built on the second try");
    assertThat(jenkins.invocations).hasSize(2);
  }

  @Test
  void anInterceptorReturningNullIsAnErrorNamingIt() {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Interceptor broken = new Interceptor() {
      @Override
      public CompletionStage<Action> intercept(Chain chain) {
        return null;
      }
    };
    EventRouter router = router(chain -> chain.proceed(chain.invocation())
        .whenComplete((action, failure) -> failures.add(failure)), broken);

    router.handle(message("E1", "jenkins build ID=api"));

    assertThat(service.nextText()).isEqualTo("Sorry, jenkins build failed with an internal error (event E1).");
    assertThat(failures).singleElement(InstanceOfAssertFactories.THROWABLE).isInstanceOf(IllegalStateException.class)
        .hasMessage("interceptor " + broken.getClass().getName() + " returned null");
  }

  @Test
  void hostInterceptorsSeeAPluginsFailureAndItsTimeoutButNotARefusal() {
    CountDownLatch release = new CountDownLatch(1);
    toClose.add(release::countDown);
    jenkins.answering(inv -> {
      if (inv.action().equals("stop")) {
        throw new PluginFailedException("job x is not running");
      }
      if (inv.action().equals("start")) {
        try {
          release.await(10, TimeUnit.SECONDS); // interrupted at the deadline
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Action.reply("did " + inv.action());
    });
    EventRouter router = router(recorder("metrics"));

    router.handle(message("E1", "jenkins stop ID=x"));
    assertThat(service.nextText()).isEqualTo("job x is not running");
    router.handle(message("E2", "jenkins start ID=x"));
    assertThat(service.nextText()).isEqualTo("Sorry, jenkins start did not finish within 500 ms (event E2).");
    router.handle(new RecordingServiceMessage("E3", "U2", "jenkins build ID=x").request());
    assertThat(service.nextText()).isEqualTo("Sorry, you may not run /v1/jenkins/build: the rule Access.build"
        + " allows only U1.");

    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(seen).containsExactly("metrics before /v1/jenkins/stop", "metrics after PluginFailedException",
        "metrics before /v1/jenkins/start", "metrics after PluginTimeoutException");
  }

  @Test
  void aCallFromOutsideTheDialogHasTheAccessRulesAppliedAndIsAuditedButNothingIsDelivered() {
    EventRouter router = router(recorder("metrics"));
    Route build = router.catalog().route("/v1/jenkins/build").orElseThrow();

    InvocationResult refused = router.invoke(new Invocation(build, Map.of("ID", "api"), agent("A1", "U2"),
        "mcp")).toCompletableFuture().join();
    InvocationResult done = router.invoke(new Invocation(build, Map.of("ID", "api"), agent("A2", "U1"), "mcp"))
        .toCompletableFuture().join();

    assertThat(refused.outcome()).isEqualTo(AuditEntry.Outcome.DENIED);
    assertThat(refused.done()).isFalse();
    assertThat(refused.action().text()).isEqualTo("Sorry, you may not run /v1/jenkins/build: the rule Access.build"
        + " allows only U1.");
    assertThat(done.outcome()).isEqualTo(AuditEntry.Outcome.DONE);
    assertThat(done.action().text()).isEqualTo("did build {ID=api}");
    assertThat(done.followedInChat()).isFalse();
    assertThat(jenkins.invocations).extracting(Invocation::user).containsExactly("U1");
    assertThat(seen).containsExactly("metrics before /v1/jenkins/build", "metrics after did build {ID=api}");
    assertThat(audit(router)).extracting(AuditEntry::user, AuditEntry::outcome, AuditEntry::via).containsExactly(
        tuple("U1", AuditEntry.Outcome.DONE, "mcp"),
        tuple("U2", AuditEntry.Outcome.DENIED, "mcp"));
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void aCallFromOutsideTheDialogIsChargedToTheRateLimits() {
    EventRouter router = EventRouter.builder().service(service).plugin(jenkins)
        .access(AccessPolicy.builder().userRateLimit(1, Duration.ofHours(1)).build()).build();
    toClose.add(router);
    Route jobs = router.catalog().route("/v1/jenkins/jobs").orElseThrow();

    router.invoke(new Invocation(jobs, Map.of(), agent("A1", "U1"))).toCompletableFuture().join();
    InvocationResult limited = router.invoke(new Invocation(jobs, Map.of(), agent("A2", "U1")))
        .toCompletableFuture().join();

    assertThat(limited.outcome()).isEqualTo(AuditEntry.Outcome.RATE_LIMITED);
    assertThat(limited.action().text()).startsWith("Sorry, you are going too fast: you may run 1 commands every 1 h.");
    assertThat(jenkins.invocations).hasSize(1);
  }

  @Test
  void aCallForARouteNoPluginServesIsAnsweredWithoutRunningAnything() {
    EventRouter router = router(recorder("metrics"));
    Route unknown = new Route("/v1/deploy/now", "deploy", "now", Optional.empty(), List.of());

    InvocationResult answer = router.invoke(new Invocation(unknown, Map.of(), agent("A1", "U1")))
        .toCompletableFuture().join();

    assertThat(answer.outcome()).isEqualTo(AuditEntry.Outcome.FAILED);
    assertThat(answer.action().text()).isEqualTo("Sorry, nothing serves /v1/deploy/now here.");
    assertThat(seen).isEmpty();
  }

  @Test
  void aCallFromOutsideTheDialogTellsAFailureAndATimeoutApart() {
    CountDownLatch release = new CountDownLatch(1);
    toClose.add(release::countDown);
    jenkins.answering(inv -> {
      if (inv.action().equals("stop")) {
        throw new PluginFailedException("job x is not running");
      }
      try {
        release.await(10, TimeUnit.SECONDS); // interrupted at the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Action.reply("did " + inv.action());
    });
    EventRouter router = router();
    Route stop = router.catalog().route("/v1/jenkins/stop").orElseThrow();
    Route start = router.catalog().route("/v1/jenkins/start").orElseThrow();

    InvocationResult failed = router.invoke(new Invocation(stop, Map.of("ID", "x"), agent("A1", "U1"), "mcp"))
        .toCompletableFuture().join();
    InvocationResult late = router.invoke(new Invocation(start, Map.of("ID", "x"), agent("A2", "U1"), "mcp"))
        .toCompletableFuture().join();

    assertThat(failed.outcome()).isEqualTo(AuditEntry.Outcome.FAILED);
    assertThat(failed.action().text()).isEqualTo("job x is not running");
    assertThat(late.outcome()).isEqualTo(AuditEntry.Outcome.TIMED_OUT);
    assertThat(late.action().text()).isEqualTo("Sorry, jenkins start did not finish within 500 ms (event A2).");
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void aCallFromOutsideTheDialogHasItsFollowUpDeliveredIntoItsConversation() {
    FollowUp watch = new FollowUp("build:7", "api #7", Duration.ofMillis(20), Duration.ofMinutes(1));
    jenkins.answering(inv -> Action.builder("Queued api").followUp(watch).build());
    EventRouter router = EventRouter.builder().service(service).plugin(new RecordingPlugin() {
      @Override
      public PluginConfig config() {
        return PluginConfig.parse("jenkins", GUARDED);
      }

      @Override
      public Action trigger(Invocation invocation) {
        return jenkins.trigger(invocation);
      }

      @Override
      public Optional<Action> poll(FollowUp followUp) {
        return Optional.of(Action.reply(followUp.description() + " finished: SUCCESS"));
      }
    }).build();
    toClose.add(router);
    Route build = router.catalog().route("/v1/jenkins/build").orElseThrow();

    InvocationResult queued = router.invoke(new Invocation(build, Map.of("ID", "api"), agent("A1", "U1"), "mcp"))
        .toCompletableFuture().join();

    assertThat(queued.outcome()).isEqualTo(AuditEntry.Outcome.DONE);
    assertThat(queued.action().text()).isEqualTo("Queued api");
    assertThat(queued.followedInChat()).isTrue();
    assertThat(service.nextText()).isEqualTo("api #7 finished: SUCCESS");
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void aCallFromOutsideForAServiceTheRouterLacksKeepsItsFollowUpUnwatched() {
    jenkins.answering(inv -> Action.builder("Queued api")
        .followUp(new FollowUp("build:7", "api #7", Duration.ofMillis(20), Duration.ofMinutes(1))).build());
    EventRouter router = router();
    Route build = router.catalog().route("/v1/jenkins/build").orElseThrow();
    ChatEvent elsewhere = ChatEvent.builder("mcp", "A1").workspace("mcp").channel("mcp").user("U1").text("")
        .time(Instant.EPOCH).build();

    InvocationResult queued = router.invoke(new Invocation(build, Map.of("ID", "api"), elsewhere, "mcp"))
        .toCompletableFuture().join();

    assertThat(queued.done()).isTrue();
    assertThat(queued.followedInChat()).isFalse();
  }

  private static ChatEvent agent(String id, String user) {
    return ChatEvent.builder("test", id).workspace("W1").channel("C1").user(user).text("")
        .time(Instant.EPOCH).build();
  }

  /** A message from another user than {@link RecordingService#message}'s U1. */
  private record RecordingServiceMessage(String id, String user, String text) {
    WebhookRequest request() {
      return WebhookRequest.builder("POST", "/test/events").header("X-Auth", "ok")
          .body(id + "|" + user + "|" + text).build();
    }
  }
}
