package ai.chatops.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {
  @Test
  void escapesControlCharactersSoNoLogLineCanBeForged() {
    assertThat(LogSafe.ref("slack", "Ev1\n[main] INFO fake line\r\u2028"))
        .isEqualTo("slack/Ev1\\u000a[main] INFO fake line\\u000d\\u2028");
  }

  @Test
  void capsTheLength() {
    assertThat(LogSafe.clean("a".repeat(500))).isEqualTo("a".repeat(200) + "...");
    assertThat(LogSafe.clean(null)).isEqualTo("null");
  }
}
