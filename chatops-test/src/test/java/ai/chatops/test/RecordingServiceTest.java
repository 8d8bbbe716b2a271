package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordingServiceTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final RecordingService chat = RecordingService.builder().clock(clock)
      .replyTimeout(Duration.ofSeconds(2)).build(); // long enough for a loaded machine
  private final EventRouter router = EventRouter.builder().service(chat).plugin(BotPlugin.create())
      .clock(clock).build();

  @AfterEach
  void closeRouter() {
    router.close();
  }

  @Test
  void isNamedTestAndMountedAtTestEventsByDefault() {
    RecordingService service = RecordingService.create();

    assertThat(service.name()).isEqualTo("test");
    assertThat(service.path()).isEqualTo("/test/events");
    assertThat(service.replyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(RecordingService.builder().name("slack").build().path()).isEqualTo("/slack/events");
  }

  @Test
  void turnsARequestIntoTheEventOfAUserMessage() {
    WebhookRequest request = chat.request().user("U7").channel("C9").thread("1700.01").workspace("W2")
        .id("ev-42").text("bot ping").build();

    ChatEvent event = chat.receive(request).events().get(0);

    assertThat(event.service()).isEqualTo("test");
    assertThat(event.id()).isEqualTo("ev-42");
    assertThat(event.user()).isEqualTo("U7");
    assertThat(event.channel()).isEqualTo("C9");
    assertThat(event.thread()).contains("1700.01");
    assertThat(event.workspace()).isEqualTo("W2");
    assertThat(event.text()).isEqualTo("bot ping");
    assertThat(event.time()).isEqualTo(clock.instant());
    assertThat(event.sender()).isEqualTo(ChatEvent.Sender.USER);
  }

  @Test
  void givesEachRequestAFreshEventIdUnlessOneIsGiven() {
    String first = chat.receive(chat.request("U1", "a")).events().get(0).id();
    String second = chat.receive(chat.request("U1", "b")).events().get(0).id();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void marksBotAndSelfSenders() {
    assertThat(chat.receive(chat.request().fromBot().text("x").build()).events().get(0).sender())
        .isEqualTo(ChatEvent.Sender.BOT);
    assertThat(chat.receive(chat.request().fromSelf().text("x").build()).events().get(0).sender())
        .isEqualTo(ChatEvent.Sender.SELF);
  }

  @Test
  void refusesARequestWithoutAnEventId() {
    WebhookRequest request = WebhookRequest.builder("POST", "/test/events").body("hi").build();

    assertThatThrownBy(() -> chat.receive(request)).isInstanceOf(BadRequestException.class)
        .hasMessage("missing header X-Test-Event-Id");
  }

  @Test
  void recordsTheRepliesOfTheRouterWithTheirConversation() {
    assertThat(router.handle(chat.request().channel("C9").thread("1700.01").text("bot ping").build()).status())
        .isEqualTo(200);

    RecordingService.Delivery reply = chat.nextReply();

    assertThat(reply.text()).isEqualTo("pong");
    assertThat(reply.conversation())
        .isEqualTo(new Conversation("test", "W1", "C9", Optional.of("1700.01")));
    assertThat(reply).hasToString("C9 (thread 1700.01): pong");
    assertThat(chat.replies()).containsExactly(reply);
    assertThat(chat.pendingReplies()).isEmpty();
  }

  @Test
  void processesARedeliveredEventOnce() {
    router.handle(chat.request().id("ev-7").text("bot ping").build());
    router.handle(chat.request().id("ev-7").text("bot ping").build());

    assertThat(chat.nextReply().text()).isEqualTo("pong");
    chat.assertNoReply(router);
  }

  @Test
  void ignoresMessagesOfOtherBots() {
    router.handle(chat.request().fromBot().text("bot ping").build());

    chat.assertNoReply(router);
  }

  @Test
  void failsTheWaitForAReplyListingWhatWasDelivered() {
    router.handle(chat.request("U1", "bot ping"));
    chat.nextReply();

    assertThatThrownBy(chat::nextReply).isInstanceOf(AssertionError.class)
        .hasMessage("Expected a reply within 2 s, but none came. Replies delivered so far:\n  C1: pong");
  }

  @Test
  void failsTheAssertionOfNoReplyShowingTheReply() {
    router.handle(chat.request("U1", "bot status"));

    assertThatThrownBy(() -> chat.assertNoReply(router)).isInstanceOf(AssertionError.class)
        .hasMessage("Expected no reply, but the bot replied:\n  C1: Up 0s.\n  bot: PASSED");
  }

  @Test
  void showsFieldsAndEphemeralRepliesAsPlainText() {
    chat.deliver(Conversation.of("test", "W1", "C1"),
        Reply.builder("Status").field("api", "PASSED").ephemeral(true).build());

    assertThat(chat.nextReply()).hasToString("C1: Status\napi: PASSED [ephemeral]");
  }
}
