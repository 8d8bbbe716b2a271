package ai.chatops.dialogflow;

import ai.chatops.ChatOpsException;
import ai.chatops.plugin.Plugin;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * The command line of {@link AgentSync}: uploads the training material of every plugin found on the class
 * path (through {@code ServiceLoader<ai.chatops.plugin.Plugin>}) to a DialogFlow ES agent.
 *
 * <pre>
 * java -cp "chatops-dialogflow.jar:its-dependencies:your-plugins.jar" ai.chatops.dialogflow.AgentSyncMain \
 *     --project my-agent [--language en] [--credentials key.json] [--endpoint host:443] [--dry-run] [--delete]
 * </pre>
 *
 * <p>{@code --dry-run} prints the difference and changes nothing; {@code --delete} also deletes the intents
 * and entity types no plugin declares any more. Credentials are Google's application default credentials
 * unless {@code --credentials} names a key file. Exit status: 0 done, 1 failed, 2 bad arguments.
 */
public final class AgentSyncMain {
  private static final String USAGE =
      "usage: AgentSyncMain --project PROJECT_ID [--language en] [--credentials KEY.json]"
          + " [--endpoint HOST:PORT] [--dry-run] [--delete]";

  private AgentSyncMain() {}

  /** Runs the sync and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), AgentSyncMain.class.getClassLoader(), UnaryOperator.identity(),
        System.out, System.err));
  }

  /**
   * Runs the sync; {@code customize} may adjust the builder after the arguments are applied (tests set the
   * transport there).
   *
   * @return the exit status
   */
  static int run(List<String> args, ClassLoader loader, UnaryOperator<AgentSync.Builder> customize,
      PrintStream out, PrintStream err) {
    AgentSync.Builder builder = AgentSync.builder();
    boolean dryRun = false;
    boolean delete = false;
    boolean project = false;
    Iterator<String> it = args.iterator();
    while (it.hasNext()) {
      String arg = it.next();
      switch (arg) {
        case "--dry-run":
          dryRun = true;
          break;
        case "--delete":
          delete = true;
          break;
        case "--project":
        case "--language":
        case "--credentials":
        case "--endpoint":
          if (!it.hasNext()) {
            err.println(arg + " needs a value\n" + USAGE);
            return 2;
          }
          String value = it.next();
          if (arg.equals("--project")) {
            builder.projectId(value);
            project = true;
          } else if (arg.equals("--language")) {
            builder.languageCode(value);
          } else if (arg.equals("--credentials")) {
            builder.credentialsFile(Path.of(value));
          } else {
            builder.endpoint(value);
          }
          break;
        case "--help":
        case "-h":
          out.println(USAGE);
          return 0;
        default:
          err.println("unknown argument '" + arg + "'\n" + USAGE);
          return 2;
      }
    }
    if (!project) {
      err.println("--project is required\n" + USAGE);
      return 2;
    }
    try {
      List<String> names = new ArrayList<>();
      for (Plugin plugin : ServiceLoader.load(Plugin.class, loader)) {
        plugin.trainingSet().ifPresent(training -> {
          builder.add(training);
          names.add(plugin.name());
        });
      }
      if (names.isEmpty()) {
        err.println("no plugin with training material on the class path: plugins are found through"
            + " META-INF/services/ai.chatops.plugin.Plugin and read from chatops/plugins/<name>/");
        return 1;
      }
      out.println("plugins: " + String.join(", ", names));
      try (AgentSync sync = customize.apply(builder).build()) {
        AgentSync.Plan plan = sync.plan();
        out.print(plan.render(delete));
        if (dryRun) {
          out.println("dry run: nothing changed");
          return 0;
        }
        AgentSync.Plan done = sync.apply(delete);
        out.println("applied " + done.changes().size() + " change" + (done.changes().size() == 1 ? "" : "s"));
        return 0;
      }
    } catch (ChatOpsException e) {
      err.println(e.getMessage());
      return 1;
    }
  }
}
