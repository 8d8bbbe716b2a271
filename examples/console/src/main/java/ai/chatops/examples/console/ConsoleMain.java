package ai.chatops.examples.console;

import ai.chatops.EventRouter;
import ai.chatops.WebhookResponse;
import ai.chatops.console.ConsoleService;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.plugin.PluginConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A terminal chat with the bot on the embedded defaults: in-memory store, the console service, the bot's
 * own plugin, Jenkins and every other plugin found on the classpath.
 *
 * <p>Jenkins is enabled when the environment sets {@code JENKINS_URL}, {@code JENKINS_USER} and
 * {@code JENKINS_API_TOKEN}; otherwise its routes answer which of them is missing.
 *
 * <pre>
 * java -jar chatops-console.jar                 # chat; "exit" or end of input quits
 * java -jar chatops-console.jar help            # say one message, print the replies, exit
 * </pre>
 */
public final class ConsoleMain {
  private static final Duration REPLY_WAIT = Duration.ofSeconds(35);

  private ConsoleMain() {}

  private static final List<String> JENKINS_KEYS =
      List.of(JenkinsPlugin.JENKINS_URL, JenkinsPlugin.JENKINS_USER, JenkinsPlugin.JENKINS_API_TOKEN);

  /** The system property naming the log file; by default {@code chatops-console.log} in the temporary folder. */
  static final String LOG_FILE = "org.slf4j.simpleLogger.logFile";

  public static void main(String[] args) throws IOException {
    // The conversation is the terminal; warnings and stack traces go to the log file, not between the lines.
    if (System.getProperty(LOG_FILE) == null) {
      System.setProperty(LOG_FILE, Path.of(System.getProperty("java.io.tmpdir"), "chatops-console.log").toString());
    }
    System.exit(run(args, System.in, System.out, System.getenv()));
  }

  /** Runs the console with the given environment; returns the process exit code. */
  static int run(String[] args, InputStream in, PrintStream out, Map<String, String> env) throws IOException {
    EventRouter.Builder builder = EventRouter.builder()
        .service(ConsoleService.create(out))
        .plugin(BotPlugin.create());
    Map<String, String> jenkins = new LinkedHashMap<>();
    JENKINS_KEYS.forEach(key -> {
      String value = env.get(key);
      if (value != null && !value.isBlank()) {
        jenkins.put(key, value);
      }
    });
    // Registered before discovery, with what the environment gives: when a setting is missing, the plugin
    // cannot connect and its routes answer which one.
    builder.plugin(JenkinsPlugin.create(), jenkins);
    try (EventRouter router = builder.discoverPlugins(ConsoleMain.class.getClassLoader()).build()) {
      if (args.length > 0) {
        return say(router, String.join(" ", args), out) ? 0 : 1;
      }
      out.println("chatops-java console. Plugins: "
          + router.catalog().plugins().stream().map(PluginConfig::name).collect(Collectors.joining(", "))
          + ". Say `help`; `exit` quits."
          + (System.getProperty(LOG_FILE, "System.err").startsWith("System.") ? ""
              : " Log: " + System.getProperty(LOG_FILE)));
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      while (true) {
        out.print("you> ");
        out.flush();
        String line = reader.readLine();
        if (line == null || line.trim().equals("exit") || line.trim().equals("quit")) {
          return 0;
        }
        if (!line.isBlank()) {
          say(router, line, out);
        }
      }
    }
  }

  private static boolean say(EventRouter router, String line, PrintStream out) {
    WebhookResponse response = router.handle(ConsoleService.request(line));
    if (response.status() != 200) {
      out.println("error: " + response.status() + " " + response.bodyAsString());
      return false;
    }
    if (!router.awaitIdle(REPLY_WAIT)) {
      out.println("(still working; the answer will appear when it is ready)");
    }
    return true;
  }
}
