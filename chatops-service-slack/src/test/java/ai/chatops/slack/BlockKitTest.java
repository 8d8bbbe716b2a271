package ai.chatops.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.Status;
import ai.chatops.service.Reply;
import ai.chatops.slack.internal.BlockKit;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlockKitTest {
  @Test
  void marksEveryUniversalStateDifferently() {
    assertThat(java.util.Arrays.stream(Status.State.values()).map(BlockKit::mark).distinct())
        .hasSize(Status.State.values().length);
  }

  @Test
  void rendersTextFieldsAndAMarkedStateWithAFallback() {
    Reply reply = Reply.builder("build finished: FAIL").field("Job", "api-server").field("Tests", "PASSED 12/12").build();

    ArrayNode blocks = BlockKit.render(reply, Optional.empty());

    assertThat(blocks.toString()).isEqualTo("[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":"
        + "\":x: build finished: FAIL\"}},{\"type\":\"section\",\"fields\":[{\"type\":\"mrkdwn\",\"text\":\"*Job*\\napi-server\"},"
        + "{\"type\":\"mrkdwn\",\"text\":\"*Tests*\\n:large_green_circle: PASSED 12/12\"}]}]");
    assertThat(BlockKit.fallback(reply)).isEqualTo(":x: build finished: FAIL\nJob: api-server\nTests: PASSED 12/12");
  }

  @Test
  void rendersChoicesAsButtonsCarryingTheThread() {
    Reply reply = Reply.builder("Run deploy start ID=api?").choice("Yes", "yes").choice("No", "no").build();

    ArrayNode blocks = BlockKit.render(reply, Optional.of("1700000000.000100"));

    assertThat(blocks.get(1).toString()).isEqualTo("{\"type\":\"actions\",\"block_id\":\"chatops|1700000000.000100\","
        + "\"elements\":[{\"type\":\"button\",\"action_id\":\"choice-0\",\"text\":{\"type\":\"plain_text\",\"text\":\"Yes\"},"
        + "\"value\":\"yes\",\"style\":\"primary\"},{\"type\":\"button\",\"action_id\":\"choice-1\",\"text\":"
        + "{\"type\":\"plain_text\",\"text\":\"No\"},\"value\":\"no\",\"style\":\"danger\"}]}");
  }

  @Test
  void escapesMarkupSoUserWordsCannotPing() {
    Reply reply = Reply.text("echo <!channel> & <@U1>");

    assertThat(BlockKit.render(reply, Optional.empty()).get(0).path("text").path("text").asText())
        .isEqualTo("echo &lt;!channel&gt; &amp; &lt;@U1&gt;");
    assertThat(BlockKit.fallback(reply)).isEqualTo("echo &lt;!channel&gt; &amp; &lt;@U1&gt;");
  }
}
