package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The newcomer's frictions, through the whole router with the local NLU: none of them is left. */
class TypedRoutesConversationTest {
  private final ConversationTester tester = ConversationTester.builder()
      .plugin(new DeployPlugin())
      .replyTimeout(Duration.ofSeconds(5))
      .build();

  @AfterEach
  void closeTester() {
    tester.close();
  }

  @Test
  void understandsFreeTextWithNoScriptedNlu() {
    tester.say("deploy billing to staging")
        .expectText("Deploying billing to staging")
        .expectInvocation("/v1/deploy/release", Map.of("SERVICE", "billing", "ENV", "staging"));
  }

  @Test
  void mapsASynonymToItsValueInAnExplicitCommandAsInFreeText() {
    tester.say("deploy release SERVICE=api ENV=prod")
        .expectText("Deploying api to production")
        .say("ship checkout to live")
        .expectText("Deploying checkout to production");
  }

  @Test
  void refusesAValueOutsideAClosedEntityListingTheAllowedValues() {
    tester.say("deploy release SERVICE=api ENV=qa")
        .expectReply("ENV must be one of production, staging (not 'qa'). Usage: deploy release SERVICE=... "
            + "ENV=... DRY_RUN=...")
        .expectNoInvocation();
  }

  @Test
  void namesTheAttributeAndTheTypeOfAWrongValue() {
    tester.say("deploy scale SERVICE=api REPLICAS=many")
        .expectReply("REPLICAS must be a whole number, such as 42 (not 'many'). Usage: deploy scale SERVICE=... "
            + "REPLICAS=... WAIT=...")
        .expectNoInvocation();
  }

  @Test
  void handsThePluginTypedValues() {
    tester.say("deploy scale SERVICE=api REPLICAS=+3 WAIT=1h30m")
        .expectReply("Scaling api to 3 within PT1H30M")
        .expectInvocation("/v1/deploy/scale", Map.of("SERVICE", "api", "REPLICAS", "3", "WAIT", "PT1H30M"));
    tester.say("deploy release SERVICE=api DRY_RUN=yes").expectReply("Would deploy api to staging");
  }

  @Test
  void takesARetypedRequestAsThatRequestNotAsTheValue() {
    tester.say("deploy").expectReply("Which service?")
        .say("deploy billing").expectText("Deploying billing to staging")
        .expectInvocation("/v1/deploy/release", Map.of("SERVICE", "billing"));
  }

  @Test
  void asksAgainSayingWhyWhenAnAnswerHasTheWrongType() {
    tester.say("deploy scale SERVICE=web").expectReply("How many replicas?")
        .say("lots").expectReply("REPLICAS must be a whole number, such as 42 (not 'lots'). How many replicas?")
        .say("4").expectReply("Scaling web to 4")
        .expectInvocation("/v1/deploy/scale", Map.of("SERVICE", "web", "REPLICAS", "4"));
  }

  @Test
  void offersChoicesThatTheAskerClicks() {
    tester.say("deploy release SERVICE=billing")
        .expectChoices("Roll back")
        .click("Roll back")
        .expectChoices("Yes", "No")
        .click("Yes")
        .expectEphemeral()
        .expectInvocation("/v1/deploy/release")
        .expectInvocation("/v1/deploy/rollback", Map.of("SERVICE", "billing"));
  }

  @Test
  void aChoiceIsTheAskersOnly() {
    tester.say("deploy release SERVICE=billing").expectChoices("Roll back");

    tester.as("U2").click("Roll back")
        .expectReply("Those choices are for the user who asked; say what you want yourself, or `help`.");

    assertThat(tester.invocations()).extracting(i -> i.route().path()).containsExactly("/v1/deploy/release");
  }

  @Test
  void rendersFieldsLinkAndChoicesInPlainTextWhileTextIsTheSentence() {
    tester.say("deploy release SERVICE=billing")
        .expectReply("Deploying billing to staging\nVersion: 1.4.2\nPipeline: https://ci.example.com/deploy/billing"
            + "\n[1] Roll back");
  }
}
