package ai.chatops.jenkins;

import static ai.chatops.jenkins.FakeJenkins.freestyle;
import static ai.chatops.jenkins.FakeJenkins.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Status;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** stop, status, jobs, the health check, configuration, and how Jenkins failures reach the user. */
class RoutesTest {
  private static final String MULTIBRANCH =
      "{'_class':'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject','name':'api-server',"
          + "'jobs':[{'name':'main','color':'blue_anime'},{'name':'release%2F2.4','color':'blue'}]}";

  private final FakeJenkins jenkins = new FakeJenkins();

  @AfterEach
  void close() {
    jenkins.close();
  }

  @Test
  void stopsTheOneRunningBuildOfABranch() {
    jenkins.json(MULTIBRANCH);
    jenkins.json("{'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'main','color':'blue_anime',"
        + "'url':'http://ci/job/team/job/api-server/job/main/','builds':[{'number':8,'building':true},"
        + "{'number':7,'building':false}]}");
    jenkins.server.enqueue(new MockResponse.Builder().code(302)
        .addHeader("Location", jenkins.root() + "job/team/job/api-server/job/main/8/").build());

    Action action = trigger(jenkins.plugin(), "stop", Map.of("ID", "team/api-server", "BRANCH", "main"));

    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/job/team/job/api-server/api/json");
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/job/team/job/api-server/job/main/api/json");
    assertThat(jenkins.next()).isEqualTo("POST /jenkins/job/team/job/api-server/job/main/8/stop");
    assertThat(action.text()).isEqualTo("Asked Jenkins to abort team/api-server on main #8.");
    assertThat(jenkins.requestCount()).as("the redirect to the build page is not followed").isEqualTo(3);
  }

  @Test
  void stopsAGivenBuildNumberAndAsksWhichWhenSeveralRun() {
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.respond(200, "");
    jenkins.json("{'name':'api-server','color':'blue_anime','builds':[{'number':9,'building':true},"
        + "{'number':8,'building':true}]}");
    jenkins.json("{'name':'api-server','color':'blue','builds':[{'number':9,'building':false}]}");
    JenkinsPlugin plugin = jenkins.plugin();

    assertThat(trigger(plugin, "stop", Map.of("ID", "api-server", "NUMBER", "#41")).text())
        .isEqualTo("Asked Jenkins to abort api-server #41.");
    assertThatThrownBy(() -> trigger(plugin, "stop", Map.of("ID", "api-server")))
        .hasMessage("api-server has 2 running builds (#9, #8); say which one with NUMBER=9.");
    assertThat(trigger(plugin, "stop", Map.of("ID", "api-server")).text()).isEqualTo("api-server has no running build.");
    jenkins.take();
    assertThat(jenkins.next()).isEqualTo("POST /jenkins/job/api-server/41/stop");
    assertThatThrownBy(() -> trigger(plugin, "stop", Map.of("ID", "api-server", "NUMBER", "last")))
        .isInstanceOf(PluginFailedException.class);
  }

  @Test
  void showsTheLastBuildWithStateNumberDurationAndLink() {
    jenkins.json("{'name':'api-server','color':'red','lastBuild':{'number':31,'building':false,'result':'FAILURE',"
        + "'duration':3723000,'url':'http://ci/job/api-server/31/','previousBuild':{'number':30,'result':'SUCCESS'}}}");

    Action action = trigger(jenkins.plugin(), "status", Map.of("ID", "api-server"));

    assertThat(action.toReply().toPlainText()).isEqualTo(String.join("\n",
        "api-server #31: REGRESSION",
        "Result: FAILURE (previous #30: SUCCESS)",
        "Duration: 1 h 2 min",
        "Link: http://ci/job/api-server/31/"));
    RecordedRequest request = jenkins.take();
    assertThat(request.getUrl().queryParameter("tree")).contains("lastBuild[number,url,building,result,duration,"
        + "timestamp,previousBuild[number,result]]");
  }

