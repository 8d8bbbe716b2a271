package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.RuntimeEntities;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.test.Wait;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A host wired as docs/nlu.md shows: the Jenkins plugin's names, refreshed off the event path, reach the
 * router's local NLU, so a question ending in a filler word asks Jenkins about the job it names.
 */
class RuntimeEntitiesEndToEndTest {
  private final FakeJenkins jenkins = new FakeJenkins();
  private final ChatEndToEndTest.Chat chat = new ChatEndToEndTest.Chat();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private EventRouter router;

  @AfterEach
  void close() {
    if (router != null) {
      router.close();
    }
    scheduler.shutdownNow();
    executor.shutdownNow();
    jenkins.close();
  }

  @Test
  void asksJenkinsAboutTheJobAQuestionNamesNotAboutItsLastWord() throws Exception {
    JenkinsPlugin plugin = FakeJenkins.fast().build();
    RuntimeEntities entities = RuntimeEntities.builder().source("jenkins", plugin).build();
    router = EventRouter.builder()
        .service(chat)
        .plugin(plugin, jenkins.credentials())
        .nlu(LocalNlu.builder()
            .add(plugin.trainingSet().orElseThrow())
            .add(BotPlugin.create().trainingSet().orElseThrow())
            .runtimeEntities(entities)
            .build())
        .build();
    jenkins.json("{'jobs':[{'_class':'hudson.model.FreeStyleProject','name':'docs','color':'blue'},"
        + "{'_class':'hudson.model.FreeStyleProject','name':'website','color':'red'}]}");
    ScheduledFuture<?> refreshing = entities.start(scheduler, executor, Duration.ofMinutes(5));
    Wait.until("the job names", Duration.ofSeconds(10), () -> !entities.values("jenkins", "ID").isEmpty());
    refreshing.cancel(false);
    assertThat(jenkins.take().getUrl().encodedPath()).isEqualTo("/jenkins/api/json");
    jenkins.json("{'name':'website','color':'red','lastBuild':{'number':31,'building':false,'result':'FAILURE',"
        + "'duration':3723000,'url':'http://ci/job/website/31/','previousBuild':{'number':30,'result':'SUCCESS'}}}");

    assertThat(router.handle(chat.say("<@UBOT> hey bot, did website pass last time? :pray:")).status())
        .isEqualTo(200);

    assertThat(chat.next()).startsWith("website #31: REGRESSION");
    RecordedRequest status = jenkins.take();
    assertThat(status.getMethod() + " " + status.getUrl().encodedPath()).isEqualTo("GET /jenkins/job/website/api/json");
  }
}
