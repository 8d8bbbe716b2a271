package ai.chatops.jenkins;

import static ai.chatops.jenkins.FakeJenkins.freestyle;
import static ai.chatops.jenkins.FakeJenkins.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Following a queue item and then its build, one poll at a time, as the router drives it. */
class FollowingTest {
  private final FakeJenkins jenkins = new FakeJenkins();
  private final JenkinsPlugin plugin = jenkins.plugin();

  @AfterEach
  void close() {
    jenkins.close();
  }

  private FollowUp build() {
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.queued(201, 7);
    Action queued = trigger(plugin, "build", Map.of("ID", "api-server"));
    assertThat(queued.text()).isEqualTo("Queued api-server (queue item #7); I will post the build link when it starts.");
    jenkins.take();
    jenkins.take();
    return queued.followUp().orElseThrow();
  }

  private FollowUp started(FollowUp queue) {
    jenkins.json("{'_class':'hudson.model.Queue$LeftItem','id':7,'cancelled':false,"
        + "'executable':{'number':12,'url':'http://ci/job/api-server/12/'}}");
    Action started = plugin.poll(queue).orElseThrow();
    assertThat(started.text()).isEqualTo("api-server #12 started: http://ci/job/api-server/12/");
    jenkins.take();
    return started.followUp().orElseThrow();
  }

  @Test
  void followsTheQueueItemWhileItWaitsQuietlyThenTheBuildUntilItEnds() {
    FollowUp queue = build();
    assertThat(queue.key()).isEqualTo("jenkins|queue|7|api-server|" + (FakeJenkins.NOW.getEpochSecond() + 7200) + "|0|0");
    assertThat(queue.description()).isEqualTo("api-server");
    assertThat(queue.interval()).isEqualTo(Duration.ofMillis(10));
    assertThat(queue.timeout()).isEqualTo(Duration.ofHours(2));

    jenkins.json("{'_class':'hudson.model.Queue$WaitingItem','id':7,'blocked':false,'buildable':false,"
        + "'why':'In the quiet period. Expires in 4.9 sec'}");
    assertThat(plugin.poll(queue)).isEmpty();
    assertThat(jenkins.next()).isEqualTo("GET /jenkins/queue/item/7/api/json?tree="
        + "_class%2Cid%2Cblocked%2Cbuildable%2Cstuck%2Ccancelled%2Cwhy%2Cexecutable%5Bnumber%2Curl%5D");

    FollowUp build = started(queue);
    assertThat(build.key()).isEqualTo("jenkins|build|12|api-server|" + (FakeJenkins.NOW.getEpochSecond() + 7200) + "|0|0");
    assertThat(build.description()).isEqualTo("api-server #12");
    assertThat(build.interval()).isEqualTo(Duration.ofMillis(20));

    jenkins.json("{'number':12,'building':true,'result':null,'url':'http://ci/job/api-server/12/'}");
    assertThat(plugin.poll(build)).isEmpty();
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/job/api-server/12/api/json");

    jenkins.json("{'number':12,'building':false,'result':'SUCCESS','duration':125000,"
        + "'url':'http://ci/job/api-server/12/','previousBuild':{'number':11,'result':'FAILURE'}}");
    Action done = plugin.poll(build).orElseThrow();
    assertThat(done.toReply().toPlainText()).isEqualTo(String.join("\n",
        "api-server #12: FIXED",
        "Result: SUCCESS (previous #11: FAILURE)",
        "Duration: 2 min 5 s",
        "Link: http://ci/job/api-server/12/"));
    assertThat(done.followUp()).isEmpty();
  }

  @Test
  void saysOnceWhyTheBuildIsBlockedAndThenPollsLessOften() {
    FollowUp queue = build();
    jenkins.json("{'_class':'hudson.model.Queue$BlockedItem','id':7,'blocked':true,"
        + "'why':'Build #11 is already in progress (ETA: 3 min 2 sec)'}");

    Action waiting = plugin.poll(queue).orElseThrow();

    assertThat(waiting.text()).isEqualTo("api-server is waiting in the queue: Build #11 is already in progress (ETA: 3 min 2 sec)");
    FollowUp next = waiting.followUp().orElseThrow();
    assertThat(next.interval()).isEqualTo(Duration.ofMillis(20));
    assertThat(next.key()).endsWith("|0|1");

    jenkins.json("{'id':7,'blocked':true,'why':'Build #11 is already in progress (ETA: 1 min 0 sec)'}");
    Action slower = plugin.poll(next).orElseThrow();
    assertThat(slower.silent()).isTrue();
    assertThat(slower.followUp().orElseThrow().interval()).isEqualTo(Duration.ofMillis(40));
    assertThat(slower.followUp().orElseThrow().key()).isEqualTo(next.key());
    jenkins.json("{'id':7,'buildable':true,'why':'Waiting for next available executor on linux'}");
    assertThat(plugin.poll(slower.followUp().orElseThrow())).as("already at maxPollInterval").isEmpty();
  }

