package ai.chatops.nlu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.TrainingPhrase;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.PluginResources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine answers as pinned: {@code nlu-golden.tsv} holds its answers (first those of the string-feature
 * engine of issue #10, rewritten for issue #23: greetings, emoji and mentions left out, a leading action
 * favoured) (route, attributes, confidence of the best five) on every training phrase and held-out
 * line of bot and jenkins, on a sample of 100 synthetic intents, and on a model built so that feature names
 * collide ("p1=" + "a|k=unk" is "p1=" + "a" + "|k=" + "unk"). Confidences matched to the bit when the file was
 * written; the test allows 1e-12, as {@code Math.log} and {@code Math.exp} may differ in the last bit between
 * platforms.
 *
 * <p>When a change to the engine means to change its answers, rewrite the file and say why in the commit.
 */
class EngineGoldenTest {
  static final ClassLoader LOADER = EngineGoldenTest.class.getClassLoader();
  static final long SEED = 20240229L;

  @Test
  void answersAsTheStringFeatureEngineDid() throws IOException {
    Map<String, Engine> engines = new LinkedHashMap<>();
    for (Map.Entry<String, List<TrainingSet>> model : models().entrySet()) {
      engines.put(model.getKey(), new Engine(intents(model.getValue()), entities(model.getValue()), SEED));
    }
    int lines = 0;
    try (InputStream in = LOADER.getResourceAsStream("nlu-golden.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split("\t", -1);
        List<Engine.Interpretation> got = engines.get(cells[0]).interpret(unescape(cells[1]), 5);
        assertThat(got).as("%s: %s", cells[0], cells[1]).hasSize(cells.length - 2);
        for (int k = 0; k < got.size(); k++) {
          String[] expected = cells[k + 2].split(" ", 3);
          Engine.Interpretation i = got.get(k);
          assertThat(i.intent().route() + " " + i.attributes()).as("%s: %s #%d", cells[0], cells[1], k)
              .isEqualTo(expected[0] + " " + expected[2]);
          assertThat(i.confidence()).as("%s: %s #%d", cells[0], cells[1], k)
              .isCloseTo(Double.parseDouble(expected[1]), within(1e-12));
        }
        lines++;
      }
    }
    assertThat(lines).isGreaterThan(500);
  }

