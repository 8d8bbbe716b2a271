package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.nlu.NluResult;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import ai.chatops.service.Conversation;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.store.StorePage;
import ai.chatops.store.StoreEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventRouterTest {
  private final RecordingService service = new RecordingService();
  private final RecordingPlugin jenkins = new RecordingPlugin();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private EventRouter router(EventRouter.Builder builder) {
    EventRouter router = builder.build();
    toClose.add(router);
    return router;
  }

  private EventRouter router() {
    return router(EventRouter.builder().service(service).plugin(jenkins));
  }

  @Test
  void routesAnExplicitCommandToThePluginAndRepliesInTheConversation() {
    EventRouter router = router();

    WebhookResponse response =
        router.handle(message("E1", "<@UBOT> jenkins build ID=api-server BRANCH=\"release/2.4\""));

    assertThat(response.status()).isEqualTo(200);
    RecordingService.Delivered reply = service.next();
    assertThat(reply.conversation()).isEqualTo(Conversation.of("test", "W1", "C1"));
    assertThat(jenkins.invocations).hasSize(1);
    Invocation invocation = jenkins.invocations.get(0);
    assertThat(invocation.route().path()).isEqualTo("/v1/jenkins/build");
    assertThat(invocation.attributes()).containsExactlyInAnyOrderEntriesOf(
        Map.of("ID", "api-server", "BRANCH", "release/2.4"));
    assertThat(invocation.user()).isEqualTo("U1");
    assertThat(invocation.event().id()).isEqualTo("E1");
  }

  @Test
  void acknowledgesBeforeTheSlowPluginFinishes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    jenkins.answering(inv -> {
      await(release);
      return Action.reply("finished");
    });
    EventRouter router = router();

    WebhookResponse response = router.handle(message("E1", "jenkins build ID=x"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(service.remaining()).isEmpty();
    release.countDown();
    assertThat(service.nextText()).isEqualTo("finished");
  }

  @Test
  void processesARedeliveredEventOnce() {
    EventRouter router = router();

    assertThat(router.handle(message("E1", "jenkins build ID=x")).status()).isEqualTo(200);
    assertThat(router.handle(message("E1", "jenkins build ID=x")).status()).isEqualTo(200);
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(jenkins.invocations).hasSize(1);
    assertThat(service.remaining()).hasSize(1);
  }

  @Test
  void duplicateDeliveriesRacingOnTwoThreadsAreProcessedOnce() throws Exception {
    EventRouter router = router();
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 100; round++) {
        CyclicBarrier gate = new CyclicBarrier(2);
        String id = "R" + round;
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          statuses.add(two.submit(() -> {
            gate.await(5, TimeUnit.SECONDS);
            return router.handle(message(id, "jenkins jobs")).status();
          }));
        }
        for (Future<Integer> status : statuses) {
          assertThat(status.get(5, TimeUnit.SECONDS)).isEqualTo(200);
        }
      }
    } finally {
      two.shutdownNow();
    }
    assertThat(router.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(jenkins.invocations).hasSize(100);
    assertThat(jenkins.invocations.stream().map(i -> i.event().id()).distinct()).hasSize(100);
  }

  @Test
  void answersUnknownPathsWith404() {
    WebhookResponse response = router().handle(WebhookRequest.builder("POST", "/nowhere").build());

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.bodyAsString()).isEqualTo("nothing is mounted at /nowhere");
  }

  @Test
  void answersWrongMethodsWith405AndTheAllowedOnes() {
    WebhookResponse response = router().handle(WebhookRequest.builder("GET", "/test/events/").build());

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("allow")).contains("POST");
    assertThat(response.bodyAsString()).isEqualTo("GET is not allowed on /test/events");
  }

  @Test
  void refusesA10MiBBodyWith413BeforeParsingIt() {
    EventRouter router = router();
    byte[] body = new byte[10 * 1024 * 1024];

    WebhookResponse response = router.handle(
        WebhookRequest.builder("POST", "/test/events").header("X-Auth", "ok").body(body).build());

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.bodyAsString()).isEqualTo("request body exceeds the limit of 1048576 bytes");
    assertThat(router.awaitIdle(Duration.ofSeconds(1))).isTrue();
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void passesTheServiceHandlersRefusalOn() {
    WebhookResponse response =
        router().handle(WebhookRequest.builder("POST", "/test/events").body("E1|U1|hi").build());

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyAsString()).isEqualTo("missing or wrong X-Auth");
  }

  @Test
  void answers500WhenTheServiceHandlerBreaksUnexpectedly() {
    WebhookResponse response = router().handle(
        WebhookRequest.builder("POST", "/test/events").header("X-Auth", "ok").header("X-Sender", "ALIEN")
            .body("E1|U1|hi").build());

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.bodyAsString()).isEqualTo("the request could not be handled");
  }

  @Test
  void answers503WhenTheStoreIsDownSoThePlatformRetries() {
    Store broken = new FailingStore();
    EventRouter router = router(EventRouter.builder().service(service).plugin(jenkins).store(broken));

    WebhookResponse response = router.handle(message("E1", "jenkins jobs"));

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.bodyAsString()).isEqualTo("the bot's store is unavailable; try again");
    assertThat(router.awaitIdle(Duration.ofSeconds(1))).isTrue();
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void answers503WhenNoWorkerCanTakeTheEventAndProcessesTheRedelivery() {
    AtomicBoolean reject = new AtomicBoolean(true);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    toClose.add(pool::shutdownNow);
    ExecutorService flaky = new ai.chatops.fixtures.ScriptedExecutor(command -> {
      if (reject.get()) {
        throw new RejectedExecutionException("full");
      }
      pool.execute(command);
    });
    EventRouter router = router(EventRouter.builder().service(service).plugin(jenkins).executor(flaky));

    assertThat(router.handle(message("E1", "jenkins jobs")).status()).isEqualTo(503);
    reject.set(false);
    assertThat(router.handle(message("E1", "jenkins jobs")).status()).isEqualTo(200);

    assertThat(service.nextText()).isEqualTo("did jobs {}");
    assertThat(jenkins.invocations).hasSize(1);
  }

  @Test
  void repliesWithThePluginsOwnMessageWhenItFails() {
    jenkins.answering(inv -> {
      throw new PluginFailedException("job api-server does not exist");
    });
    router().handle(message("E1", "jenkins build ID=api-server"));

    assertThat(service.nextText()).isEqualTo("job api-server does not exist");
  }

  @Test
  void repliesWithAnInternalErrorNamingTheEventWhenThePluginThrows() {
    jenkins.answering(inv -> {
      throw new IllegalStateException("secret-token-123 leaked in a bug");
    });
    router().handle(message("E7", "jenkins build ID=api-server"));

    String reply = service.nextText();
    assertThat(reply).isEqualTo("Sorry, jenkins build failed with an internal error (event E7).");
    assertThat(reply).doesNotContain("secret-token-123");
  }

  @Test
  void repliesWhenThePluginReturnsNull() {
    jenkins.answering(inv -> null);
    router().handle(message("E7", "jenkins jobs"));

    assertThat(service.nextText()).isEqualTo("Sorry, jenkins jobs returned nothing (event E7).");
  }

  @Test
  void aPluginThatNeverReturnsGetsATimeoutReplyAndTheRouterStaysResponsive() {
    AtomicBoolean stop = new AtomicBoolean();
    toClose.add(() -> stop.set(true));
    jenkins.answering(inv -> {
      if (inv.action().equals("stop")) {
        while (!stop.get()) {
          Thread.onSpinWait(); // ignores interrupts: the worst kind of plugin
        }
      }
      return Action.reply("done " + inv.action());
    });
    EventRouter router = router(EventRouter.builder().service(service).plugin(jenkins)
        .pluginTimeout(Duration.ofMillis(200)).drainTimeout(Duration.ofMillis(100)));

    assertThat(router.handle(message("E1", "jenkins stop ID=x")).status()).isEqualTo(200);
    assertThat(service.nextText()).isEqualTo("Sorry, jenkins stop did not finish within 200 ms (event E1).");

    assertThat(router.handle(message("E2", "jenkins jobs")).status()).isEqualTo(200);
    assertThat(service.nextText()).isEqualTo("done jobs");
  }

  @Test
  void interruptsAPluginThatTimesOutAndDropsItsLateResult() {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch returned = new CountDownLatch(1);
    jenkins.answering(inv -> {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      returned.countDown();
      return Action.reply("too late");
    });
    EventRouter router = router(EventRouter.builder().service(service).plugin(jenkins)
        .pluginTimeout(Duration.ofMillis(100)));

    router.handle(message("E1", "jenkins jobs"));

    assertThat(service.nextText()).isEqualTo("Sorry, jenkins jobs did not finish within 100 ms (event E1).");
    await(returned);
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(interrupted).isTrue();
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void followsUpUntilThePluginReportsTheEnd() {
    AtomicInteger polls = new AtomicInteger();
    Plugin watching = new RecordingPlugin() {
      @Override
      public Action trigger(Invocation invocation) {
        return Action.builder("Queued").followUp(
            new FollowUp("queue:1", "build x #1", Duration.ofMillis(5), Duration.ofMinutes(1))).build();
      }

      @Override
      public Optional<Action> poll(FollowUp followUp) {
        int n = polls.incrementAndGet();
        if (n == 1) {
          return Optional.empty();
        }
        if (n == 2) { // backs off silently, carrying state in the key
          return Optional.of(Action.keepFollowing(new FollowUp("queue:1:slower", "build x #1",
              Duration.ofMillis(10), Duration.ofMinutes(1))));
        }
        assertThat(followUp.key()).isEqualTo("queue:1:slower");
        return Optional.of(Action.builder("Build x #1: SUCCESS").field("Duration", "3 s").build());
      }
    };
    router(EventRouter.builder().service(service).plugin(watching)).handle(message("E1", "jenkins build ID=x"));

    RecordingService.Delivered queued = service.next();
    assertThat(queued.reply().text()).isEqualTo("Queued");
    assertThat(queued.reply().key()).contains("event:E1");
    RecordingService.Delivered done = service.next();
    assertThat(done.reply().toPlainText()).isEqualTo("Build x #1: SUCCESS\nDuration: 3 s");
    assertThat(done.reply().key()).as("one message that changes").contains("event:E1");
    assertThat(done.conversation()).isEqualTo(Conversation.of("test", "W1", "C1"));
    assertThat(polls).hasValue(3);
  }

  @Test
  void tellsTheUserWhenItStopsFollowing() {
    Plugin endless = new RecordingPlugin() {
      @Override
      public Action trigger(Invocation invocation) {
        return Action.builder("Queued").followUp(
            new FollowUp("queue:1", "build x", Duration.ofMillis(5), Duration.ofMillis(50))).build();
      }

      @Override
      public Optional<Action> poll(FollowUp followUp) {
        return Optional.empty();
      }
    };
    router(EventRouter.builder().service(service).plugin(endless)).handle(message("E1", "jenkins build ID=x"));

    assertThat(service.nextText()).isEqualTo("Queued");
    assertThat(service.nextText()).isEqualTo("I stopped following build x after 50 ms; it had not finished.");
  }

  @Test
  void namesTheMissingSettingWhenAPluginIsNotConfigured() {
    Plugin unconfigured = new RecordingPlugin() {
      @Override
      public void connect(PluginContext context) {
        throw new ConfigurationException("JENKINS_URL is not set");
      }

      @Override
      public Action trigger(Invocation invocation) {
        throw new AssertionError("never connected");
      }
    };
    router(EventRouter.builder().service(service).plugin(unconfigured)).handle(message("E1", "jenkins jobs"));

    assertThat(service.nextText()).isEqualTo("Sorry, the jenkins plugin cannot run: JENKINS_URL is not set");
  }

  @Test
  void givesOrdinaryRepliesNoKey() {
    router().handle(message("E1", "jenkins jobs"));

    assertThat(service.next().reply().key()).isEmpty();
  }

  @Test
  void takesEventsSubmittedDirectlyAndDeduplicatesThem() {
    EventRouter router = router();
    ai.chatops.service.ChatEvent event = ai.chatops.service.ChatEvent.builder("test", "S1").channel("C1")
        .user("U1").text("jenkins jobs").time(Instant.EPOCH).build();

    assertThat(router.submit(event).status()).isEqualTo(200);
    assertThat(router.submit(event).status()).isEqualTo(200);

    assertThat(service.nextText()).isEqualTo("did jobs {}");
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(jenkins.invocations).hasSize(1);
    assertThatThrownBy(() -> router.submit(ai.chatops.service.ChatEvent.builder("irc", "S2").channel("C")
        .user("U").text("x").time(Instant.EPOCH).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no service named irc is registered");
  }

  @Test
  void ignoresMessagesFromBotsAndFromItself() {
    EventRouter router = router();
    for (String sender : List.of("BOT", "SELF")) {
      router.handle(WebhookRequest.builder("POST", "/test/events").header("X-Auth", "ok")
          .header("X-Sender", sender).body("E-" + sender + "|B1|jenkins jobs").build());
    }

    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(jenkins.invocations).isEmpty();
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void listsEveryRouteOnHelp() {
    router(EventRouter.builder().service(service).plugin(jenkins).plugin(ai.chatops.plugin.BotPlugin.create()))
        .handle(message("E1", "help"));

    assertThat(service.nextText()).isEqualTo(String.join("\n",
        "Here is what I can do:",
        "",
        "jenkins (v1.2.9)",
        "  jenkins start ID=... BRANCH=... JOB_PARAM=...",
        "  jenkins stop ID=... BRANCH=...",
        "  jenkins build ID=... BRANCH=... - Queue a build",
        "  jenkins jobs ID=... BRANCH=... JOB_PARAM=...",
        "",
        "bot (0.1.0)",
        "  bot ping - Answers pong, to check the bot is alive",
        "      \"are you there\"",
        "      \"are you alive\"",
        "  bot echo TEXT=... - Repeats TEXT back",
        "      \"echo hello world\"",
        "      \"say good morning team\"",
        "  bot status - Uptime and the health of every plugin",
        "      \"how are you doing\"",
        "      \"show your uptime\"",
        "",
        "Write attributes as KEY=value, quoting values with spaces: KEY=\"two words\"."));
  }

  @Test
  void suggestsTheClosestActionForATypo() {
    router().handle(message("E1", "jenkins bulid ID=x"));

    assertThat(service.nextText())
        .isEqualTo("jenkins has no action 'bulid'. Did you mean build? Actions: start, stop, build, jobs.");
  }

  @Test
  void explainsAnUnbalancedQuote() {
    router().handle(message("E1", "jenkins build ID=\"api server"));

    assertThat(service.nextText()).isEqualTo("I couldn't read that command: the quote \" at position 18 is "
        + "never closed. Usage: jenkins build ID=... BRANCH=...");
    assertThat(jenkins.invocations).isEmpty();
  }

  @Test
  void usesTheNluEngineForFreeText() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(jenkins)
        .nlu(q -> q.text().equals("build the api on main")
            ? Optional.of(new NluResult("/v1/jenkins/build", Map.of("ID", "api", "BRANCH", "main", "NOPE", "x"), 0.9))
            : Optional.empty()));

    router.handle(message("E1", "build the api on main"));

    assertThat(service.nextText()).isEqualTo("did build " + jenkins.invocations.get(0).attributes());
    assertThat(jenkins.invocations.get(0).attributes())
        .containsExactlyInAnyOrderEntriesOf(Map.of("ID", "api", "BRANCH", "main"));
  }

  @Test
  void asksInsteadOfActingWhenTheNluIsUnsure() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(jenkins)
        .nlu(q -> Optional.of(new NluResult("/v1/jenkins/stop", Map.of(), 0.3))));

    router.handle(message("E1", "halt everything"));

    assertThat(service.next().reply()).isEqualTo(ai.chatops.service.Reply.builder("Did you mean jenkins stop?")
        .choice("Yes", "yes").choice("No", "no").build());
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(jenkins.invocations).isEmpty();

    router.handle(message("E2", "yes"));

    assertThat(service.nextText()).isEqualTo("did stop {}");
  }

  @Test
  void saysSoPlainlyWhenTheNluEngineFails() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(jenkins)
        .nlu(q -> {
          throw new ChatOpsException("DialogFlow unreachable");
        }));

    router.handle(message("E1", "build the api"));

    assertThat(service.nextText()).isEqualTo("I can't understand free text right now (the language service "
        + "failed). The explicit form still works; say `help` to see it.");
  }

  @Test
  void repliesThatItDidNotUnderstandOtherText() {
    router().handle(message("E1", "what's the weather"));

    assertThat(service.nextText()).isEqualTo("Sorry, I didn't understand that. Say `help` to see what I can do.");
  }

  @Test
  void givesPluginsTheirCredentialsWithTheHostsOverridesWinning() {
    router(EventRouter.builder().service(service).plugin(jenkins, Map.of("SERVICE_TOKEN", "from-host")));

    PluginContext context = jenkins.context;
    assertThat(context.credentials().get("SERVICE_TOKEN")).contains("from-host");
    assertThat(context.credentials().toString()).doesNotContain("from-host");
    assertThat(jenkins.connects).isEqualTo(1);
  }

  @Test
  void retriesAFailedConnectOnFirstUse() {
    AtomicInteger attempts = new AtomicInteger();
    Plugin flaky = new RecordingPlugin() {
      @Override
      public void connect(PluginContext context) {
        if (attempts.incrementAndGet() == 1) {
          throw new ConfigurationException("JENKINS_URL is not set");
        }
      }

      @Override
      public Action trigger(Invocation invocation) {
        return Action.reply("connected on attempt " + attempts.get());
      }
    };
    EventRouter router = router(EventRouter.builder().service(service).plugin(flaky));
    assertThat(router.healthChecks().get("jenkins").detail()).isEqualTo("not connected");

    router.handle(message("E1", "jenkins jobs"));

    assertThat(service.nextText()).isEqualTo("connected on attempt 2");
  }

  @Test
  void refusesTwoPluginsWithOneName() {
    assertThatThrownBy(() -> EventRouter.builder().plugin(jenkins).plugin(new RecordingPlugin()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("two plugins are named jenkins: ai.chatops.fixtures.RecordingPlugin and "
            + "ai.chatops.fixtures.RecordingPlugin");
  }

  @Test
  void refusesTwoServicesAtOnePath() {
    assertThatThrownBy(() -> EventRouter.builder().service(service).service(new RecordingService()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("services test and test are both mounted at /test/events");
  }

  @Test
  void closeLetsInFlightWorkFinishThenClosesPluginsAndRefusesNewRequests() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    jenkins.answering(inv -> {
      started.countDown();
      await(release);
      return Action.reply("finished");
    });
    EventRouter router = EventRouter.builder().service(service).plugin(jenkins).build();
    router.handle(message("E1", "jenkins jobs"));
    await(started);

    Thread closer = new Thread(router::close);
    closer.start();
    release.countDown();
    closer.join(5000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(service.nextText()).isEqualTo("finished");
    assertThat(jenkins.closes).isEqualTo(1);
    assertThat(router.handle(message("E2", "jenkins jobs")).status()).isEqualTo(503);
  }

  @Test
  void expiresDedupeRecordsAfterTheWindowSoTheStoreStaysBounded() {
    ai.chatops.fixtures.MutableClock clock = new ai.chatops.fixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    InMemoryStore store = InMemoryStore.create(clock);
    EventRouter router = router(EventRouter.builder().service(service).plugin(jenkins).store(store).clock(clock)
        .dedupeWindow(Duration.ofMinutes(10)));

    router.handle(message("E1", "jenkins jobs"));
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    clock.advance(Duration.ofMinutes(11));
    router.handle(message("E1", "jenkins jobs"));
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(jenkins.invocations).hasSize(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A store whose backend is down. */
  private static final class FailingStore implements Store {
    @Override
    public Optional<StoreEntry> get(String key) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, Instant expiresAt) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public boolean delete(String key) {
      throw new StoreUnavailableException("down");
    }

    @Override
    public StorePage list(String prefix, String cursor, int limit) {
      throw new StoreUnavailableException("down");
    }
  }
}
