package ai.chatops.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.chatops.PluginTimeoutException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.internal.RealInvocationChain;
import ai.chatops.service.ChatEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timeout step: one watcher for every pending call, which times out exactly the calls still running. */
class DeadlineTest {
  private static final Route ROUTE = new Route("/v1/jenkins/build", "jenkins", "build", Optional.empty(),
      List.of());
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static CompletableFuture<Action> call(Deadline deadline, int n, CompletableFuture<Action> plugin) {
    ChatEvent event = ChatEvent.builder("slack", "Ev" + n).workspace("T1").channel("C1").user("U1").text("x")
        .time(Instant.EPOCH).build();
    return RealInvocationChain.start(List.of(deadline), new Invocation(ROUTE, Map.of(), event), i -> plugin,
        Runnable::run, true, stage -> stage);
  }

  @Test
  void callsThatReturnLeaveAtOnceAndNeverTimeOut() {
    Deadline deadline = new Deadline(Duration.ofSeconds(5), scheduler);
    for (int i = 0; i < 500; i++) {
      assertThat(call(deadline, i, CompletableFuture.completedFuture(Action.reply("pong " + i))).join().text())
          .isEqualTo("pong " + i);
      assertThat(deadline.watching()).isZero();
    }
  }

  @Test
  void onlyTheCallsStillRunningTimeOutEachAtItsDeadlineEvenAfterTheWatcherWentIdle() {
    Deadline deadline = new Deadline(Duration.ofSeconds(1), scheduler);
    for (int round = 0; round < 3; round++) {
      List<CompletableFuture<Action>> stuck = new ArrayList<>();
      List<CompletableFuture<Action>> late = new ArrayList<>();
      List<CompletableFuture<Action>> answered = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        CompletableFuture<Action> plugin = new CompletableFuture<>();
        CompletableFuture<Action> result = call(deadline, i, plugin);
        if (i % 3 == 0) {
          stuck.add(result);
        } else if (i % 3 == 1) {
          late.add(result);
          plugin.complete(Action.reply("done " + i)); // returns while others are pending
        } else {
          answered.add(result);
          plugin.complete(Action.reply("done " + i));
        }
      }
      await().until(() -> stuck.stream().allMatch(CompletableFuture::isDone));
      for (CompletableFuture<Action> result : stuck) {
        assertThatThrownBy(result::join).isInstanceOf(CompletionException.class)
            .hasCauseInstanceOf(PluginTimeoutException.class);
      }
      for (CompletableFuture<Action> result : late) {
        assertThat(result.join().text()).startsWith("done ");
      }
      for (CompletableFuture<Action> result : answered) {
        assertThat(result.join().text()).startsWith("done ");
      }
      assertThat(deadline.watching()).isZero();
    }
  }

  @Test
  void aCallStartedAfterTheSchedulerStoppedDoesNotStart() {
    Deadline deadline = new Deadline(Duration.ofSeconds(30), scheduler);
    assertThat(call(deadline, 1, new CompletableFuture<>())).isNotDone();
    scheduler.shutdownNow();
    CompletableFuture<Action> plugin = new CompletableFuture<>();
    assertThatThrownBy(call(deadline, 2, plugin)::join).hasCauseInstanceOf(RejectedExecutionException.class);
    assertThat(deadline.watching()).isEqualTo(1);
  }
}
