package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginResources;
import ai.chatops.plugin.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The config, intents, entities and data shipped in the jar agree with each other. */
class ResourcesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PluginResources resources = PluginResources.of("jenkins", getClass().getClassLoader());
  private final PluginConfig config = JenkinsPlugin.create().config();

  @Test
  void declaresTheRoutesAttributesCredentialsAndConfirmation() {
    assertThat(config.routes()).extracting(Route::path).containsExactly("/v1/jenkins/build", "/v1/jenkins/start",
        "/v1/jenkins/stop", "/v1/jenkins/jobs", "/v1/jenkins/status");
    assertThat(config.routes()).allSatisfy(r -> assertThat(r.description()).isPresent());
    assertThat(config.routes()).filteredOn(Route::confirm).extracting(Route::action).containsExactly("stop");
    assertThat(config.attributes()).containsExactly("ID", "BRANCH", "JOB_PARAM", "NUMBER");
    assertThat(config.credentials().keys()).containsExactly("JENKINS_URL", "JENKINS_USER", "JENKINS_API_TOKEN");
    assertThat(config.credentials().get("JENKINS_API_TOKEN")).isEmpty();
  }

  @Test
  void isFoundByServiceLoader() {
    assertThat(ServiceLoader.load(Plugin.class, getClass().getClassLoader()).stream().map(p -> p.get().name()))
        .contains("jenkins");
  }

  @Test
  void derivesTheIntentParametersFromTheRoutesInCode() {
    ai.chatops.plugin.TrainingSet set = JenkinsPlugin.create().trainingSet().orElseThrow();
    ai.chatops.plugin.IntentDefinition build = set.intentFor("/v1/jenkins/build").orElseThrow();
    assertThat(build.parameters()).extracting(p -> p.name() + " " + p.dataType() + " " + p.required())
        .containsExactly("ID @sys.any true", "BRANCH @branch false", "JOB_PARAM @sys.any false");
    assertThat(build.parameter("ID").orElseThrow().prompts()).first().isEqualTo("Which job should I build?");
    assertThat(set.intentFor("/v1/jenkins/stop").orElseThrow().parameter("NUMBER").orElseThrow().dataType())
        .isEqualTo("@sys.number");
  }

  @Test
  void givesEveryRouteAnIntentWhoseParametersAndPhrasesUseItsAttributes() throws Exception {
    for (Route route : config.routes()) {
      JsonNode intent = JSON.readTree(resources.read("intents/" + route.action() + ".json").orElseThrow());
      JsonNode response = intent.get("responses").get(0);
      assertThat(response.get("action").asText()).isEqualTo(route.path());
      for (JsonNode parameter : response.get("parameters")) {
        assertThat(route.attributes()).contains(parameter.get("name").asText());
        if (parameter.get("required").asBoolean()) {
          assertThat(parameter.get("prompts")).isNotEmpty();
        }
      }
      JsonNode says = JSON.readTree(resources.read("intents/" + route.action() + "_usersays_en.json").orElseThrow());
      assertThat(says.size()).as(route.action()).isGreaterThanOrEqualTo(14);
      for (JsonNode phrase : says) {
        for (JsonNode part : phrase.get("data")) {
          if (part.has("alias")) {
            assertThat(route.attributes()).contains(part.get("alias").asText());
          }
        }
      }
    }
  }

  @Test
  void marksOnlyDeclaredAttributesInTheTrainingSentences() {
    Pattern marked = Pattern.compile("\\[([^\\]]+)\\]\\(([A-Z_]+)\\)");
    assertThat(resources.list("data")).containsExactly("build.txt", "jobs.txt", "start.txt", "status.txt", "stop.txt");
    for (String file : resources.list("data")) {
      Route route = config.routeForAction(file.replace(".txt", "")).orElseThrow();
      List<String> lines = resources.read("data/" + file).orElseThrow().lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
      assertThat(lines).as(file).hasSizeGreaterThanOrEqualTo(14);
      for (String line : lines) {
        Matcher m = marked.matcher(line);
        while (m.find()) {
          assertThat(route.attributes()).as(line).contains(m.group(2));
        }
      }
    }
  }

  @Test
  void shipsTheBranchEntityWithRealBranchNames() throws Exception {
    JsonNode entries = JSON.readTree(resources.read("entities/branch_entries_en.json").orElseThrow());
    assertThat(entries.findValuesAsText("value")).contains("main", "develop", "release/2.4", "feature/login-page",
        "hotfix/ABC-123");
    assertThat(JSON.readTree(resources.read("entities/branch.json").orElseThrow()).get("automatedExpansion").asBoolean())
        .isTrue();
  }
}
