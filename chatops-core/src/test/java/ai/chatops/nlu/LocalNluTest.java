package ai.chatops.nlu;

import ai.chatops.plugin.PluginFolder;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.Catalog;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.PluginResources;
import ai.chatops.service.ChatEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalNluTest {
  static final ClassLoader LOADER = LocalNluTest.class.getClassLoader();

  @TempDir Path temp;
  LocalNlu ops;
  LocalNlu jenkins;

  @BeforeEach
  void train() {
    ops = LocalNlu.train(List.of(new PluginFolder(temp).complete().load()));
    jenkins = LocalNlu.train(List.of(ai.chatops.plugin.BotPlugin.create().trainingSet().orElseThrow(),
        TrainingSet.load(PluginResources.of("jenkins", LOADER))));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "deploy billing-api to prod | production",
      "please ship billing-api to live | production",
      "roll billing-api out to pre-prod | staging",
      "deploy billing-api to the stage environment | staging"})
  void mapsSynonymsToTheCanonicalEntityValue(String message, String env) {
    NluResult result = ops.understand(message).orElseThrow();

    assertThat(result.route()).isEqualTo("/v1/ops/deploy");
    assertThat(result.attributes()).isEqualTo(Map.of("ID", "billing-api", "ENV", env));
  }

  @Test
  void fitsOnlyWhenAskedOrWhenFirstQuestionedAndSharesTheModelsWithItsCopies() {
    LocalNlu copy = jenkins.withRuntimeEntities(RuntimeEntities.builder().build());
    assertThat(jenkins.isFitted()).as("trained, not yet asked").isFalse();
    assertThat(ops.isFitted()).isFalse();

    assertThat(copy.fit()).isSameAs(copy);

    assertThat(jenkins.isFitted()).as("the original shares the copy's models").isTrue();
    assertThat(ops.isFitted()).as("another engine").isFalse();
    assertThat(jenkins.fit().understand("please build billing-api").orElseThrow().route())
        .isEqualTo("/v1/jenkins/build");
    ops.understand("deploy billing-api to prod");
    assertThat(ops.isFitted()).as("fitted by its first question").isTrue();
  }

  @Test
  void keepsAClosedEntityToItsList() {
    assertThat(ops.understand("deploy billing-api to eu-west-3").map(NluResult::attributes))
        .hasValueSatisfying(a -> assertThat(a).doesNotContainKey("ENV"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "deploy billing-api to prod | production",
      "deploy billing-api to eu-west-3 | eu-west-3",
      "please ship billing-api to sandbox/42 | sandbox/42",
      "deploy billing-api to live and tell me the result | production"})
  void acceptsValuesOutsideTheListOfAnEntityWithAutomatedExpansion(String message, String env) {
    LocalNlu open = LocalNlu.train(List.of(new PluginFolder(temp).complete()
        .write("entities/env.json", "{\"name\": \"env\", \"automatedExpansion\": true}").load()));

    assertThat(open.understand(message).orElseThrow().attributes())
        .isEqualTo(Map.of("ID", "billing-api", "ENV", env));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "scale billing-api to 7 replicas | 7",
      "scale billing-api to three instances | 3",
      "run 12 copies of billing-api | 12"})
  void extractsNumbers(String message, String count) {
    NluResult result = ops.understand(message).orElseThrow();

    assertThat(result.route()).isEqualTo("/v1/ops/scale");
    assertThat(result.attributes()).isEqualTo(Map.of("ID", "billing-api", "COUNT", count));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "build api-server on main | api-server | main",
      "please build payments.v2 from release/2.4 | payments.v2 | release/2.4",
      "could you build team/api-server on hotfix/ABC-123 | team/api-server | hotfix/ABC-123",
      "kick off a build of Billing-API on feature/login-page | Billing-API | feature/login-page",
      "build svc_42.core-x on branch release/10.0.1-rc2 | svc_42.core-x | release/10.0.1-rc2"})
  void keepsFreeFormValuesWholeAndAsTyped(String message, String id, String branch) {
    NluResult result = jenkins.understand(message).orElseThrow();

    assertThat(result.route()).isEqualTo("/v1/jenkins/build");
    assertThat(result.attributes()).isEqualTo(Map.of("ID", id, "BRANCH", branch));
  }

  @Test
  void keepsMultiWordFreeTextWithItsPunctuation() {
    NluResult result = jenkins.understand("echo hello, world: it works!").orElseThrow();

    assertThat(result.route()).isEqualTo("/v1/bot/echo");
    assertThat(result.attributes()).isEqualTo(Map.of("TEXT", "hello, world: it works"));
  }

  @Test
  void reportsAnIntentWithoutItsMissingValuesForSlotFilling() {
    NluResult result = jenkins.understand("please build").orElseThrow();

    assertThat(result.route()).isEqualTo("/v1/jenkins/build");
    assertThat(result.attributes()).isEmpty();
    assertThat(jenkins.intent("/v1/jenkins/build").orElseThrow().requiredParameters())
        .containsExactly(new IntentParameter("ID", "@sys.any", true, List.of("Which job?")));
  }

  @ParameterizedTest
  @CsvSource({"what's the weather", "order me a pizza", "the quick brown fox", "¯\\_(ツ)_/¯", "''"})
  void answersEmptyForUnrelatedText(String message) {
    assertThat(jenkins.understand(message)).isEmpty();
    assertThat(jenkins.rank(message, 3)).allSatisfy(r -> assertThat(r.confidence()).isLessThan(0.3));
  }

  @Test
  void ranksTheClosestRoutesForSuggestions() {
    List<NluResult> ranked = jenkins.rank("status", 3);

    assertThat(ranked).extracting(NluResult::route).contains("/v1/bot/status", "/v1/jenkins/status");
    assertThat(ranked).isSortedAccordingTo((a, b) -> Double.compare(b.confidence(), a.confidence()));
  }

  @Test
  void reportsConfidenceWithinZeroAndOneHigherForClearMessages() {
    double clear = jenkins.understand("build api-server on main").orElseThrow().confidence();
    double vague = jenkins.rank("what about api-server", 1).get(0).confidence();

    assertThat(clear).isBetween(0.6, 1.0);
    assertThat(vague).isLessThan(clear);
  }

  @Test
  void theMinimumConfidenceIsConfigurable() {
    LocalNlu strict = LocalNlu.builder().add(ops.trainingSets()).minConfidence(1.0).build();

    assertThat(strict.understand("deploy billing-api to prod")).isEmpty();
    assertThatThrownBy(() -> LocalNlu.builder().minConfidence(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minConfidence must be within 0..1 but was 1.5");
  }

  @Test
  void answersOnlyWithRoutesTheCatalogServes() {
    ChatEvent event = ChatEvent.builder("console", "1").workspace("w").channel("c").user("u")
        .text("build api-server").time(Instant.EPOCH).build();
    Catalog botOnly = Catalog.of(List.of(ai.chatops.plugin.BotPlugin.create().config()));
    Catalog both = Catalog.of(List.of(ai.chatops.plugin.BotPlugin.create().config(),
        PluginResources.of("jenkins", LOADER).config()));

    assertThat(jenkins.understand(new NluQuery("build api-server", event, both)).map(NluResult::route))
        .contains("/v1/jenkins/build");
    assertThat(jenkins.understand(new NluQuery("build api-server", event, botOnly))).isEmpty();
  }

  @Test
  void exposesEveryIntentByRoute() {
    assertThat(jenkins.intents()).extracting(IntentDefinition::route).containsExactly("/v1/bot/echo",
        "/v1/bot/ping", "/v1/bot/status", "/v1/jenkins/build", "/v1/jenkins/jobs", "/v1/jenkins/start",
        "/v1/jenkins/status", "/v1/jenkins/stop");
    assertThat(jenkins.intent("/v1/bot/echo").orElseThrow().parameter("TEXT").orElseThrow().prompts())
        .containsExactly("What should I repeat?");
    assertThat(jenkins.intent("/v1/bot/nope")).isEqualTo(Optional.empty());
  }

  @Test
  void rejectsTwoIntentsForOneRouteAcrossTrainingSets() {
    TrainingSet set = ops.trainingSets().get(0);

    assertThatThrownBy(() -> LocalNlu.train(List.of(set, set)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("route /v1/ops/deploy has two intents, 'deploy' and 'deploy' (plugin ops); keep one intent"
            + " per route");
  }

  @Test
  void trainsDeterministically() {
    LocalNlu again = LocalNlu.train(jenkins.trainingSets());

    for (String message : List.of("stop web.frontend", "how is geo-service doing", "say we are live")) {
      assertThat(again.rank(message, 3)).isEqualTo(jenkins.rank(message, 3));
    }
  }

  @Test
  void concurrentCallsGiveIdenticalResults() throws Exception {
    List<String> messages = List.of("build billing-api on release/3.1", "stop web.frontend", "list the jobs",
        "run launch-checklist with RELEASE=3.1", "echo good night everyone", "what's the weather");
    List<List<NluResult>> expected = new ArrayList<>();
    for (String m : messages) {
      expected.add(jenkins.rank(m, 3));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          for (int round = 0; round < 50; round++) {
            for (int i = 0; i < messages.size(); i++) {
              if (!jenkins.rank(messages.get(i), 3).equals(expected.get(i))) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : futures) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
