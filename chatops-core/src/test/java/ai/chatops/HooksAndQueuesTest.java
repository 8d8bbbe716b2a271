package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.router.internal.HookEndpoint;
import ai.chatops.plugin.Announcement;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.store.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** External webhooks ({@code /v1/hooks/<plugin>}) and queue deployments (dispatcher + process). */
class HooksAndQueuesTest {
  private static final String SECRET = "0123456789abcdef-hook";
  private final RecordingService service = new RecordingService();
  private final List<EventRouter> routers = new ArrayList<>();

  /** Announces the body of each hook in channel C9. */
  static final class Announcing extends RecordingPlugin {
    @Override
    public List<Announcement> hook(WebhookRequest request) {
      return List.of(new Announcement(Conversation.of("test", "W1", "C9"),
          Reply.text("hook said: " + request.bodyAsString())));
    }
  }

  @AfterEach
  void close() {
    routers.forEach(EventRouter::close);
  }

  private EventRouter router(EventRouter.Builder builder) {
    EventRouter router = builder.build();
    routers.add(router);
    return router;
  }

  private static final String NOW = Long.toString(Instant.now().getEpochSecond());

  private static WebhookRequest hook(String path, String body, String signature) {
    return hook(path, body, signature, NOW);
  }

  private static WebhookRequest hook(String path, String body, String signature, String timestamp) {
    WebhookRequest.Builder b = WebhookRequest.builder("POST", path).body(body);
    if (signature != null) {
      b.header("X-Chatops-Signature", signature);
    }
    if (timestamp != null) {
      b.header("X-Chatops-Timestamp", timestamp);
    }
    return b.build();
  }

  private static String sign(String body) {
    return sign(NOW, body);
  }

