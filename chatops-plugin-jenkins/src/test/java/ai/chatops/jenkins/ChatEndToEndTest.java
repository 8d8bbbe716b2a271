package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A chat message in, through the core router, the exact Jenkins calls, the replies and the final result. */
class ChatEndToEndTest {
  private final FakeJenkins jenkins = new FakeJenkins();
  private final Chat chat = new Chat();
  private EventRouter router;

  @AfterEach
  void close() {
    if (router != null) {
      router.close();
    }
    jenkins.close();
  }

  /** A chat platform whose request body is the message text; replies are recorded. */
  static final class Chat implements ServiceHandler {
    private final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private int ids;

    @Override
    public String name() {
      return "chat";
    }

    @Override
    public String path() {
      return "/chat";
    }

    @Override
    public Received receive(WebhookRequest request) {
      ChatEvent event = ChatEvent.builder(name(), "E" + (++ids)).workspace("W1").channel("C1").user("U1")
          .text(request.bodyAsString()).time(Instant.EPOCH).build();
      return Received.ack(event);
    }

    @Override
    public void deliver(Conversation conversation, Reply reply) {
      replies.add(reply);
    }

    WebhookRequest say(String text) {
      return WebhookRequest.builder("POST", "/chat").body(text).build();
    }

    String next() {
      try {
        Reply reply = replies.poll(10, TimeUnit.SECONDS);
        if (reply == null) {
          throw new AssertionError("no reply within 10 s");
        }
        return reply.toPlainText();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void buildsABranchOfAMultibranchPipelineAndReportsTheResult() {
    router = EventRouter.builder().service(chat).plugin(FakeJenkins.fast().build(), jenkins.credentials()).build();
    jenkins.json("{'_class':'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',"
        + "'name':'api-server','url':'http://ci/job/team/job/api-server/','jobs':[{'name':'main','color':'red'}]}");
    jenkins.json("{'_class':'org.jenkinsci.plugins.workflow.job.WorkflowJob','name':'main','color':'red',"
        + "'buildable':true,'url':'http://ci/job/team/job/api-server/job/main/','property':[]}");
    jenkins.queued(201, 77);
    jenkins.json("{'_class':'hudson.model.Queue$WaitingItem','id':77,'why':'In the quiet period. Expires in 4 sec'}");
    jenkins.json("{'_class':'hudson.model.Queue$LeftItem','id':77,'cancelled':false,"
        + "'executable':{'number':12,'url':'http://ci/job/team/job/api-server/job/main/12/'}}");
    jenkins.json("{'number':12,'building':true}");
    jenkins.json("{'number':12,'building':false,'result':'SUCCESS','duration':61000,"
        + "'url':'http://ci/job/team/job/api-server/job/main/12/','previousBuild':{'number':11,'result':'FAILURE'}}");

    assertThat(router.handle(chat.say("jenkins build ID=team/api-server BRANCH=main")).status()).isEqualTo(200);

    assertThat(chat.next()).isEqualTo("Queued team/api-server on main (queue item #77); I will post the build link when it starts.");
    assertThat(chat.next()).isEqualTo("team/api-server on main #12 started: http://ci/job/team/job/api-server/job/main/12/");
    assertThat(chat.next()).isEqualTo(String.join("\n",
        "team/api-server on main #12: FIXED",
        "Result: SUCCESS (previous #11: FAILURE)",
        "Duration: 1 min 1 s",
        "Link: http://ci/job/team/job/api-server/job/main/12/"));

    RecordedRequest job = jenkins.take();
    assertThat(job.getMethod() + " " + job.getUrl().encodedPath()).isEqualTo("GET /jenkins/job/team/job/api-server/api/json");
    assertThat(job.getUrl().queryParameter("tree")).startsWith("_class,name,url,color,buildable,");
    assertThat(job.getHeaders().get("Authorization")).isEqualTo(FakeJenkins.BASIC);
    RecordedRequest branch = jenkins.take();
    assertThat(branch.getMethod() + " " + branch.getUrl().encodedPath())
        .isEqualTo("GET /jenkins/job/team/job/api-server/job/main/api/json");
    RecordedRequest post = jenkins.take();
    assertThat(post.getMethod() + " " + post.getTarget()).isEqualTo("POST /jenkins/job/team/job/api-server/job/main/build");
    assertThat(post.getHeaders().get("Authorization")).isEqualTo(FakeJenkins.BASIC);
    assertThat(post.getBodySize()).isZero();
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/queue/item/77/api/json");
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/queue/item/77/api/json");
    RecordedRequest poll = jenkins.take();
    assertThat(poll.getMethod() + " " + poll.getUrl().encodedPath())
        .isEqualTo("GET /jenkins/job/team/job/api-server/job/main/12/api/json");
    assertThat(poll.getUrl().queryParameter("tree")).isEqualTo("number,url,building,result,duration,"
        + "estimatedDuration,timestamp,fullDisplayName,previousBuild[number,result]");
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/job/team/job/api-server/job/main/12/api/json");
    assertThat(router.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(jenkins.requestCount()).isEqualTo(7);
  }

  @Test
  void aBuildWaitingOnJenkinsDoesNotHoldTheOnlyWorker() {
    router = EventRouter.builder().service(chat).plugin(FakeJenkins.fast().build(), jenkins.credentials())
        .workerThreads(1).drainTimeout(Duration.ofMillis(100)).build();
    jenkins.silence(); // the build's job lookup: Jenkins never answers
    jenkins.json("{'jobs':[{'name':'api-server','color':'blue'}]}");

    assertThat(router.handle(chat.say("jenkins build ID=api-server")).status()).isEqualTo(200);
    assertThat(jenkins.next()).startsWith("GET /jenkins/job/api-server/api/json?tree=");
    assertThat(router.handle(chat.say("jenkins jobs ID=team")).status()).isEqualTo(200);

    assertThat(chat.next()).isEqualTo("Jobs in team (1):\nteam/api-server: SUCCESS");
    assertThat(jenkins.next()).startsWith("GET /jenkins/job/team/api/json?tree=");
  }

  @Test
  void answersThatJenkinsIsNotAvailableWhenItIsNotConfigured() {
    router = EventRouter.builder().service(chat).plugin(JenkinsPlugin.create()).build();

    router.handle(chat.say("jenkins jobs"));

    assertThat(chat.next()).isEqualTo("Sorry, the jenkins plugin cannot run: Jenkins is not configured: set "
        + "JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN (missing: JENKINS_URL, JENKINS_USER, JENKINS_API_TOKEN)");
    assertThat(router.healthChecks().get("jenkins").detail()).isEqualTo("not connected");
  }
}
