package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.access.AccessPolicy;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.store.InMemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate limits hold across every router on one store: N instances allow the limit once, not N times. */
class SharedRateLimitTest {
  private final InMemoryStore store = InMemoryStore.create();
  private final List<EventRouter> routers = new ArrayList<>();

  @AfterEach
  void close() {
    routers.forEach(EventRouter::close);
  }

  private EventRouter router(RecordingService service, RecordingPlugin plugin) {
    EventRouter router = EventRouter.builder().service(service).plugin(plugin).store(store)
        .access(AccessPolicy.builder().userRateLimit(1, Duration.ofHours(1)).build()).build();
    routers.add(router);
    return router;
  }

  @Test
  void aUserAtTheLimitOnOneRouterIsRefusedOnAnother() {
    RecordingService service = new RecordingService();
    RecordingPlugin first = new RecordingPlugin();
    RecordingPlugin second = new RecordingPlugin();
    EventRouter one = router(service, first);
    EventRouter other = router(service, second);

    assertThat(one.handle(message("E1", "jenkins jobs")).status()).isEqualTo(200);
    assertThat(service.nextText()).isEqualTo("did jobs {}");
    assertThat(other.handle(message("E2", "jenkins jobs")).status()).isEqualTo(200);

    assertThat(service.nextText()).startsWith("Sorry, you are going too fast: you may run 1 commands every 1 h."
        + " Try again in ");
    assertThat(first.invocations.size() + second.invocations.size()).isEqualTo(1);
  }
}
