package ai.chatops.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

final class KeysTest {
  /** The keys as they were first written (the parts joined, then hashed): stored keys must not change. */
  private static String reference(String... parts) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  @Test
  void keysAreTheDigestsOfThePartsJoinedByNewlines() throws Exception {
    String[][] cases = {
        {"slack", "slack", "T1", "Ev1"},
        {"teams", "x\ny", "", "é✓\uD83D\uDE00"},
        {"lone", "\uD83D", "\uDE00", "end\uD83D"},
        {"nulls", null, "T1"},
        {},
    };
    for (String[] parts : cases) {
      assertThat(Keys.digest(parts)).isEqualTo(reference(parts)).hasSize(43);
    }
    assertThat(Keys.hashed("event", "slack", "slack", "T1", "Ev1"))
        .isEqualTo("event/slack/" + reference("slack", "T1", "Ev1"));
  }
}
