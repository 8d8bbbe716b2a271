package ai.chatops.slack;

import ai.chatops.WebhookRequest;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the headers of a Slack request: the input is header lines ({@code Name: value}), an empty line,
 * then the body. A signature header whose value is {@code valid} is replaced by the correct signature for
 * the request's first timestamp header, so that both sides of the check are reached. Seeds under
 * {@code SlackHeadersFuzzTestInputs/headers}; the check is {@link SlackFuzzing#check}.
 */
class SlackHeadersFuzzTest {
  private static final SlackFuzzing FUZZING = new SlackFuzzing();

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = SlackFuzzing.DURATION)
  void headers(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\n\n");
    String head = split < 0 ? text : text.substring(0, split);
    byte[] body = split < 0 ? new byte[0] : text.substring(split + 2).getBytes(StandardCharsets.ISO_8859_1);
    WebhookRequest.Builder request = WebhookRequest.builder("POST", "/slack/events").body(body);
    String timestamp = null;
    for (String line : head.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("X-Slack-Request-Timestamp") && timestamp == null) {
        timestamp = value;
      }
      if (name.equalsIgnoreCase("X-Slack-Signature") && value.equals("valid")) {
        value = validSignature(timestamp, body);
      }
      request.header(name, value);
    }
    FUZZING.check(request.build());
  }

  private static String validSignature(String timestamp, byte[] body) {
    try {
      return FUZZING.slack.sign(Long.parseLong(timestamp == null ? "" : timestamp), body);
    } catch (NumberFormatException e) {
      return "v0=not-a-number";
    }
  }
}
