package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.fixtures.RecordingService;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded defaults end to end: a plugin whose config, intents and training sentences come from its
 * resources (src/test/resources/chatops/plugins/jenkins), the local NLU trained on them, slot filling from
 * the intents' required parameters and prompts.
 */
class NaturalLanguageRouterTest {
  /** Declares nothing but its name: config and training material come from the classpath. */
  static final class SampleJenkins implements Plugin {
    final List<Invocation> invocations = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "jenkins";
    }

    @Override
    public Action trigger(Invocation invocation) {
      invocations.add(invocation);
      return Action.reply(invocation.action() + " " + new java.util.TreeMap<>(invocation.attributes()));
    }
  }

  private final RecordingService service = new RecordingService();
  private final SampleJenkins jenkins = new SampleJenkins();
  private final EventRouter router = EventRouter.builder().service(service).plugin(jenkins).build();

  @AfterEach
  void close() {
    router.close();
  }

  @Test
  void understandsAPhrasingItWasNotTrainedOn() {
    router.handle(message("E1", "<@UBOT> could you please kick off a build of billing-api on hotfix/PAY-77"));

    assertThat(service.nextText()).isEqualTo("build {BRANCH=hotfix/PAY-77, ID=billing-api}");
  }

  @Test
  void asksForTheRequiredJobWithTheIntentsPromptAndResumes() {
    router.handle(message("E1", "do a build for me"));
    assertThat(service.nextText()).isEqualTo("Which job?");

    router.handle(message("E2", "web.frontend"));

    assertThat(service.nextText()).isEqualTo("build {ID=web.frontend}");
  }

  @Test
  void theExplicitGrammarStillWinsAndAlsoGetsSlotFilling() {
    router.handle(message("E1", "jenkins status"));
    assertThat(service.nextText()).isEqualTo("Which job?");
    router.handle(message("E2", "team/api-server"));
    assertThat(service.nextText()).isEqualTo("status {ID=team/api-server}");

    router.handle(message("E3", "jenkins build ID=a BRANCH=b"));
    assertThat(service.nextText()).isEqualTo("build {BRANCH=b, ID=a}");
    assertThat(jenkins.invocations.get(1).attributes()).isEqualTo(Map.of("ID", "a", "BRANCH", "b"));
  }

  @Test
  void aQuestionTheBotAskedIsAnsweredAfterARestartOnTheSameStore() {
    Store store = InMemoryStore.create();
    RecordingService before = new RecordingService();
    try (EventRouter stopping = EventRouter.builder().service(before).plugin(new SampleJenkins()).store(store)
        .build()) {
      stopping.handle(message("E1", "do a build for me"));
      assertThat(before.nextText()).isEqualTo("Which job?");
    }
    RecordingService after = new RecordingService();
    SampleJenkins restarted = new SampleJenkins();
    try (EventRouter started = EventRouter.builder().service(after).plugin(restarted).store(store).build()) {
      started.handle(message("E2", "web.frontend"));

      assertThat(after.nextText()).isEqualTo("build {ID=web.frontend}");
      assertThat(restarted.invocations).extracting(Invocation::attributes).containsExactly(
          Map.of("ID", "web.frontend"));
    }
  }

  @Test
  void saysItDidNotUnderstandUnrelatedText() {
    router.handle(message("E1", "what's the weather like in Lisbon"));

    assertThat(service.nextText()).startsWith("Sorry, I didn't understand that.");
    assertThat(jenkins.invocations).isEmpty();
  }
}
