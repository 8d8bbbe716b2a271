package ai.chatops.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.StoreEntry;
import ai.chatops.test.RecordingService;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SnapStart hooks, called directly as the Lambda runtime would around a snapshot and its restores. */
class SnapStartHooksTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One store for every router, as a DynamoDB table is shared by every copy restored from a snapshot. */
  private final InMemoryStore store = InMemoryStore.create();
  private final List<RecordingService> chats = new ArrayList<>();
  private final Challenges challenges = new Challenges();
  private final LazyRouter router = LazyRouter.of(this::build);

  private EventRouter build() {
    RecordingService chat = RecordingService.create();
    chats.add(chat);
    return EventRouter.builder().service(chat).service(challenges).plugin(BotPlugin.create()).store(store).build();
  }

  @AfterEach
  void close() {
    router.close();
  }

  /** Answers every request at once with its challenge, as Slack's url_verification is: nothing is recorded. */
  static final class Challenges implements ServiceHandler {
    final AtomicInteger received = new AtomicInteger();

    @Override
    public String name() {
      return "challenges";
    }

    @Override
    public String path() {
      return "/challenges";
    }

    @Override
    public Received receive(WebhookRequest request) {
      received.incrementAndGet();
      return Received.respond(WebhookResponse.text(200, request.bodyAsString()));
    }

    @Override
    public void deliver(Conversation conversation, Reply reply) {
      throw new AssertionError("nothing is delivered");
    }
  }

  private static WebhookRequest challenge() {
    return WebhookRequest.builder("POST", "/challenges").header("Content-Type", "text/plain").body("c-1").build();
  }

  @Test
  void primesAScratchRouterWithTheWarmUpsBeforeTheSnapshotAndRecordsNothing() {
    SnapStartHooks hooks = SnapStartHooks.of(router, () -> List.of(challenge(), challenge()));

    hooks.beforeCheckpoint(null);

    assertThat(chats).hasSize(1); // the scratch router was built once, and closed
    assertThat(challenges.received).hasValue(2);
    assertThat(router.isBuilt()).isFalse();
    assertThat(store.list("", null, 100).entries()).isEmpty();
  }

  @Test
  void asksForFreshWarmUpsAtEachCheckpoint() {
    AtomicInteger asked = new AtomicInteger();
    SnapStartHooks hooks = SnapStartHooks.of(router, () -> {
      asked.incrementAndGet();
      return List.of(challenge());
    });

    hooks.beforeCheckpoint(null);
    hooks.beforeCheckpoint(null);

    assertThat(asked).hasValue(2);
    assertThat(challenges.received).hasValue(2);
  }

  @Test
  void givesEachRestoredCopyARouterWithAFreshIdentity() throws IOException {
    SnapStartHooks hooks = SnapStartHooks.of(router);
    EventRouter beforeSnapshot = router.get(); // a handler that built its router during initialisation
    assertThat(beforeSnapshot.handle(chats.get(0).request("U1", "bot ping")).status()).isEqualTo(200);
    assertThat(chats.get(0).nextReply().text()).isEqualTo("pong");
    hooks.beforeCheckpoint(null);

    hooks.afterRestore(null);

    assertThat(router.isBuilt()).isFalse();
    assertThat(beforeSnapshot.handle(chats.get(0).request("U1", "bot ping")).status())
        .as("the router of the snapshot is closed").isEqualTo(503);
    EventRouter restored = router.get();
    assertThat(restored).isNotSameAs(beforeSnapshot);
    RecordingService chat = chats.get(chats.size() - 1);
    assertThat(restored.handle(chat.request().id("Ev-after").text("bot ping").build()).status()).isEqualTo(200);
    assertThat(chat.nextReply().text()).isEqualTo("pong");
    assertThat(owners()).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void fitsTheSharedNluBeforeTheSnapshotAndRecordsNothing() {
    LocalNlu nlu = LocalNlu.train(List.of(BotPlugin.create().trainingSet().orElseThrow()));
    LazyRouter worker = LazyRouter.of(() -> workerRouter(nlu));
    SnapStartHooks hooks = SnapStartHooks.of(worker, () -> List.of(challenge()), nlu);
    assertThat(nlu.isFitted()).isFalse();

    hooks.beforeCheckpoint(null);

    assertThat(nlu.isFitted()).as("fitted, so in the snapshot").isTrue();
    assertThat(challenges.received).hasValue(1);
    assertThat(worker.isBuilt()).isFalse();
    assertThat(store.list("", null, 100).entries()).isEmpty();
  }

  @Test
  void hooksWithoutAnNluLeaveTheRoutersNluUnfitted() {
    LocalNlu nlu = LocalNlu.train(List.of(BotPlugin.create().trainingSet().orElseThrow()));
    LazyRouter acknowledging = LazyRouter.of(() -> workerRouter(nlu));
    SnapStartHooks hooks = SnapStartHooks.of(acknowledging, () -> List.of(challenge()));

    hooks.beforeCheckpoint(null);

    assertThat(nlu.isFitted()).as("priming asks no free-text question").isFalse();
  }

  @Test
  void rejectsANullNlu() {
    assertThatThrownBy(() -> SnapStartHooks.of(router, List::of, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("nlu");
  }

  private EventRouter workerRouter(LocalNlu nlu) {
    RecordingService chat = RecordingService.create();
    chats.add(chat);
    return EventRouter.builder().service(chat).service(challenges).plugin(BotPlugin.create()).store(store).nlu(nlu)
        .build();
  }

  @Test
  void leavesARouterThatWasNotBuiltAlone() {
    SnapStartHooks hooks = SnapStartHooks.of(router);

    hooks.afterRestore(null);

    assertThat(chats).isEmpty();
    assertThat(router.isBuilt()).isFalse();
  }

  @Test
  void registersWithTheGlobalContextWithoutCallingTheFactoryOnAJvmWithoutCheckpoints() {
    SnapStartHooks hooks = SnapStartHooks.register(router);

    assertThat(hooks).isNotNull();
    assertThat(chats).isEmpty();
  }

  @Test
  void namesAWarmUpSupplierThatReturnedNull() {
    SnapStartHooks hooks = SnapStartHooks.of(router, () -> null);

    assertThatThrownBy(() -> hooks.beforeCheckpoint(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("the warm-up supplier returned null");
    assertThat(chats).isEmpty();
  }

  /** The owner of each event record in the store: the id of the router that recorded it. */
  private List<String> owners() throws IOException {
    List<String> owners = new ArrayList<>();
    for (StoreEntry entry : store.list("event/", null, 100).entries()) {
      owners.add(JSON.readTree(entry.value()).path("owner").asText());
    }
    return owners;
  }
}