  private static String sign(String timestamp, String body) {
    return "sha256=" + HookEndpoint.hex(HookEndpoint.hmac(SECRET.getBytes(StandardCharsets.UTF_8),
        HookEndpoint.signedBytes(timestamp, body.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void aSignedHookReachesItsPluginAndWhatItAnnouncesIsDelivered() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(new Announcing())
        .hookSecret("jenkins", SECRET));
    String body = "{\"build\":12,\"result\":\"SUCCESS\"}";

    WebhookResponse response = router.handle(hook("/v1/hooks/jenkins", body, sign(body)));

    assertThat(response.status()).isEqualTo(202);
    RecordingService.Delivered delivered = service.next();
    assertThat(delivered.conversation()).isEqualTo(Conversation.of("test", "W1", "C9"));
    assertThat(delivered.reply().text()).isEqualTo("hook said: " + body);
  }

  @Test
  void refusesBadMissingAndMalformedSignaturesWith401() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(new Announcing())
        .hookSecret("jenkins", SECRET));

    WebhookResponse bad = router.handle(hook("/v1/hooks/jenkins", "{}", sign("{\"other\":1}")));
    WebhookResponse missing = router.handle(hook("/v1/hooks/jenkins", "{}", null));
    WebhookResponse malformed = router.handle(hook("/v1/hooks/jenkins", "{}", "md5=abc"));

    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.bodyAsString()).isEqualTo("bad X-Chatops-Signature");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.bodyAsString())
        .isEqualTo("missing X-Chatops-Signature: sha256=<hex HMAC of the timestamp, a dot and the body>");
    assertThat(malformed.status()).isEqualTo(401);
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void refusesAHookSignedOverTheBodyAloneAsSendersDidBefore() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(new Announcing())
        .hookSecret("jenkins", SECRET));
    String body = "{\"build\":12}";
    String bodyOnly = "sha256=" + HookEndpoint.hex(HookEndpoint.hmac(SECRET.getBytes(StandardCharsets.UTF_8),
        body.getBytes(StandardCharsets.UTF_8)));

    WebhookResponse old = router.handle(hook("/v1/hooks/jenkins", body, bodyOnly, null));

    assertThat(old.status()).isEqualTo(401);
    assertThat(old.bodyAsString()).isEqualTo("missing X-Chatops-Timestamp: <unix seconds>, which the signature"
        + " covers with the body (hooks signed over the body alone are no longer accepted)");
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void refusesATimestampOutsideFiveMinutesEitherWay() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(new Announcing())
        .hookSecret("jenkins", SECRET));
    long now = Instant.now().getEpochSecond();

    for (long at : new long[] {now - 6 * 60, now + 6 * 60}) {
      String timestamp = Long.toString(at);
      WebhookResponse stale = router.handle(hook("/v1/hooks/jenkins", "{}", sign(timestamp, "{}"), timestamp));

      assertThat(stale.status()).isEqualTo(401);
      assertThat(stale.bodyAsString()).isEqualTo("stale X-Chatops-Timestamp: more than 5 minutes from the bot's clock");
    }
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void refusesAReplayedHookOnEveryRouterSharingTheStore() {
    InMemoryStore store = InMemoryStore.create();
    EventRouter first = router(EventRouter.builder().service(service).plugin(new Announcing()).store(store)
        .hookSecret("jenkins", SECRET));
    EventRouter second = router(EventRouter.builder().service(new RecordingService()).plugin(new Announcing())
        .store(store).hookSecret("jenkins", SECRET));
    String body = "{\"build\":12,\"result\":\"SUCCESS\"}";
    WebhookRequest captured = hook("/v1/hooks/jenkins", body, sign(body));

    assertThat(first.handle(captured).status()).isEqualTo(202);
    WebhookResponse again = first.handle(captured);
    WebhookResponse elsewhere = second.handle(captured);

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.bodyAsString()).isEqualTo("this hook request was received before; send a new one with a fresh"
        + " timestamp");
    assertThat(elsewhere.status()).isEqualTo(409);
    assertThat(service.nextText()).isEqualTo("hook said: " + body);
    assertThat(first.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(second.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(service.remaining()).isEmpty();
  }

  @Test
  void answers404ForUnknownPluginsAndPluginsWithoutAHookSecret() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(new Announcing()));

    assertThat(router.handle(hook("/v1/hooks/jenkins", "{}", sign("{}"))).status()).isEqualTo(404);
    assertThat(router.handle(hook("/v1/hooks/nope", "{}", sign("{}"))).bodyAsString())
        .isEqualTo("no hook is enabled at this path");
    assertThat(router.handle(hook("/v1/hooks/../../etc/passwd", "{}", sign("{}"))).status()).isEqualTo(404);
  }

  @Test
  void refusesOtherMethodsAndShortSecretsAndSecretsForUnknownPlugins() {
    EventRouter router = router(EventRouter.builder().service(service).plugin(new Announcing())
        .hookSecret("jenkins", SECRET));

    assertThat(router.handle(WebhookRequest.builder("GET", "/v1/hooks/jenkins").build()).status()).isEqualTo(405);
    assertThatThrownBy(() -> EventRouter.builder().hookSecret("jenkins", "short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the hook secret of jenkins must have at least 16 characters");
    assertThatThrownBy(() -> EventRouter.builder().hookSecret("gitlab", SECRET).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("a hook secret is set for gitlab, which is not registered");
  }

  @Test
  void aDispatcherHandsEventsToAQueueAndAWorkerRouterProcessesEachOnce() {
    InMemoryStore store = InMemoryStore.create();
    List<ChatEvent> queue = new CopyOnWriteArrayList<>();
    RecordingPlugin ackPlugin = new RecordingPlugin();
    EventRouter ack = router(EventRouter.builder().service(new RecordingService()).plugin(ackPlugin).store(store)
        .dispatcher(queue::add));
    RecordingPlugin workerPlugin = new RecordingPlugin();
    EventRouter worker = router(EventRouter.builder().service(service).plugin(workerPlugin).store(store));

    assertThat(ack.handle(message("E1", "jenkins jobs")).status()).isEqualTo(200);
    assertThat(ack.handle(message("E1", "jenkins jobs")).status()).isEqualTo(200);
    assertThat(queue).hasSize(1);

    assertThat(worker.process(queue.get(0))).isEqualTo(EventRouter.Processing.PROCESSED);
    assertThat(worker.process(queue.get(0))).as("a redelivered queue message")
        .isEqualTo(EventRouter.Processing.ALREADY_DONE);

    assertThat(service.nextText()).isEqualTo("did jobs {}");
    assertThat(workerPlugin.invocations).hasSize(1);
    assertThat(ackPlugin.invocations).isEmpty();
  }

  @Test
  void saysWhenAnotherRouterIsProcessingTheEventSoTheQueueDeliversItAgain() throws InterruptedException {
    InMemoryStore store = InMemoryStore.create();
    List<ChatEvent> queue = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch inPlugin = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    RecordingPlugin slow = new RecordingPlugin().answering(inv -> {
      inPlugin.countDown();
      try {
        release.await(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ai.chatops.plugin.Action.reply("slow done");
    });
    EventRouter ack = router(EventRouter.builder().service(service).plugin(new RecordingPlugin()).store(store)
        .dispatcher(queue::add));
    EventRouter first = router(EventRouter.builder().service(service).plugin(slow).store(store));
    EventRouter second = router(EventRouter.builder().service(service).plugin(new RecordingPlugin()).store(store));
    ack.handle(message("E1", "jenkins jobs"));
    Thread worker = new Thread(() -> first.process(queue.get(0)));
    worker.start();
    try {
      assertThat(inPlugin.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      assertThat(second.process(queue.get(0))).isEqualTo(EventRouter.Processing.IN_PROGRESS_ELSEWHERE);
    } finally {
      release.countDown();
    }
    assertThat(service.nextText()).isEqualTo("slow done");
  }

  @Test
  void aFailingDispatcherGets503AndTheRedeliveryIsDispatchedAgain() {
    List<ChatEvent> queue = new CopyOnWriteArrayList<>();
    boolean[] down = {true};
    EventRouter ack = router(EventRouter.builder().service(service).plugin(new RecordingPlugin())
        .dispatcher(e -> {
          if (down[0]) {
            throw new ChatOpsException("SQS unreachable");
          }
          queue.add(e);
        }));

    assertThat(ack.handle(message("E1", "jenkins jobs")).status()).isEqualTo(503);
    down[0] = false;
    assertThat(ack.handle(message("E1", "jenkins jobs")).status()).isEqualTo(200);

    assertThat(queue).extracting(ChatEvent::id).containsExactly("E1");
    assertThat(ack.process(queue.get(0))).isEqualTo(EventRouter.Processing.PROCESSED);
    assertThat(service.nextText()).isEqualTo("did jobs {}");
  }
}
