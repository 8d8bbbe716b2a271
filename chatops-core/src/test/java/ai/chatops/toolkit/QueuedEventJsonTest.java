package ai.chatops.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import ai.chatops.service.ChatEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueuedEventJsonTest {
  @Test
  void roundTripsEveryField() {
    ChatEvent event = ChatEvent.builder("slack", "Ev1").workspace("T1").channel("C1").user("U1")
        .text("jenkins build \"é\"").thread("1700.2").time(Instant.parse("2026-05-06T07:08:09.123Z"))
        .sender(ChatEvent.Sender.BOT).raw("{\"type\":\"event_callback\"}").build();

    ChatEvent back = QueuedEventJson.read(QueuedEventJson.write(event));

    assertThat(back).usingRecursiveComparison().isEqualTo(event);
  }

  @Test
  void anEventWithoutAThreadHasNoneAfterwards() {
    ChatEvent event = ChatEvent.builder("slack", "Ev1").channel("C1").user("U1").text("x").time(Instant.EPOCH)
        .build();

    assertThat(QueuedEventJson.read(QueuedEventJson.write(event)).thread()).isEmpty();
  }

  @Test
  void refusesOtherVersionsMissingFieldsAndNonJsonByName() {
    assertThatThrownBy(() -> QueuedEventJson.read("{\"v\":2}"))
        .isInstanceOf(BadRequestException.class).hasMessage("a queued event must have \"v\":1 but had 2");
    assertThatThrownBy(() -> QueuedEventJson.read("{\"v\":1,\"service\":\"slack\"}"))
        .hasMessage("a queued event must have the text field \"id\"");
    assertThatThrownBy(() -> QueuedEventJson.read("[1]")).hasMessage("a queued event must be a JSON object");
    assertThatThrownBy(() -> QueuedEventJson.read("Test message."))
        .hasMessageStartingWith("a queued event must be a JSON object but could not be parsed: ");
  }

  @Test
  void refusesAQueuedEventNestedTooDeepWithA400() {
    String deep = "{\"v\":1,\"raw\":" + "[".repeat(100) + "]".repeat(100) + "}";

    assertThatThrownBy(() -> QueuedEventJson.read(deep))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith("a queued event must be a JSON object but could not be parsed: Document nesting "
            + "depth (65) exceeds the maximum allowed (64");
  }
}
