package ai.chatops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyRouterTest {
  private final AtomicInteger built = new AtomicInteger();

  private EventRouter newRouter() {
    built.incrementAndGet();
    return EventRouter.builder().build();
  }

  @Test
  void buildsNothingUntilAskedAndThenOnce() {
    try (LazyRouter lazy = LazyRouter.of(this::newRouter)) {
      assertThat(lazy.isBuilt()).isFalse();
      assertThat(built).hasValue(0);

      EventRouter first = lazy.get();

      assertThat(lazy.get()).isSameAs(first);
      assertThat(lazy.isBuilt()).isTrue();
      assertThat(built).hasValue(1);
    }
  }

  @Test
  void concurrentFirstCallsShareOneRouter() throws Exception {
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (LazyRouter lazy = LazyRouter.of(this::newRouter)) {
      List<Future<EventRouter>> calls = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        calls.add(pool.submit(() -> {
          start.await();
          return lazy.get();
        }));
      }
      start.countDown();
      EventRouter first = calls.get(0).get(30, TimeUnit.SECONDS);
      for (Future<EventRouter> call : calls) {
        assertThat(call.get(30, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(built).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFactoryThatThrowsIsCalledAgainByTheNextGet() {
    AtomicInteger calls = new AtomicInteger();
    try (LazyRouter lazy = LazyRouter.of(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("SLACK_SIGNING_SECRET is not set");
      }
      return newRouter();
    })) {
      assertThatThrownBy(lazy::get).isInstanceOf(IllegalStateException.class)
          .hasMessage("SLACK_SIGNING_SECRET is not set");
      assertThat(lazy.isBuilt()).isFalse();

      assertThat(lazy.get()).isNotNull();
      assertThat(calls).hasValue(2);
    }
  }

  @Test
  void closeClosesTheRouterAndTheNextGetBuildsAnother() {
    LazyRouter lazy = LazyRouter.of(this::newRouter);
    EventRouter first = lazy.get();

    lazy.close();

    assertThat(lazy.isBuilt()).isFalse();
    assertThat(first.handle(WebhookRequest.builder("POST", "/x").build()).status()).isEqualTo(503);
    assertThat(lazy.get()).isNotSameAs(first);
    assertThat(built).hasValue(2);
    lazy.close();
  }

  @Test
  void aFactoryReturningNullIsReported() {
    LazyRouter lazy = LazyRouter.of(() -> null);

    assertThatThrownBy(lazy::get).isInstanceOf(NullPointerException.class)
        .hasMessage("the router factory returned null");
    assertThat(lazy.isBuilt()).isFalse();
  }
}
