package ai.chatops.benchmarks;

import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.plugin.TrainingPhrase;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.BotPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The local NLU at scale: 100 synthetic intents of 20 phrases each, generated from a seeded {@link Random};
 * and on the bot plugin's own model, the one {@link PerEventBenchmark}'s free-text event goes through.
 * Run with {@code java -jar chatops-benchmarks/target/benchmarks.jar LocalNluBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
public class LocalNluBenchmark {
  static final int INTENTS = 100;
  static final int PHRASES = 20;

  private List<TrainingSet> material;
  private LocalNlu nlu;
  private String message;

  @Setup
  public void setUp() {
    material = List.of(syntheticPlugin(new Random(42)));
    nlu = LocalNlu.train(material);
    message = "could you please " + verb(37) + " the " + noun(37) + " for billing-api on release/3.1";
  }

  /** Matches one message, with a free-form value and a branch, against every intent. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Optional<NluResult> understandOneMessage() {
    return nlu.understand(message);
  }

  /**
   * Ranks the per-event benchmark's message ("are you awake?", once the mention is stripped) on the bot
   * plugin's model, as the router's NLU step does ({@code understand(NluQuery)} ranks the best 5).
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<NluResult> understandBotMessage(BotModel bot) {
    return bot.nlu.rank(BotModel.MESSAGE, 5);
  }

  /** The bot plugin's model alone, as a router with only {@link BotPlugin} trains it. */
  @State(Scope.Benchmark)
  public static class BotModel {
    static final String MESSAGE = "are you awake?";

    LocalNlu nlu;

    @Setup
    public void setUp() {
      nlu = LocalNlu.train(List.of(BotPlugin.create().trainingSet().orElseThrow()));
      List<NluResult> ranked = nlu.rank(MESSAGE, 5);
      if (ranked.isEmpty() || !ranked.get(0).route().equals("/v1/bot/ping")) {
        throw new IllegalStateException("the bot model should read '" + MESSAGE + "' as /v1/bot/ping: " + ranked);
      }
    }
  }

  /** Trains the engine on all 100 intents. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public LocalNlu trainHundredIntents() {
    return LocalNlu.train(material);
  }

  static TrainingSet syntheticPlugin(Random random) {
    String[] fillers = {"please", "could you", "can you", "i want to", "go and", "kindly", "", "now", "hey"};
    String[] tails = {"", "now", "please", "asap", "for me", "right away", "today"};
    String[] ids = {"api-server", "payments.v2", "team/web", "search-api", "etl.nightly", "docs-site", "gateway"};
    String[] branches = {"main", "develop", "release/2.4", "hotfix/ABC-123", "feature/login-page"};
    List<IntentDefinition> intents = new ArrayList<>();
    for (int i = 0; i < INTENTS; i++) {
      List<TrainingPhrase> phrases = new ArrayList<>();
      for (int p = 0; p < PHRASES; p++) {
        String lead = fillers[random.nextInt(fillers.length)];
        String verb = random.nextBoolean() ? verb(i) : synonym(i, random);
        List<TrainingPhrase.Part> parts = new ArrayList<>();
        parts.add(TrainingPhrase.Part.text((lead.isEmpty() ? "" : lead + " ") + verb + " the " + noun(i)
            + " for "));
        parts.add(TrainingPhrase.Part.value(ids[random.nextInt(ids.length)], "ID"));
        if (random.nextBoolean()) {
          parts.add(TrainingPhrase.Part.text(" on "));
          parts.add(TrainingPhrase.Part.value(branches[random.nextInt(branches.length)], "BRANCH"));
        }
        String tail = tails[random.nextInt(tails.length)];
        if (!tail.isEmpty()) {
          parts.add(TrainingPhrase.Part.text(" " + tail));
        }
        phrases.add(new TrainingPhrase(parts));
      }
      intents.add(new IntentDefinition("intent" + i, "/v1/synthetic/action" + i,
          List.of(new IntentParameter("ID", IntentParameter.ANY, true, List.of("Which one?")),
              new IntentParameter("BRANCH", IntentParameter.ANY, false, List.of())),
          phrases));
    }
    return new TrainingSet("synthetic", intents, List.of());
  }

  private static String verb(int i) {
    return "verb" + (char) ('a' + i % 26) + (i / 26);
  }

  private static String synonym(int i, Random random) {
    return "alt" + (char) ('a' + i % 26) + (i / 26) + (random.nextBoolean() ? "x" : "y");
  }

  private static String noun(int i) {
    return "thing" + (i * 7 % 100);
  }
}
