package ai.chatops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.RuntimeEntities;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.test.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A host wired as docs/nlu.md shows, and a plain router with no wiring at all: the Jenkins plugin's names,
 * refreshed off the event path, reach the router's local NLU, so a question ending in a filler word asks
 * Jenkins about the job it names.
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

  @Test
  void aPlainRouterKnowsTheJobsWithoutHostWiring() {
    router = EventRouter.builder().service(chat).plugin(FakeJenkins.fast().build(), jenkins.credentials()).build();
    java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    jenkins.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        asked.add(request.getMethod() + " " + path);
        String body = switch (path) {
          case "/jenkins/api/json" -> "{'jobs':[{'_class':'hudson.model.FreeStyleProject','name':'docs',"
              + "'color':'blue'},{'_class':'hudson.model.FreeStyleProject','name':'website','color':'red'}]}";
          case "/jenkins/job/website/api/json" -> "{'name':'website','color':'red','lastBuild':{'number':31,"
              + "'building':false,'result':'FAILURE','duration':3723000,'url':'http://ci/job/website/31/',"
              + "'previousBuild':{'number':30,'result':'SUCCESS'}}}";
          default -> null;
        };
        return body == null ? new MockResponse.Builder().code(404).build()
            : new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("X-Jenkins", "2.452.1").body(FakeJenkins.j(body)).build();
      }
    });

    // an explicit command needs no names: nothing is listed for it
    router.handle(chat.say("jenkins status ID=website"));
    assertThat(chat.next()).startsWith("website #31: REGRESSION");
    assertThat(asked).containsExactly("GET /jenkins/job/website/api/json");

    // the first free-text message starts the refresh; the names arrive off the event path, and the job is then
    // asked for as Jenkins spells it (unknown, WEBSITE would be asked for as typed, and Jenkins answers 404)
    Wait.until("the question answered about the job it names", Duration.ofSeconds(20), () -> {
      router.handle(chat.say("<@UBOT> hey bot, did WEBSITE pass last time? :pray:"));
      return chat.next().startsWith("website #31: REGRESSION");
    });
    assertThat(asked).contains("GET /jenkins/api/json");
    assertThat(asked).doesNotContain("GET /jenkins/job/time/api/json", "GET /jenkins/job/last/api/json");
    router.close();
    int listed = (int) asked.stream().filter("GET /jenkins/api/json"::equals).count();
    assertThat(listed).isEqualTo(1); // refreshed once, every 5 minutes after, and no more once closed
  }

  @Test
  void anExplicitCommandNamingAnUnknownJobIsAskedAboutWithTheClosestKnownOnesAsFreeTextIs() {
    router = EventRouter.builder().service(chat).plugin(FakeJenkins.fast().build(), jenkins.credentials()).build();
    java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    jenkins.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        asked.add(request.getMethod() + " " + path);
        String body = switch (path) {
          case "/jenkins/api/json" -> "{'jobs':[{'_class':'hudson.model.FreeStyleProject','name':'geo_tiles2',"
              + "'color':'blue'},{'_class':'hudson.model.FreeStyleProject','name':'Web-Storefront','color':'red'},"
              + "{'_class':'hudson.model.FreeStyleProject','name':'docs','color':'blue'}]}";
          case "/jenkins/job/Web-Storefront/api/json" -> "{'name':'Web-Storefront','color':'red','lastBuild':"
              + "{'number':31,'building':false,'result':'FAILURE','duration':3723000,"
              + "'url':'http://ci/job/Web-Storefront/31/','previousBuild':{'number':30,'result':'SUCCESS'}}}";
          default -> null;
        };
        return body == null ? new MockResponse.Builder().code(404).build()
            : new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("X-Jenkins", "2.452.1").body(FakeJenkins.j(body)).build();
      }
    });
    router.handle(chat.say("hello there, what's up?")); // free text: starts the refresh
    chat.next();
    Wait.until("the job names", Duration.ofSeconds(20), () -> asked.contains("GET /jenkins/api/json"));

    // known: written as Jenkins spells it
    Wait.until("the status of the job as Jenkins spells it", Duration.ofSeconds(20), () -> {
      router.handle(chat.say("jenkins status ID=web-storefront"));
      return chat.next().startsWith("Web-Storefront #31: REGRESSION");
    });
    asked.clear();

    // unknown, typed or read from free text: asked, with the closest known, and Jenkins is not called
    for (String message : List.of("jenkins build ID=geo_tiles", "build geo_tiles please")) {
      router.handle(chat.say(message));
      assertThat(chat.next()).as(message).startsWith("jenkins has no ID 'geo_tiles' that I know of; the closest: "
          + "geo_tiles2. ");
      router.handle(chat.say("cancel"));
      chat.next();
    }
    assertThat(asked).isEmpty();
  }
}
