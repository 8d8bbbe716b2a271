package ai.chatops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Text from a request cannot start a log line of its own: the router escapes it (LogSafe). */
class LogForgingTest {
  private static String logOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void escapesAPathAndMethodInTheOversizedBodyWarning() {
    try (EventRouter router = EventRouter.builder().service(new RecordingService()).maxBodyBytes(4).build()) {
      WebhookRequest request = WebhookRequest.builder("POST\r\nX", "/test/events\n[main] ERROR forged")
          .body("12345").build();

      String log = logOf(() -> assertThat(router.handle(request).status()).isEqualTo(413));

      assertThat(log).contains("refused POST\\u000d\\u000aX /test/events\\u000a[main] ERROR forged: body of 5 bytes");
      assertThat(log.lines()).noneMatch(line -> line.startsWith("[main] ERROR forged") || line.startsWith("X "));
    }
  }

  @Test
  void escapesAPluginFailureMessageThatQuotesTheUser() {
    RecordingPlugin plugin = new RecordingPlugin().answering(inv -> {
      throw new PluginFailedException("no job " + inv.attributes().get("ID") + "\n[main] ERROR forged");
    });
    try (EventRouter router = EventRouter.builder().service(new RecordingService()).plugin(plugin).build()) {
      String log = logOf(() -> {
        assertThat(router.handle(RecordingService.message("E1", "jenkins build ID=api")).status()).isEqualTo(200);
        assertThat(router.awaitIdle(Duration.ofSeconds(30))).isTrue();
      });

      assertThat(log).contains("failed: no job api\\u000a[main] ERROR forged");
      assertThat(log.lines()).noneMatch(line -> line.startsWith("[main] ERROR forged"));
    }
  }
}
