package ai.chatops.jenkins;

import static ai.chatops.jenkins.FakeJenkins.freestyle;
import static ai.chatops.jenkins.FakeJenkins.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Queueing builds: authentication, CSRF crumbs, 201 and 303 answers, parameters. */
class CrumbAndQueueTest {
  private final FakeJenkins jenkins = new FakeJenkins();

  @AfterEach
  void close() {
    jenkins.close();
  }

  @Test
  void queuesWithTheApiTokenAndNoCrumbAndReadsTheQueueItemOf201() {
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.queued(201, 41);

    Action action = trigger(jenkins.plugin(), "start", Map.of("ID", "api-server"));

    RecordedRequest lookup = jenkins.take();
    assertThat(lookup.getMethod()).isEqualTo("GET");
    assertThat(lookup.getUrl().encodedPath()).isEqualTo("/jenkins/job/api-server/api/json");
    assertThat(lookup.getHeaders().get("Authorization")).isEqualTo(FakeJenkins.BASIC);
    RecordedRequest post = jenkins.take();
    assertThat(post.getMethod() + " " + post.getTarget()).isEqualTo("POST /jenkins/job/api-server/build");
    assertThat(post.getHeaders().get("Authorization")).isEqualTo(FakeJenkins.BASIC);
    assertThat(post.getHeaders().get("Jenkins-Crumb")).isNull();
    assertThat(action.text()).isEqualTo("Queued api-server (queue item #41): http://ci/job/api-server/");
    assertThat(action.followUp()).isEmpty();
  }

  @Test
  void keepsTheLocationOfA303InsteadOfFollowingIt() {
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.queued(303, 42);

    Action action = trigger(jenkins.plugin(), "start", Map.of("ID", "api-server"));

    assertThat(action.text()).isEqualTo("Queued api-server (queue item #42): http://ci/job/api-server/");
    assertThat(jenkins.requestCount()).isEqualTo(2);
  }

  @Test
  void fetchesACrumbWhenJenkinsAsksForOneAndSendsItWithTheSessionCookie() {
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.html(403, "No valid crumb was included in the request",
        "<html><head><title>Error 403 No valid crumb was included in the request</title></head></html>");
    jenkins.server.enqueue(new MockResponse.Builder().code(200).addHeader("Set-Cookie", "JSESSIONID.ab=s1; Path=/")
        .body(FakeJenkins.j("{'_class':'hudson.security.csrf.DefaultCrumbIssuer','crumb':'c0ffee',"
            + "'crumbRequestField':'Jenkins-Crumb'}")).build());
    jenkins.queued(201, 43);
    JenkinsPlugin plugin = jenkins.plugin();

    trigger(plugin, "start", Map.of("ID", "api-server"));

    jenkins.take();
    assertThat(jenkins.take().getHeaders().get("Jenkins-Crumb")).isNull();
    assertThat(jenkins.next()).isEqualTo("GET /jenkins/crumbIssuer/api/json");
    RecordedRequest retried = jenkins.take();
    assertThat(retried.getTarget()).isEqualTo("/jenkins/job/api-server/build");
    assertThat(retried.getHeaders().get("Jenkins-Crumb")).isEqualTo("c0ffee");
    assertThat(retried.getHeaders().get("Cookie")).isEqualTo("JSESSIONID.ab=s1");

    // The crumb is kept for later posts.
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.queued(201, 44);
    trigger(plugin, "start", Map.of("ID", "api-server"));
    jenkins.take();
    assertThat(jenkins.take().getHeaders().get("Jenkins-Crumb")).isEqualTo("c0ffee");
  }

  @Test
  void fetchesTheCrumbFirstForPasswordAuthentication() {
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.json("{'crumb':'beef','crumbRequestField':'Jenkins-Crumb'}");
    jenkins.queued(201, 45);

    trigger(jenkins.plugin(FakeJenkins.fast().crumbFirst(true)), "start", Map.of("ID", "api-server"));

    jenkins.take();
    assertThat(jenkins.next()).isEqualTo("GET /jenkins/crumbIssuer/api/json");
    assertThat(jenkins.take().getHeaders().get("Jenkins-Crumb")).isEqualTo("beef");
  }

  @Test
  void treatsA404CrumbIssuerAsCsrfProtectionOffAndPostsWithoutACrumb() {
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.respond(404, "");
    jenkins.queued(201, 46);

    trigger(jenkins.plugin(FakeJenkins.fast().crumbFirst(true)), "start", Map.of("ID", "api-server"));

    jenkins.take();
    jenkins.take();
    RecordedRequest post = jenkins.take();
    assertThat(post.getTarget()).isEqualTo("/jenkins/job/api-server/build");
    assertThat(post.getHeaders().get("Jenkins-Crumb")).isNull();
  }