  @Test
  void showsARunningBuildAndABuildByNumberAndAJobNeverBuilt() {
    long started = FakeJenkins.NOW.minusSeconds(95).toEpochMilli();
    jenkins.json("{'name':'web','color':'blue_anime','lastBuild':{'number':5,'building':true,'timestamp':" + started
        + ",'url':'http://ci/job/web/5/'}}");
    jenkins.json("{'name':'web','color':'blue'}");
    jenkins.json("{'number':3,'building':false,'result':'ABORTED','duration':1000,'url':'http://ci/job/web/3/'}");
    jenkins.json("{'name':'web','color':'notbuilt','lastBuild':null}");
    JenkinsPlugin plugin = jenkins.plugin();

    assertThat(trigger(plugin, "status", Map.of("ID", "web")).toReply().toPlainText())
        .isEqualTo("web #5 is running.\nRunning for: 1 min 35 s\nLink: http://ci/job/web/5/");
    assertThat(trigger(plugin, "status", Map.of("ID", "web", "NUMBER", "3")).toReply().toPlainText())
        .isEqualTo("web #3: ABORTED\nResult: ABORTED\nDuration: 1 s\nLink: http://ci/job/web/3/");
    assertThat(trigger(plugin, "status", Map.of("ID", "web")).text()).isEqualTo("web has never been built.");
  }

  @Test
  void listsJobsInsideFoldersAndMultibranchPipelinesWithEveryColour() {
    jenkins.json("{'jobs':["
        + "{'_class':'hudson.model.FreeStyleProject','name':'a-blue','color':'blue'},"
        + "{'_class':'hudson.model.FreeStyleProject','name':'b-red','color':'red_anime'},"
        + "{'_class':'hudson.model.FreeStyleProject','name':'c-yellow','color':'yellow'},"
        + "{'_class':'hudson.model.FreeStyleProject','name':'d-grey','color':'grey'},"
        + "{'_class':'hudson.model.FreeStyleProject','name':'e-disabled','color':'disabled'},"
        + "{'_class':'hudson.model.FreeStyleProject','name':'f-aborted','color':'aborted'},"
        + "{'_class':'hudson.model.FreeStyleProject','name':'g-notbuilt','color':'notbuilt'},"
        + "{'_class':'com.cloudbees.hudson.plugins.folder.Folder','name':'team','jobs':["
        + "  {'_class':'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject','name':'api-server','jobs':["
        + "    {'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'main','color':'blue'},"
        + "    {'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'feature%2Flogin-page','color':'yellow_anime'}]},"
        + "  {'_class':'com.cloudbees.hudson.plugins.folder.Folder','name':'deep','jobs':["
        + "    {'_class':'com.cloudbees.hudson.plugins.folder.Folder','name':'deeper','jobs':["
        + "      {'_class':'com.cloudbees.hudson.plugins.folder.Folder','name':'deepest'}]}]}]}]}");

    Action action = trigger(jenkins.plugin(), "jobs", Map.of());

    assertThat(action.text()).isEqualTo(String.join("\n",
        "Jenkins jobs (10):",
        "a-blue: SUCCESS",
        "b-red: FAIL (building)",
        "c-yellow: FAIL (unstable)",
        "d-grey: never built",
        "e-disabled: disabled",
        "f-aborted: ABORTED",
        "g-notbuilt: never built",
        "team/api-server/main: SUCCESS",
        "team/api-server/feature/login-page: FAIL (unstable) (building)",
        "team/deep/deeper/deepest/ (folder: list it with ID=team/deep/deeper/deepest)"));
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/api/json");
  }

  @Test
  void listsTheJobsOfOneFolder() {
    jenkins.json("{'jobs':[{'name':'api-server','color':'blue'}]}");
    jenkins.json("{'jobs':[]}");
    JenkinsPlugin plugin = jenkins.plugin();

    assertThat(trigger(plugin, "jobs", Map.of("ID", "team")).text()).isEqualTo("Jobs in team (1):\nteam/api-server: SUCCESS");
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/job/team/api/json");
    assertThat(trigger(plugin, "jobs", Map.of("ID", "empty")).text()).isEqualTo("Folder empty holds no jobs.");
  }

  @Test
  void reportsHealthWithVersionAndUser() {
    jenkins.json("{'_class':'hudson.security.WhoAmI','name':'chatops-bot','authenticated':true,'anonymous':false}");
    jenkins.json("{'name':'anonymous','authenticated':true,'anonymous':true}");
    jenkins.respond(401, "");
    JenkinsPlugin plugin = jenkins.plugin();

    assertThat(plugin.healthCheck()).isEqualTo(Status.of("jenkins", Status.State.PASSED,
        "Jenkins 2.452.1 at " + jenkins.root() + ", signed in as chatops-bot"));
    assertThat(jenkins.next()).isEqualTo("GET /jenkins/whoAmI/api/json");
    assertThat(plugin.healthCheck()).isEqualTo(Status.of("jenkins", Status.State.ERROR, "Jenkins 2.452.1 at "
        + jenkins.root() + " treats the requests as anonymous: check JENKINS_USER and JENKINS_API_TOKEN"));
    assertThat(plugin.healthCheck()).isEqualTo(Status.of("jenkins", Status.State.ERROR,
        "authentication failed for chatops-bot at " + jenkins.root() + " (401 Unauthorized)"));
  }

