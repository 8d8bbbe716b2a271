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
    Options options;
    try {
      options = Options.parse(args, builder);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(USAGE);
      return 0;
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
        out.print(plan.render(options.delete()));
        if (options.dryRun()) {
          out.println("dry run: nothing changed");
          return 0;
        }
        AgentSync.Plan done = sync.apply(options.delete());
        out.println("applied " + done.changes().size() + " change" + (done.changes().size() == 1 ? "" : "s"));
        return 0;
      }
    } catch (ChatOpsException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  /** The command line: flags here, connection settings applied to the builder as they are read. */
  private record Options(boolean dryRun, boolean delete, boolean help) {
    /** @throws IllegalArgumentException naming what is wrong with the arguments */
    static Options parse(List<String> args, AgentSync.Builder builder) {
      boolean dryRun = false;
      boolean delete = false;
      boolean project = false;
      Iterator<String> it = args.iterator();
      while (it.hasNext()) {
        String arg = it.next();
        switch (arg) {
          case "--dry-run" -> dryRun = true;
          case "--delete" -> delete = true;
          case "--help", "-h" -> {
            return new Options(false, false, true);
          }
          case "--project", "--language", "--credentials", "--endpoint" -> {
            if (!it.hasNext()) {
              throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = it.next();
            switch (arg) {
              case "--project" -> {
                builder.projectId(value);
                project = true;
              }
              case "--language" -> builder.languageCode(value);
              case "--credentials" -> builder.credentialsFile(Path.of(value));
              default -> builder.endpoint(value);
            }
          }
          default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
        }
      }
      if (!project) {
        throw new IllegalArgumentException("--project is required");
      }
      return new Options(dryRun, delete, false);
    }
  }
}
