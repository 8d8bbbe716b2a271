package ai.chatops.jenkins;

import static ai.chatops.jenkins.FakeJenkins.freestyle;
import static ai.chatops.jenkins.FakeJenkins.invocation;
import static ai.chatops.jenkins.FakeJenkins.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One build per request, even when the bot restarts during the call: the request's idempotency key travels as
 * the job's CHATOPS_REQUEST_ID parameter, and a recovered call looks for it in the queue and the recent builds
 * before queueing. Also: stop cancels a build still waiting in the queue.
 */
class RequestIdTest {
  private static final String WITH_REQUEST_ID = "{'name':'CHATOPS_REQUEST_ID'},{'name':'ENV'}";
  private final FakeJenkins jenkins = new FakeJenkins();

  @AfterEach
  void close() {
    jenkins.close();
  }

  @Test
  void passesTheRequestsKeyWhenTheJobDeclaresTheParameterAndDoesNotShowIt() {
    JenkinsPlugin plugin = jenkins.plugin();
    Invocation build = invocation(plugin, "start", Map.of("ID", "api-server", "JOB_PARAM", "ENV=staging"));
    jenkins.respond(200, freestyle("api-server", WITH_REQUEST_ID));
    jenkins.queued(201, 41);

    Action action = plugin.trigger(build);

    jenkins.take();
    RecordedRequest post = jenkins.take();
    assertThat(post.getTarget()).isEqualTo("/jenkins/job/api-server/buildWithParameters");
    assertThat(post.getBody().utf8()).isEqualTo("ENV=staging&CHATOPS_REQUEST_ID=" + build.idempotencyKey());
    assertThat(action.fields()).extracting(f -> f.title() + ": " + f.value()).containsExactly("Parameters: ENV=staging");
  }

  @Test
  void findsTheQueuedBuildOfARecoveredRequestInsteadOfQueueingAnother() {
    JenkinsPlugin plugin = jenkins.plugin();
    Invocation build = invocation(plugin, "build", Map.of("ID", "api-server"));
    jenkins.respond(200, freestyle("api-server", WITH_REQUEST_ID));
    jenkins.json("{'items':[{'id':6,'task':{'url':'http://ci/job/api-server/'},'actions':[{'parameters':"
        + "[{'name':'CHATOPS_REQUEST_ID','value':'another-request'}]}]},{'id':7,'task':{'url':'http://ci/job/"
        + "api-server/'},'actions':[{},{'parameters':[{'name':'CHATOPS_REQUEST_ID','value':'"
        + build.idempotencyKey() + "'}]}]}]}");

    Action action = plugin.recover(build).orElseThrow();

    assertThat(action.text()).isEqualTo("Queued api-server (queue item #7); I will post the build link when it starts.");
    assertThat(action.followUp()).isPresent();
    assertThat(jenkins.next()).startsWith("GET /jenkins/job/api-server/api/json");
    assertThat(jenkins.next()).startsWith("GET /jenkins/queue/api/json?tree=");
    assertThat(jenkins.requestCount()).isEqualTo(2); // nothing posted
  }

  @Test
  void findsTheBuildOfARecoveredRequestThatLeftTheQueue() {
    JenkinsPlugin plugin = jenkins.plugin();
    Invocation build = invocation(plugin, "build", Map.of("ID", "api-server"));
    jenkins.respond(200, freestyle("api-server", WITH_REQUEST_ID));
    jenkins.json("{'items':[]}");
    jenkins.json("{'builds':[{'number':13,'url':'http://ci/job/api-server/13/','building':true,'actions':[]},"
        + "{'number':12,'url':'http://ci/job/api-server/12/','building':true,'actions':[{'parameters':"
        + "[{'name':'CHATOPS_REQUEST_ID','value':'" + build.idempotencyKey() + "'}]}]}]}");

    Action action = plugin.recover(build).orElseThrow();

    assertThat(action.text()).isEqualTo("api-server #12 started: http://ci/job/api-server/12/");
    assertThat(action.followUp().orElseThrow().description()).isEqualTo("api-server #12");
    jenkins.take();
    jenkins.take();
    assertThat(jenkins.next()).startsWith("GET /jenkins/job/api-server/api/json?tree=builds");
    assertThat(jenkins.requestCount()).isEqualTo(3);
  }

  @Test
  void queuesARecoveredRequestThatNeverReachedJenkins() {
    JenkinsPlugin plugin = jenkins.plugin();
    Invocation build = invocation(plugin, "start", Map.of("ID", "api-server"));
    jenkins.respond(200, freestyle("api-server", WITH_REQUEST_ID));
    jenkins.json("{'items':[]}");
    jenkins.json("{'builds':[]}");
    jenkins.respond(200, freestyle("api-server", WITH_REQUEST_ID));
    jenkins.queued(201, 42);

    Action action = plugin.recover(build).orElseThrow();

    assertThat(action.text()).isEqualTo("Queued api-server (queue item #42): http://ci/job/api-server/");
    for (int i = 0; i < 4; i++) {
      jenkins.take();
    }
    RecordedRequest post = jenkins.take();
    assertThat(post.getTarget()).isEqualTo("/jenkins/job/api-server/buildWithParameters");
    assertThat(post.getBody().utf8()).isEqualTo("CHATOPS_REQUEST_ID=" + build.idempotencyKey());
  }

  @Test
  void tellsWhatToCheckWhenTheJobHasNoRequestParameter() {
    JenkinsPlugin plugin = jenkins.plugin();
    jenkins.respond(200, freestyle("api-server", ""));

    Action action = plugin.recover(invocation(plugin, "build", Map.of("ID", "api-server"))).orElseThrow();

    assertThat(action.text()).isEqualTo("The bot restarted while asking Jenkins to build api-server (event E1), and"
        + " the job has no CHATOPS_REQUEST_ID parameter by which I could find that build, so I did not queue it"
        + " again: check http://ci/job/api-server/ before asking again.");
    assertThat(jenkins.requestCount()).isEqualTo(1);
  }

  @Test
  void declaresOnlyTheRoutesThatChangeNothingIdempotent() {
    JenkinsPlugin plugin = jenkins.plugin();

    assertThat(plugin.config().routes()).filteredOn(plugin::idempotent)
        .extracting(r -> r.action()).containsExactlyInAnyOrder("jobs", "status");
  }

  @Test
  void stopCancelsABuildStillWaitingInTheQueue() {
    jenkins.json("{'_class':'hudson.model.FreeStyleProject','name':'api-server','url':'http://ci/job/api-server/',"
        + "'color':'blue','builds':[{'number':9,'building':false}],'queueItem':{'id':77,'why':'Waiting for next"
        + " available executor'}}");
    jenkins.respond(204, "");

    Action action = trigger(jenkins.plugin(), "stop", Map.of("ID", "api-server"));

    assertThat(action.text()).isEqualTo("Cancelled the queued build of api-server (queue item #77): it had not"
        + " started.");
    jenkins.take();
    assertThat(jenkins.next()).isEqualTo("POST /jenkins/queue/cancelItem?id=77");
  }
}
