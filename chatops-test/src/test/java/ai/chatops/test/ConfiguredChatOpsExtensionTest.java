package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConfiguredChatOpsExtensionTest {
  @RegisterExtension
  final ChatOpsExtension chatops = ChatOpsExtension.create()
      .configure(b -> b.plugin(new UptimePlugin(), Map.of("UPTIME_URL", "http://127.0.0.1:9/")))
      .configure(b -> b.replyTimeout(Duration.ofSeconds(2)));

  @Test
  void appliesEveryConfigurationToTheTester(ConversationTester tester) {
    assertThat(tester.service().replyTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(tester.router().catalog().plugin("uptime")).isPresent();
  }
}
