package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluResult;
import ai.chatops.nlu.RuntimeEntities;
import ai.chatops.plugin.BotPlugin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin as an {@link ai.chatops.plugin.EntitySource}: Jenkins's job, folder and branch names, read in one
 * request, reach the local NLU, which then prefers them over filler words and writes them as Jenkins does.
 */
class RuntimeEntitiesTest {
  private static final String TREE = "{'jobs':["
      + "{'_class':'hudson.model.FreeStyleProject','name':'docs','color':'blue'},"
      + "{'_class':'hudson.model.FreeStyleProject','name':'Web-Storefront','color':'red'},"
      + "{'_class':'com.cloudbees.hudson.plugins.folder.Folder','name':'team','jobs':["
      + "  {'_class':'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject','name':'api-server','jobs':["
      + "    {'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'main','color':'blue'},"
      + "    {'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'feature%2Flogin-page','color':'yellow'}]},"
      + "  {'_class':'com.cloudbees.hudson.plugins.folder.Folder','name':'deep'}]}]}";

  private final FakeJenkins jenkins = new FakeJenkins();

  @AfterEach
  void close() {
    jenkins.close();
  }

  @Test
  void listsJobsFoldersAndMultibranchBranchesInOneRequest() throws Exception {
    jenkins.json(TREE);

    Map<String, java.util.Set<String>> values = jenkins.plugin().entityValues();

    assertThat(values.get("ID")).containsExactly("docs", "Web-Storefront", "team", "team/api-server", "team/deep");
    assertThat(values.get("BRANCH")).containsExactly("main", "feature/login-page");
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/api/json");
    assertThat(jenkins.requestCount()).isEqualTo(1);
  }

  @Test
  void refusesBeforeItIsConnectedAndKeepsThePreviousValuesWhenJenkinsFails() {
    assertThatThrownBy(() -> JenkinsPlugin.create().entityValues())
        .isInstanceOf(IllegalStateException.class).hasMessage("the jenkins plugin is not connected");
    JenkinsPlugin plugin = jenkins.plugin();
    RuntimeEntities entities = RuntimeEntities.builder().source("jenkins", plugin).build();
    jenkins.json(TREE);
    jenkins.respond(500, "boom");

    entities.refresh();
    entities.refresh();

    assertThat(entities.values("jenkins", "ID")).containsEntry("web-storefront", "Web-Storefront");
  }

  @Test
  void theNluPrefersJenkinsNamesOverFillerWords() {
    JenkinsPlugin plugin = jenkins.plugin();
    RuntimeEntities entities = RuntimeEntities.builder().source("jenkins", plugin).build();
    jenkins.json(TREE);
    entities.refresh();
    LocalNlu nlu = LocalNlu.builder()
        .add(List.of(plugin.trainingSet().orElseThrow(), BotPlugin.create().trainingSet().orElseThrow()))
        .runtimeEntities(entities)
        .build();

    for (String message : List.of("did docs pass last time?", "did docs pass on main?", "how did docs do today",
        "is docs broken again? :fire:")) {
      NluResult result = nlu.understand(message).orElseThrow();
      assertThat(result.route()).as(message).isEqualTo("/v1/jenkins/status");
      assertThat(result.attributes()).as(message).containsEntry("ID", "docs");
    }
    assertThat(nlu.understand("build web-storefront please").orElseThrow().attributes())
        .containsEntry("ID", "Web-Storefront");
    assertThat(nlu.understand("build frontend").orElseThrow().attributes()).doesNotContainKey("ID");
  }
}
