package ai.chatops.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.test.RecordingService;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnsAnnouncerTest {
  private static final Conversation OPS = Conversation.of("test", "W1", "C-ops");
  private final RecordingService chat = RecordingService.create();

  @Test
  void aCloudWatchAlarmIsSaidInTheConfiguredChannel() {
    SNSEvent event = Events.load("sns-alarm.json", SNSEvent.class);

    SnsAnnouncer.toConversation(chat, OPS).handle(event);

    RecordingService.Delivery delivery = chat.nextReply();
    assertThat(delivery.conversation()).isEqualTo(OPS);
    assertThat(delivery.reply()).isEqualTo(Reply.builder("ALARM: api-5xx")
        .field("Reason", "Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).")
        .field("Was", "OK")
        .field("Region", "US East (N. Virginia)")
        .build());
  }

  @Test
  void anyOtherNotificationIsSaidAsSubjectAndMessage() {
    SNSEvent event = Events.load("sns-alarm.json", SNSEvent.class);
    event.getRecords().get(0).getSNS().setSubject("Deploy finished");
    event.getRecords().get(0).getSNS().setMessage("api-server 1.4.2 is live");

    SnsAnnouncer.toConversation(chat, OPS).handle(event);

    assertThat(chat.nextReply().text()).isEqualTo("Deploy finished\napi-server 1.4.2 is live");
  }

  @Test
  void aPluginHookReceivesTheMessageAndItsAnnouncementsAreDelivered() {
    SNSEvent event = Events.load("sns-alarm.json", SNSEvent.class);
    ApiGatewayAdapterTest.Announcing plugin = new ApiGatewayAdapterTest.Announcing();

    SnsAnnouncer.throughPlugin(plugin, List.of(chat)).handle(event);

    RecordingService.Delivery delivery = chat.nextReply();
    assertThat(delivery.conversation()).isEqualTo(Conversation.of("test", "W1", "C9"));
    assertThat(delivery.text()).startsWith("hook said: {\"AlarmName\":\"api-5xx\"");
  }

  @Test
  void aRouteRunsOnceInTheConfiguredChannelEvenWhenSnsDeliversTwice() {
    try (EventRouter router = EventRouter.builder().service(chat).plugin(BotPlugin.create()).build()) {
      SnsAnnouncer announcer = SnsAnnouncer.throughRoute(() -> router, OPS, "sns", "bot ping");

      announcer.handle(Events.load("sns-alarm.json", SNSEvent.class));
      announcer.handle(Events.load("sns-alarm.json", SNSEvent.class));

      RecordingService.Delivery delivery = chat.nextReply();
      assertThat(delivery.conversation()).isEqualTo(OPS);
      assertThat(delivery.text()).isEqualTo("pong");
      chat.assertNoReply(router);
    }
  }

  @Test
  void refusesAConversationOfAnotherService() {
    assertThatThrownBy(() -> SnsAnnouncer.toConversation(chat, Conversation.of("slack", "T1", "C1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the conversation belongs to service slack but the service given is test");
  }

  @Test
  void lazyRouterBuildsOnceAndPrimeLeavesNoRouterBehind() {
    AtomicInteger built = new AtomicInteger();
    LazyRouter lazy = LazyRouter.of(() -> {
      built.incrementAndGet();
      return EventRouter.builder().service(RecordingService.create()).plugin(BotPlugin.create()).build();
    });

    lazy.prime();
    assertThat(lazy.isBuilt()).isFalse();
    EventRouter first = lazy.get();
    assertThat(lazy.get()).isSameAs(first);
    assertThat(built).hasValue(2);
    lazy.close();
    assertThat(lazy.isBuilt()).isFalse();
  }
}