  @Test
  void backsOffWithoutAWordWhileALongQueueWaitGoesOn() {
    JenkinsPlugin patient = jenkins.plugin(FakeJenkins.fast().maxPollInterval(Duration.ofMillis(160)));
    jenkins.respond(200, freestyle("api-server", ""));
    jenkins.queued(201, 7);
    FollowUp following = trigger(patient, "build", Map.of("ID", "api-server")).followUp().orElseThrow();
    jenkins.json("{'id':7,'buildable':true,'why':'Waiting for next available executor on linux'}");
    following = patient.poll(following).orElseThrow().followUp().orElseThrow(); // told once why it waits

    List<Duration> intervals = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      jenkins.json("{'id':7,'buildable':true,'why':'Waiting for next available executor on linux'}");
      Optional<Action> polled = patient.poll(following);
      if (polled.isPresent()) {
        assertThat(polled.get().silent()).as("poll %s says nothing", i).isTrue();
        following = polled.get().followUp().orElseThrow();
      }
      intervals.add(following.interval());
    }

    assertThat(intervals).extracting(Duration::toMillis).containsExactly(40L, 80L, 160L, 160L, 160L, 160L);
    assertThat(following.key()).endsWith("|0|1");
    assertThat(following.timeout()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void reportsABuildCancelledWhileQueued() {
    FollowUp queue = build();
    jenkins.json("{'_class':'hudson.model.Queue$LeftItem','id':7,'cancelled':true,'executable':null}");

    assertThat(plugin.poll(queue).orElseThrow().text())
        .isEqualTo("The queued build of api-server (queue item #7) was cancelled in Jenkins.");
  }

  @ParameterizedTest(name = "{0} after {1}")
  @CsvSource({
      "SUCCESS, SUCCESS, 'api-server #12: SUCCESS', 'Result: SUCCESS (previous #11: SUCCESS)'",
      "FAILURE, SUCCESS, 'api-server #12: REGRESSION', 'Result: FAILURE (previous #11: SUCCESS)'",
      "FAILURE, FAILURE, 'api-server #12: FAIL', 'Result: FAILURE (previous #11: FAILURE)'",
      "UNSTABLE, SUCCESS, 'api-server #12: REGRESSION', 'Result: UNSTABLE (previous #11: SUCCESS)'",
      "UNSTABLE, UNSTABLE, 'api-server #12: FAIL', 'Result: UNSTABLE (previous #11: UNSTABLE)'",
      "ABORTED, SUCCESS, 'api-server #12: ABORTED', 'Result: ABORTED (previous #11: SUCCESS)'",
      "NOT_BUILT, SUCCESS, 'api-server #12: ABORTED', 'Result: NOT_BUILT (previous #11: SUCCESS)'",
  })
  void reportsEachResult(String result, String previous, String text, String field) {
    FollowUp build = started(build());
    jenkins.json("{'number':12,'building':false,'result':'" + result + "','duration':4000,"
        + "'url':'http://ci/job/api-server/12/','previousBuild':{'number':11,'result':'" + previous + "'}}");

    Action done = plugin.poll(build).orElseThrow();

    assertThat(done.text()).isEqualTo(text);
    assertThat(done.toReply().toPlainText()).contains(field, "Duration: 4 s");
  }

  @Test
  void endsWithAClearMessageWhenTheBuildIsGone() {
    FollowUp build = started(build());
    jenkins.respond(404, "");

    assertThat(plugin.poll(build).orElseThrow().text())
        .isEqualTo("api-server #12 no longer exists in Jenkins (deleted?); I stopped following it.");
  }

  @Test
  void endsWithAClearMessageWhenJenkinsForgotTheQueueItem() {
    FollowUp queue = build();
    jenkins.respond(404, "");

    assertThat(plugin.poll(queue).orElseThrow().text()).isEqualTo("Jenkins no longer knows queue item #7 of api-server"
        + " (it forgets items a few minutes after they leave the queue); I stopped following it.");
  }

  @Test
  void keepsFollowingThroughFailingAnswersAndTellsTheUserOnceAfterThreeInARow() {
    FollowUp build = started(build());
    jenkins.respond(500, "<html><body>java.lang.NullPointerException</body></html>");
    jenkins.respond(500, "<html><body>java.lang.NullPointerException</body></html>");
    jenkins.json("{'number':12,'building':true}");
    jenkins.respond(502, "Bad Gateway");
    jenkins.respond(200, "<html><head><title>Sign in [Jenkins]</title></head></html>");
    jenkins.respond(500, "oops");
    jenkins.respond(500, "still down");

    FollowUp once = silently(build, "|1|0", 40);
    FollowUp twice = silently(once, "|2|0", 40);
    Action recovered = plugin.poll(twice).orElseThrow();
    assertThat(recovered.silent()).as("a success resets the count").isTrue();
    FollowUp reset = recovered.followUp().orElseThrow();
    assertThat(reset.key()).endsWith("|0|0");
    FollowUp again = silently(silently(reset, "|1|0", 40), "|2|0", 40);
    Action notice = plugin.poll(again).orElseThrow();

    assertThat(notice.text()).isEqualTo("Jenkins is not answering while I follow api-server #12 (3 times in a row;"
        + " last: failed (500 Internal Server Error: oops)). I keep trying every 40 ms.");
    FollowUp slower = notice.followUp().orElseThrow();
    assertThat(slower.interval()).isEqualTo(Duration.ofMillis(40));
    assertThat(slower.key()).endsWith("|3|0");
    assertThat(slower.description()).isEqualTo("api-server #12");
    FollowUp stillDown = silently(slower, "|4|0", 40);

    jenkins.json("{'number':12,'building':false,'result':'SUCCESS','url':'u','previousBuild':null}");
    assertThat(plugin.poll(stillDown).orElseThrow().text()).isEqualTo("api-server #12: SUCCESS");
  }

  /** Polls once, expecting a silent follow-up with that key ending and interval. */
  private FollowUp silently(FollowUp followUp, String keyEnd, long intervalMillis) {
    Action action = plugin.poll(followUp).orElseThrow();
    assertThat(action.silent()).as("silent, but said: %s", action.text()).isTrue();
    FollowUp next = action.followUp().orElseThrow();
    assertThat(next.key()).endsWith(keyEnd);
    assertThat(next.interval()).isEqualTo(Duration.ofMillis(intervalMillis));
    return next;
  }

  @Test
  void treatsAResponseThatNeverComesAsATransientFailure() {
    JenkinsPlugin impatient = jenkins.plugin(FakeJenkins.fast().requestTimeout(Duration.ofMillis(300))
        .failuresBeforeNotice(1));
    FollowUp build = new FollowUp("jenkins|build|12|api-server|" + (FakeJenkins.NOW.getEpochSecond() + 60) + "|0|0",
        "api-server #12", Duration.ofMillis(20), Duration.ofMinutes(1));
    jenkins.silence();
    jenkins.silence();

    Action notice = impatient.poll(build).orElseThrow();

    assertThat(notice.text()).startsWith("Jenkins is not answering while I follow api-server #12 (1 times in a row;"
        + " last: at " + jenkins.root() + " did not answer (");
    assertThat(notice.followUp().orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void stopsFollowingWhenJenkinsRefusesTheCredentials() {
    FollowUp build = started(build());
    jenkins.respond(401, "");

    assertThat(plugin.poll(build).orElseThrow().text()).isEqualTo("Jenkins refused to show api-server #12"
        + " (401 Unauthorized); I stopped following it. Check the credentials of chatops-bot.");
  }

  @Test
  void saysWhenAFollowUpKeyIsNotOneOfItsOwn() {
    Optional<Action> answer = plugin.poll(new FollowUp("queue:1", "x", Duration.ofSeconds(1), Duration.ofMinutes(1)));

    assertThat(answer.orElseThrow().text())
        .isEqualTo("I cannot follow x: its follow-up key is not one the jenkins plugin wrote.");
  }
}
