package ai.chatops.http;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ai.chatops.EventRouter;
import ai.chatops.RouterObserver;
import ai.chatops.RouterObserver.OutboundCall;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbound calls a plugin makes through a {@link Requester} while its event is processed reach the router's
 * observers, one per attempt, with method, host, path and status only.
 */
class RequesterObservedTest {
  private final MockWebServer remote = new MockWebServer();
  private final RecordingService chat = new RecordingService();
  private final List<OutboundCall> calls = new CopyOnWriteArrayList<>();
  private final RouterObserver observer = new RouterObserver() {
    @Override
    public void outboundCompleted(OutboundCall call) {
      calls.add(call);
    }
  };
  private EventRouter router;

  @BeforeEach
  void start() throws IOException {
    remote.start(0);
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    remote.close();
  }

  private Requester.Builder requester() {
    return Requester.builder().baseUrl(remote.url("/jenkins/").toString()).initialBackoff(Duration.ZERO);
  }

  private void routeTo(Function<Invocation, Action> plugin) {
    router = EventRouter.builder().service(chat).plugin(new RecordingPlugin().answering(plugin))
        .observer(observer).build();
  }

  @Test
  void reportsEachAttemptWithMethodHostPathAndStatusButNoQuery() {
    Requester jenkins = requester().build();
    remote.enqueue(new MockResponse.Builder().code(503).build());
    remote.enqueue(new MockResponse.Builder().code(201).build());
    routeTo(invocation -> {
      jenkins.execute(ApiRequest.post("job").pathSegment("api-server").pathSegment("build")
          .queryParam("token", "s3cret-query").build());
      return Action.reply("queued");
    });

    assertThat(router.handle(message("E1", "jenkins build ID=api-server")).status()).isEqualTo(200);
    assertThat(chat.nextText()).isEqualTo("queued");

    String host = remote.url("/").host();
    assertThat(calls).extracting(OutboundCall::method, OutboundCall::host, OutboundCall::path, OutboundCall::status,
        OutboundCall::attempt).containsExactly(
            tuple("POST", host, "/jenkins/job/api-server/build", 503, 1),
            tuple("POST", host, "/jenkins/job/api-server/build", 201, 2));
    assertThat(calls).allSatisfy(call -> assertThat(call.toString()).doesNotContain("s3cret"));
  }

  @Test
  void reportsACallWithoutAnAnswerAsStatusZero() throws IOException {
    Requester gone = requester().maxRetries(0).build();
    remote.close();
    routeTo(invocation -> {
      try {
        gone.execute(ApiRequest.get("api/json").build());
        return Action.reply("answered");
      } catch (ApiException e) {
        return Action.reply("no answer");
      }
    });

    router.handle(message("E1", "jenkins jobs"));
    assertThat(chat.nextText()).isEqualTo("no answer");

    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.status()).isZero();
      assertThat(call.path()).isEqualTo("/jenkins/api/json");
    });
  }

  @Test
  void showsOnlyTheBasePathOfARequesterWhosePathsAreSecret() {
    Requester responseUrl = requester().secretPath(true).build();
    remote.enqueue(new MockResponse.Builder().body("ok").build());
    routeTo(invocation -> {
      responseUrl.execute(ApiRequest.post("XyZ123secretPart").build());
      return Action.reply("sent");
    });

    router.handle(message("E1", "jenkins jobs"));
    assertThat(chat.nextText()).isEqualTo("sent");

    assertThat(calls).singleElement().extracting(OutboundCall::path).isEqualTo("/jenkins/{secret}");
  }

  @Test
  void reportsNothingOutsideTheProcessingOfAnEvent() {
    routeTo(invocation -> Action.reply("nothing sent"));
    remote.enqueue(new MockResponse.Builder().body("{}").build());

    requester().build().execute(ApiRequest.get("api/json").build());
    router.handle(message("E1", "jenkins jobs"));
    assertThat(chat.nextText()).isEqualTo("nothing sent");

    assertThat(remote.getRequestCount()).isEqualTo(1);
    assertThat(calls).isEmpty();
  }

  @Test
  void anAsynchronousCallAndTheCallItChainsAreReportedInTheEventsProcessingWhichEndsOnce() {
    Requester jenkins = requester().build();
    remote.enqueue(new MockResponse.Builder().code(201).build());
    remote.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
    RouterObserver scoped = new RouterObserver() {
      @Override
      public Scope processing(ai.chatops.service.ChatEvent event) {
        open.set(1);
        return scope();
      }

      private Scope scope() {
        return new Scope() {
          @Override
          public Continuation continuation() {
            open.incrementAndGet();
            return () -> scope();
          }

          @Override
          public void close() {
            if (open.decrementAndGet() == 0) {
              ended.incrementAndGet();
            }
          }
        };
      }

      @Override
      public void outboundCompleted(OutboundCall call) {
        calls.add(call);
        assertThat(open.get()).as("reported while the event's processing is open").isPositive();
      }
    };
    RecordingPlugin plugin = new RecordingPlugin() {
      @Override
      public java.util.concurrent.CompletionStage<Action> triggerAsync(Invocation invocation) {
        // The second call is chained on the first: it starts on the HTTP client's thread.
        return jenkins.executeAsync(ApiRequest.post("job/api-server/build").build())
            .thenCompose(queued -> jenkins.executeAsync(ApiRequest.get("queue/item/7/api/json").build()))
            .thenApply(item -> Action.reply("queued"));
      }
    };
    router = EventRouter.builder().service(chat).plugin(plugin).observer(scoped).build();

    assertThat(router.handle(message("E9", "jenkins build ID=api-server")).status()).isEqualTo(200);
    assertThat(chat.nextText()).isEqualTo("queued");

    assertThat(calls).extracting(OutboundCall::method, OutboundCall::path, OutboundCall::status).containsExactly(
        tuple("POST", "/jenkins/job/api-server/build", 201), tuple("GET", "/jenkins/queue/item/7/api/json", 200));
    org.awaitility.Awaitility.await("the event's processing ends").atMost(Duration.ofSeconds(10))
        .until(() -> ended.get() == 1);
    assertThat(open.get()).isZero();
  }
}