  @Test
  void answersTheSameOnManyThreadsAtOnce() throws Exception {
    List<TrainingSet> sets = List.of(load("bot"), load("jenkins"));
    Engine engine = new Engine(intents(sets), entities(sets), 20240229L);
    List<String> messages = phrases(sets);
    messages.add(String.join(" ", java.util.Collections.nCopies(100, "build api-server on main")));
    List<List<String>> expected = new ArrayList<>();
    for (String message : messages) {
      expected.add(describe(engine.interpret(message, 5)));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<List<List<String>>>> runs = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        int shift = r * 37;
        runs.add(pool.submit(() -> {
          List<List<String>> got = new ArrayList<>(java.util.Collections.nCopies(messages.size(), null));
          for (int k = 0; k < messages.size(); k++) {
            int i = (k + shift) % messages.size();
            got.set(i, describe(engine.interpret(messages.get(i), 5)));
          }
          return got;
        }));
      }
      for (java.util.concurrent.Future<List<List<String>>> run : runs) {
        assertThat(run.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The models of the golden file, by name. */
  static Map<String, List<TrainingSet>> models() {
    Map<String, List<TrainingSet>> models = new LinkedHashMap<>();
    models.put("bot+jenkins", List.of(load("bot"), load("jenkins")));
    models.put("synthetic", List.of(synthetic(new Random(42))));
    models.put("ops", List.of(ops()));
    return models;
  }

  /** The messages of the golden file for one model. */
  static List<String> messages(String model) throws IOException {
    List<String> messages = new ArrayList<>();
    switch (model) {
      case "bot+jenkins" -> {
        List<String> phrases = phrases(models().get(model));
        messages.addAll(phrases);
        for (int i = 0; i < phrases.size(); i += 3) {
          messages.add(phrases.get(i).toUpperCase(java.util.Locale.ROOT));
          messages.add(phrases.get(i) + " and " + phrases.get((i * 7 + 3) % phrases.size()));
        }
        messages.addAll(heldOut("bot"));
        messages.addAll(heldOut("jenkins"));
      }
      case "synthetic" -> {
        List<String> phrases = phrases(models().get(model));
        for (int i = 0; i < phrases.size(); i += 41) {
          messages.add(phrases.get(i));
        }
        messages.add("could you please verbl1 the thing59 for billing-api on release/3.1");
      }
      default -> {
        messages.addAll(phrases(models().get(model)));
        List<String> more = new ArrayList<>();
        addCollisionMessages(more);
        messages.addAll(more);
      }
    }
    return messages;
  }

  static TrainingSet ops() {
    EntityDefinition env = new EntityDefinition("env", List.of(
        new EntityDefinition.Entry("production", List.of("prod", "live", "prod_eu")),
        new EntityDefinition.Entry("staging", List.of("stage", "pre prod"))), true);
    IntentDefinition deploy = new IntentDefinition("deploy", "/v1/ops/deploy",
        List.of(new IntentParameter("ID", IntentParameter.ANY, true, List.of("Which?")),
            new IntentParameter("ENV", "@env", false, List.of()),
            new IntentParameter("COUNT", IntentParameter.NUMBER, false, List.of())),
        List.of(phrase("deploy ", "api_server", "ID", " to ", "prod", "ENV"),
            phrase("ship a_b c ", "x|k=unk", "ID", " now"),
            phrase("roll x_y z out ", "web-1", "ID", " on ", "stage", "ENV"),
            phrase("deploy_it ", "a|k=known", "ID", " twice 2 times"),
            phrase("please push <s> ", "pay.v2", "ID", " to </s>"),
            TrainingPhrase.of("deploy the thing to live with 3 replicas"),
            TrainingPhrase.of("p1=a|k=unk w=x st=y _ __ a__b")));
    IntentDefinition scale = new IntentDefinition("scale", "/v1/ops/scale",
        List.of(new IntentParameter("ID", IntentParameter.ANY, true, List.of("Which?")),
            new IntentParameter("COUNT", IntentParameter.NUMBER, false, List.of())),
        List.of(phrase("scale ", "billing_api", "ID", " to five"),
            phrase("x y_z roll ", "a_b_c", "ID", " up #4"),
            phrase("resize a|k ", "k=unk", "ID", " please"),
            TrainingPhrase.of("scale up 10 workers")));
    IntentDefinition jobs = new IntentDefinition("jobs", "/v1/ops/jobs", List.of(),
        List.of(TrainingPhrase.of("list jobs"), TrainingPhrase.of("what runs x_y_z"),
            TrainingPhrase.of("show the a_b c jobs"), TrainingPhrase.of("x and y_z jobs")));
    return new TrainingSet("ops", List.of(deploy, scale, jobs), List.of(env));
  }

  private static void addCollisionMessages(List<String> messages) {
    messages.addAll(List.of("roll out|k=unk web-2", "ship x web-9", "roll x y_z", "ship_a b c", "ship a b_c x now",
        "roll x y_z out web-2", "what runs x_y z", "scale up x_y_z",
        "deploy a|k=unk to prod_eu", "resize a|k=unk please", "resize a |k=unk", "p1=a |k=unk", "deploy <s> </s>",
        "DEPLOY Api_Server TO Prod", "scale #-3.5 to twenty", "scale -1 1.5 1. .5 #", "deploy to pre prod",
        "", "   ", "?!", "\u00e9t\u00e9 d\u00e9ploie \u0130stanbul", "\ud83d\ude80 deploy \ud83d\ude80",
        "deploy " + "x".repeat(2000), "a_b_c_d_e_f_g_h".repeat(20), "|k=unk|k=known|k=", "_ _ _",
        String.join(" ", java.util.Collections.nCopies(30, "ship x web-9 to prod")),
        String.join(" ", java.util.Collections.nCopies(30, "scale 3 a_b_c"))));
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
  }

  static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        b.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static List<IntentDefinition> intents(List<TrainingSet> sets) {
    List<IntentDefinition> intents = new ArrayList<>();
    sets.forEach(set -> intents.addAll(set.intents()));
    return intents;
  }

  static List<EntityDefinition> entities(List<TrainingSet> sets) {
    List<EntityDefinition> entities = new ArrayList<>();
    for (TrainingSet set : sets) {
      for (EntityDefinition e : set.entities()) {
        if (!entities.contains(e)) {
          entities.add(e);
        }
      }
    }
    return entities;
  }

  static List<String> describe(List<Engine.Interpretation> interpretations) {
    List<String> out = new ArrayList<>();
    for (Engine.Interpretation i : interpretations) {
      out.add(i.intent().route() + " " + i.confidence() + " " + i.attributes());
    }
    return out;
  }

  private static List<String> phrases(List<TrainingSet> sets) {
    List<String> texts = new ArrayList<>();
    for (TrainingSet set : sets) {
      for (IntentDefinition intent : set.intents()) {
        for (TrainingPhrase phrase : intent.phrases()) {
          texts.add(phrase.text());
        }
      }
    }
    return texts;
  }

  private static TrainingPhrase phrase(String... textThenValueAttributePairs) {
    List<TrainingPhrase.Part> parts = new ArrayList<>();
    for (int i = 0; i < textThenValueAttributePairs.length; ) {
      parts.add(TrainingPhrase.Part.text(textThenValueAttributePairs[i++]));
      if (i + 1 < textThenValueAttributePairs.length) {
        parts.add(TrainingPhrase.Part.value(textThenValueAttributePairs[i], textThenValueAttributePairs[i + 1]));
        i += 2;
      }
    }
    return new TrainingPhrase(parts);
  }

  private static TrainingSet load(String plugin) {
    if (plugin.equals("bot")) {
      return ai.chatops.plugin.BotPlugin.create().trainingSet().orElseThrow();
    }
    return TrainingSet.load(PluginResources.of(plugin, LOADER));
  }

  private static List<String> heldOut(String plugin) throws IOException {
    try (InputStream in = LOADER.getResourceAsStream("nlu-heldout/" + plugin + ".tsv")) {
      List<String> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lines.add(line.split("\t")[0]);
        }
      }
      return lines;
    }
  }

  /**
   * 100 intents of 20 phrases, shaped like LocalNluBenchmark's model but deliberately not shared with it:
   * nlu-golden.tsv holds the answers for exactly this model, so the benchmark's generator can change
   * without rewriting the golden file.
   */
  static TrainingSet synthetic(Random random) {
    String[] fillers = {"please", "could you", "can you", "i want to", "go and", "kindly", "", "now", "hey"};
    String[] tails = {"", "now", "please", "asap", "for me", "right away", "today"};
    String[] ids = {"api-server", "payments.v2", "team/web", "search-api", "etl.nightly", "docs-site", "gateway"};
    String[] branches = {"main", "develop", "release/2.4", "hotfix/ABC-123", "feature/login-page"};
    List<IntentDefinition> intents = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      List<TrainingPhrase> phrases = new ArrayList<>();
      for (int p = 0; p < 20; p++) {
        String lead = fillers[random.nextInt(fillers.length)];
        String verb = random.nextBoolean() ? "verb" + (char) ('a' + i % 26) + (i / 26)
            : "alt" + (char) ('a' + i % 26) + (i / 26) + (random.nextBoolean() ? "x" : "y");
        List<TrainingPhrase.Part> parts = new ArrayList<>();
        parts.add(TrainingPhrase.Part.text((lead.isEmpty() ? "" : lead + " ") + verb + " the thing" + (i * 7 % 100)
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
}