  @Test
  void reportsAnUnreachableJenkinsInTheHealthCheck() {
    JenkinsPlugin plugin = jenkins.plugin(FakeJenkins.fast().requestTimeout(Duration.ofMillis(300)));
    jenkins.silence();
    jenkins.silence();

    Status status = plugin.healthCheck();

    assertThat(status.state()).isEqualTo(Status.State.ERROR);
    assertThat(status.detail()).startsWith("unreachable at " + jenkins.root() + " (");
  }

  @Test
  void refusesToConnectWithoutCredentialsNamingTheMissingOnes() {
    JenkinsPlugin plugin = JenkinsPlugin.create();

    assertThatThrownBy(() -> plugin.connect(jenkins.context(plugin, Map.of("JENKINS_USER", "bot"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Jenkins is not configured: set JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN"
            + " (missing: JENKINS_URL, JENKINS_API_TOKEN)");
    assertThatThrownBy(() -> trigger(plugin, "jobs", Map.of()))
        .isInstanceOf(PluginFailedException.class)
        .hasMessage("Jenkins is not configured: set JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN.");
    assertThat(plugin.healthCheck()).isEqualTo(Status.of("jenkins", Status.State.ERROR,
        "Jenkins is not configured: set JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN"));
  }

  @Test
  void refusesAnUrlThatIsNotHttpWithoutShowingTheToken() {
    JenkinsPlugin plugin = JenkinsPlugin.create();
    Map<String, String> credentials = new java.util.HashMap<>(jenkins.credentials());
    credentials.put("JENKINS_URL", "ci.example.com");

    assertThatThrownBy(() -> plugin.connect(jenkins.context(plugin, credentials)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("JENKINS_URL: baseUrl must be an absolute http:// or https:// URL")
        .hasMessageNotContaining(FakeJenkins.TOKEN);
  }

  @Test
  void explainsEachJenkinsFailureToTheUser() {
    JenkinsPlugin plugin = jenkins.plugin(FakeJenkins.fast().requestTimeout(Duration.ofMillis(300)));
    jenkins.respond(401, "");
    jenkins.respond(403, "");
    jenkins.respond(404, "");
    jenkins.html(500, "Server Error", "<html><body><h1>Oops!</h1>A problem occurred while processing the request.</body></html>");
    jenkins.html(200, "OK", "<html><head><title>Sign in [Jenkins]</title></head></html>");
    jenkins.silence();
    jenkins.silence();

    assertThat(failure(plugin)).isEqualTo("Jenkins refused the credentials of chatops-bot while looking up job"
        + " api-server (401 Unauthorized): check JENKINS_USER and JENKINS_API_TOKEN.");
    assertThat(failure(plugin)).isEqualTo(
        "Jenkins user chatops-bot is not allowed to do that (looking up job api-server: 403 Forbidden).");
    assertThat(failure(plugin)).isEqualTo("There is no Jenkins job api-server. Say `jenkins jobs` to see the jobs.");
    assertThat(failure(plugin)).isEqualTo("While looking up job api-server, Jenkins failed (500 Internal Server Error:"
        + " Oops! A problem occurred while processing the request.). Try again later.");
    assertThat(failure(plugin)).isEqualTo("While looking up job api-server, Jenkins at " + jenkins.root()
        + " answered with something that is not JSON (an HTML page? check that JENKINS_URL is Jenkins' root URL)."
        + " Try again later.");
    assertThat(failure(plugin)).startsWith("While looking up job api-server, Jenkins at " + jenkins.root()
        + " did not answer (").endsWith("). Try again later.");
  }

  private static String failure(JenkinsPlugin plugin) {
    try {
      trigger(plugin, "status", Map.of("ID", "api-server"));
    } catch (PluginFailedException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a PluginFailedException");
  }
}
