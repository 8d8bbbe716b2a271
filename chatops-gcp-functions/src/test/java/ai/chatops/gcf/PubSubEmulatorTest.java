package ai.chatops.gcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ChatOpsException;
import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.ChatEvent;
import ai.chatops.test.RecordingService;
import ai.chatops.test.Wait;
import com.google.cloud.functions.invoker.runner.Invoker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Cloud Functions ack/worker split on Google's Pub/Sub emulator: an ack router publishes with
 * {@link PubSubDispatcher}, the emulator pushes to {@link TestWorker} running in Google's function invoker on
 * loopback, whose {@link PubSubPushWorker} processes each event once.
 */
class PubSubEmulatorTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static PubSubEmulator emulator;
  private static Invoker invoker;
  private static int invokerPort;

  @BeforeAll
  static void start() throws Exception {
    emulator = PubSubEmulator.start();
    Exception last = null;
    for (int attempt = 0; attempt < 3 && invoker == null; attempt++) {
      int port = freePort();
      Invoker candidate = new Invoker(port, TestWorker.class.getName(), "http", TestWorker.class.getClassLoader());
      try {
        candidate.startTestServer();
        invoker = candidate;
        invokerPort = port;
      } catch (Exception e) {
        last = e;
      }
    }
    if (invoker == null) {
      throw last;
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (invoker != null) {
      invoker.stopServer();
    }
    if (emulator != null) {
      emulator.close();
    }
    TestWorker.ROUTER.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A topic with a push subscription to the worker at {@code /<name>}. */
  private static String topicPushingTo(String name) {
    emulator.createTopic(name);
    emulator.createPushSubscription(name + "-worker", name,
        "http://127.0.0.1:" + invokerPort + "/" + name + "?token=" + TestWorker.TOKEN);
    return name;
  }

  private static PubSubDispatcher dispatcher(String topic) {
    return PubSubDispatcher.builder().endpoint(emulator.endpoint()).project(PubSubEmulator.PROJECT).topic(topic)
        .build();
  }

  @Test
  void anAcknowledgedEventIsPushedToTheWorkerAndAnsweredOnce() {
    String topic = topicPushingTo("acked-events");
    RecordingService ackChat = RecordingService.create();
    try (EventRouter ack = EventRouter.builder().service(ackChat).plugin(BotPlugin.create())
        .store(TestWorker.STORE).dispatcher(dispatcher(topic)).build()) {
      assertThat(ack.handle(ackChat.request().id("P1").text("bot ping").build()).status()).isEqualTo(200);
      assertThat(ack.handle(ackChat.request().id("P1").text("bot ping").build()).status()).as("a platform retry")
          .isEqualTo(200);

      assertThat(TestWorker.CHAT.nextReply(WAIT).text()).isEqualTo("pong");
      TestWorker.CHAT.assertNoReply(TestWorker.ROUTER);
      ackChat.assertNoReply(ack);
      assertThat(TestWorker.PUSHES.get("/" + topic).get()).isEqualTo(1);
    }
  }

  @Test
  void aRedeliveredEventIsAcknowledgedWithoutASecondReply() {
    String topic = topicPushingTo("redelivered-events");
    PubSubDispatcher dispatcher = dispatcher(topic);
    List<ChatEvent> published = new CopyOnWriteArrayList<>();
    RecordingService ackChat = RecordingService.create();
    try (EventRouter ack = EventRouter.builder().service(ackChat).plugin(BotPlugin.create())
        .store(TestWorker.STORE).dispatcher(e -> {
          published.add(e);
          dispatcher.accept(e);
        }).build()) {
      assertThat(ack.handle(ackChat.request().id("P2").text("bot ping").build()).status()).isEqualTo(200);
      assertThat(TestWorker.CHAT.nextReply(WAIT).text()).isEqualTo("pong");

      // Pub/Sub delivers at least once: the same event again, as a second message.
      dispatcher.accept(published.get(0));

      Wait.until("the second push", WAIT, () -> TestWorker.PUSHES.get("/" + topic).get() == 2);
      TestWorker.CHAT.assertNoReply(TestWorker.ROUTER);
    }
  }

  @Test
  void aPoisonMessageIsRefusedAndPubSubDeliversItAgain() {
    String topic = topicPushingTo("poison-events");

    emulator.publish(topic, Base64.getEncoder().encodeToString("not json".getBytes(StandardCharsets.UTF_8)));

    // 400 is not an acknowledgement: Pub/Sub retries (and, with a dead-letter policy, gives up to its topic).
    try {
      Wait.until("a redelivery of the refused message", WAIT, () -> {
        AtomicInteger pushes = TestWorker.PUSHES.get("/" + topic);
        return pushes != null && pushes.get() >= 2;
      });
      TestWorker.CHAT.assertNoReply(TestWorker.ROUTER);
    } finally {
      // The emulator has no dead-letter topic: without this it would push the message for ever.
      emulator.deleteSubscription(topic + "-worker");
    }
  }

  @Test
  void aPublishToAMissingTopicIsAChatOpsExceptionNamingIt() {
    ChatEvent event = ChatEvent.builder("test", "P3").channel("C1").user("U1").text("x").time(Instant.EPOCH).build();

    assertThatThrownBy(() -> dispatcher("no-such-topic").accept(event))
        .isInstanceOf(ChatOpsException.class)
        .hasMessageStartingWith("could not publish event test/P3 to projects/chatops-test/topics/no-such-topic:"
            + " HTTP 404");
  }
}