  @Test
  void reportsA403WhenNoCrumbCanBeHad() {
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.html(403, "No valid crumb was included in the request", "<html>No valid crumb</html>");
    jenkins.respond(404, "");

    assertThatThrownBy(() -> trigger(jenkins.plugin(), "start", Map.of("ID", "api-server")))
        .isInstanceOf(PluginFailedException.class)
        .hasMessage("Jenkins user chatops-bot is not allowed to do that (queueing api-server: 403 Forbidden).");
  }

  @Test
  void passesBranchAndJobParamsAsFormFieldsOfBuildWithParameters() {
    jenkins.respond(200, freestyle("deploy.web", "{'name':'BRANCH'},{'name':'ENV'},{'name':'DRY_RUN'}"));
    jenkins.queued(201, 47);

    Action action = trigger(jenkins.plugin(), "start",
        Map.of("ID", "deploy.web", "BRANCH", "release/2.4", "JOB_PARAM", "ENV=staging DRY_RUN=true"));

    jenkins.take();
    RecordedRequest post = jenkins.take();
    assertThat(post.getTarget()).isEqualTo("/jenkins/job/deploy.web/buildWithParameters");
    assertThat(post.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(post.getBody().utf8()).isEqualTo("ENV=staging&DRY_RUN=true&BRANCH=release%2F2.4");
    assertThat(action.text()).isEqualTo("Queued deploy.web on release/2.4 (queue item #47): http://ci/job/deploy.web/");
    assertThat(action.fields()).extracting(f -> f.title() + ": " + f.value())
        .containsExactly("Parameters: ENV=staging DRY_RUN=true BRANCH=release/2.4");
  }

  @Test
  void runsAParameterisedJobWithItsDefaultsThroughBuildWithParameters() {
    jenkins.respond(200, freestyle("nightly", "{'name':'ENV'}"));
    jenkins.queued(201, 48);

    trigger(jenkins.plugin(), "start", Map.of("ID", "nightly"));

    jenkins.take();
    assertThat(jenkins.next()).isEqualTo("POST /jenkins/job/nightly/buildWithParameters");
  }

  @Test
  void refusesParametersTheJobDoesNotDeclareBeforePostingAnything() {
    jenkins.respond(200, freestyle("api-server", "{'name':'ENV'}"));
    jenkins.respond(200, freestyle("docs", ""));
    JenkinsPlugin plugin = jenkins.plugin();

    assertThatThrownBy(() -> trigger(plugin, "build", Map.of("ID", "api-server", "JOB_PARAM", "VERSION=2")))
        .hasMessage("api-server has no parameter VERSION; its parameters: ENV.");
    assertThatThrownBy(() -> trigger(plugin, "build", Map.of("ID", "docs", "BRANCH", "main")))
        .hasMessage("docs is not a multibranch pipeline and has no BRANCH parameter (it takes no parameters).");
    assertThat(jenkins.requestCount()).isEqualTo(2);
  }

  @Test
  void saysWhichBranchesAMultibranchPipelineHasWhenBranchIsMissingOrUnknown() {
    String multibranch = FakeJenkins.j("{'_class':'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',"
        + "'name':'api-server','jobs':[{'name':'develop','color':'blue'},{'name':'main','color':'red'},"
        + "{'name':'release%2F2.4','color':'blue'}]}");
    jenkins.respond(200, multibranch);
    jenkins.respond(200, multibranch);
    jenkins.respond(404, "");
    JenkinsPlugin plugin = jenkins.plugin();

    assertThatThrownBy(() -> trigger(plugin, "build", Map.of("ID", "team/api-server")))
        .hasMessage("team/api-server is a multibranch pipeline: say which branch, such as BRANCH=develop. Its branches:"
            + " develop, main, release/2.4.");
    assertThatThrownBy(() -> trigger(plugin, "build", Map.of("ID", "team/api-server", "BRANCH", "hotfix/ABC-123")))
        .hasMessage("team/api-server has no branch hotfix/ABC-123. Its branches: develop, main, release/2.4.");
    jenkins.take();
    jenkins.take();
    assertThat(jenkins.take().getUrl().encodedPath())
        .isEqualTo("/jenkins/job/team/job/api-server/job/hotfix%252FABC-123/api/json");
  }

  @Test
  void saysThatAFolderIsNotAJob() {
    jenkins.json("{'_class':'com.cloudbees.hudson.plugins.folder.Folder','name':'team',"
        + "'jobs':[{'name':'api-server','color':'blue'},{'name':'web','color':'red'}]}");

    assertThatThrownBy(() -> trigger(jenkins.plugin(), "build", Map.of("ID", "team")))
        .hasMessage("team is a folder, not a job. Its jobs: api-server, web.");
  }

  @Test
  void saysWhenJenkinsDidNotNameAQueueItem() {
    jenkins.respond(200, freestyle("old", ""));
    jenkins.server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", jenkins.root() + "job/old/").build());

    Action action = trigger(jenkins.plugin(), "build", Map.of("ID", "old"));

    assertThat(action.text()).isEqualTo(
        "Queued old, but Jenkins did not say which queue item, so I cannot follow it: http://ci/job/old/");
    assertThat(action.followUp()).isEmpty();
  }
}
