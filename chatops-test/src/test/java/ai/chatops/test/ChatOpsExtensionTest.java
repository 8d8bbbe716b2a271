package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatOpsExtensionTest {
  private static final List<ConversationTester> seen = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static final ChatOpsExtension chatops = ChatOpsExtension.forPlugins(ShipPlugin::new);

  private ConversationTester fromBeforeEach;

  @BeforeEach
  void remember(ConversationTester tester) {
    fromBeforeEach = tester;
    seen.add(tester);
  }

  @AfterAll
  static void everyTestHadItsOwnTesterAndEachWasClosed() {
    assertThat(seen).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(3);
    for (ConversationTester tester : seen) {
      assertThat(tester.router().handle(tester.service().request("U1", "ship status")).status())
          .as("a request to a closed tester's router").isEqualTo(503);
    }
  }

  @Test
  void injectsATesterWithThePlugins(ConversationTester tester) {
    tester.say("ship deploy SERVICE=api").expectReply("Deploying api to staging");
  }

  @Test
  void injectsTheSameTesterIntoBeforeEachAndTheTest(ConversationTester tester) {
    assertThat(tester).isSameAs(fromBeforeEach);
  }

  @Test
  void injectsTheTestersClockNluAndService(
      ConversationTester tester, MutableClock clock, ScriptedNlu nlu, RecordingService service) {
    nlu.when("ship api").thenRoute("/v1/ship/deploy", Map.of("SERVICE", "api"));

    tester.say("ship api").expectReply("Deploying api to staging");

    assertThat(clock).isSameAs(tester.clock());
    assertThat(service).isSameAs(tester.service());
    assertThat(service.replies()).hasSize(1);
  }
}
