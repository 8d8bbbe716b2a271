package ai.chatops.examples.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import java.nio.file.Path;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ConsoleMainTest {
  private static final Map<String, String> NO_ENV = Map.of();

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void saysOneMessageFromTheArgumentsAndExits() throws Exception {
    int code = ConsoleMain.run(new String[] {"bot", "echo", "TEXT=\"hi there\""}, new ByteArrayInputStream(new byte[0]), out, NO_ENV);

    assertThat(code).isZero();
    assertThat(output()).isEqualTo("bot> hi there\n");
  }

  @Test
  void chatsLineByLineUntilExit() throws Exception {
    byte[] input = "bot ping\n\nhelp bot\nexit\nbot ping\n".getBytes(StandardCharsets.UTF_8);

    int code = ConsoleMain.run(new String[0], new ByteArrayInputStream(input), out, NO_ENV);

    assertThat(code).isZero();
    assertThat(output()).isEqualTo(String.join("\n",
        "chatops-java console. Plugins: bot, jenkins. Say `help`; `exit` quits.",
        "you> bot> pong",
        "you> you> bot> Here is what I can do:",
        "     ",
        "     bot (0.1.0)",
        "       bot ping - Answers pong, to check the bot is alive",
        "           \"are you there\"",
        "           \"are you alive\"",
        "       bot echo TEXT=... - Repeats TEXT back",
        "           \"echo hello world\"",
        "           \"say good morning team\"",
        "       bot status - Uptime and the health of every plugin",
        "           \"how are you doing\"",
        "           \"show your uptime\"",
        "     ",
        "     Write attributes as KEY=value, quoting values with spaces: KEY=\"two words\".",
        "you> "));
  }

  @Test
  void understandsPlainWordsThroughTheLocalNlu() throws Exception {
    int code = ConsoleMain.run(new String[] {"hey, are you still alive?"}, new ByteArrayInputStream(new byte[0]), out, NO_ENV);

    assertThat(code).isZero();
    assertThat(output()).isEqualTo("bot> pong\n");
  }

  @Test
  void endsAtTheEndOfInput() throws Exception {
    int code = ConsoleMain.run(new String[0], new ByteArrayInputStream("bot ping".getBytes(StandardCharsets.UTF_8)), out, NO_ENV);

    assertThat(code).isZero();
    assertThat(output()).endsWith("you> bot> pong\nyou> ");
  }

  @Test
  void saysInChatThatJenkinsIsNotConfiguredWithoutItsEnvironment() throws Exception {
    int code = ConsoleMain.run(new String[] {"jenkins", "build", "ID=team/api-server", "BRANCH=main"},
        new ByteArrayInputStream(new byte[0]), out, Map.of("JENKINS_URL", "https://ci.example.com/"));

    assertThat(code).isZero();
    assertThat(output()).isEqualTo("bot> Sorry, the jenkins plugin cannot run: Jenkins is not configured: set"
        + " JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN (missing: JENKINS_USER, JENKINS_API_TOKEN)\n");
  }

  @Test
  void drivesJenkinsWhenTheEnvironmentConfiguresIt() throws Exception {
    try (MockWebServer jenkins = new MockWebServer()) {
      jenkins.start(0);
      jenkins.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body("{\"jobs\":[{\"name\":\"api-server\",\"color\":\"red_anime\"}]}").build());

      int code = ConsoleMain.run(new String[] {"jenkins", "jobs"}, new ByteArrayInputStream(new byte[0]), out,
          Map.of("JENKINS_URL", jenkins.url("/").toString(), "JENKINS_USER", "bot", "JENKINS_API_TOKEN", "t0k3n"));

      assertThat(code).isZero();
      assertThat(output()).isEqualTo("bot> Jenkins jobs (1):\n     api-server: FAIL (building)\n");
      RecordedRequest request = jenkins.takeRequest(5, TimeUnit.SECONDS);
      assertThat(request.getUrl().encodedPath()).isEqualTo("/api/json");
      assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
    }
  }

  @Test
  void keepsWarningsAndStackTracesOutOfTheConversationInItsLogFile(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("console.log");
    Process console = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-D" + ConsoleMain.LOG_FILE + "=" + log,
        ConsoleMain.class.getName())
        .redirectErrorStream(true).start();
    try (var stdin = console.getOutputStream()) {
      stdin.write("jenkins build ID=api\nbot ping\nexit\n".getBytes(StandardCharsets.UTF_8));
    }
    String printed = new String(console.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(console.waitFor()).isZero();

    assertThat(printed).isEqualTo("chatops-java console. Plugins: bot, jenkins. Say `help`; `exit` quits. Log: "
        + log + "\n"
        + "you> bot> Sorry, the jenkins plugin cannot run: Jenkins is not configured: set JENKINS_URL, JENKINS_USER"
        + " and JENKINS_API_TOKEN (missing: JENKINS_URL, JENKINS_USER, JENKINS_API_TOKEN)\n"
        + "you> bot> pong\n"
        + "you> ");
    assertThat(Files.readString(log)).contains("WARN ai.chatops.router.internal.PluginSlot - plugin jenkins could"
        + " not connect");
  }
}
