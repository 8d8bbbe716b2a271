package com.example.links;

import ai.chatops.test.ChatOpsExtension;
import ai.chatops.test.ConversationTester;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plugin in a whole bot: messages go through the real router, as users would say them. */
class LinksConversationTest {
  @RegisterExtension
  static final ChatOpsExtension chatops = ChatOpsExtension.forPlugins(LinksPlugin::new);

  @Test
  void answersTheLinkOfARunbook(ConversationTester tester) {
    tester.say("links get NAME=oncall")
        .expectText("oncall: https://wiki.example.com/runbooks/oncall")
        .expectInvocation("/v1/links/get", Map.of("NAME", "oncall"));
  }

  @Test
  void takesASynonymForItsRunbookInACommandAsInFreeText(ConversationTester tester) {
    tester.say("links get NAME=pager")
        .expectText("oncall: https://wiki.example.com/runbooks/oncall")
        .expectInvocation("/v1/links/get", Map.of("NAME", "oncall"));
  }

  @Test
  void listsTheRunbooksWithAButtonForEach(ConversationTester tester) {
    tester.say("links list")
        .expectReplyMatching(reply -> reply.fields().size() == 3
            && reply.fields().get(0).value().equals("Deploying and rolling back - https://wiki.example.com/runbooks/deploys"))
        .say("links list")
        .expectChoices("deploys", "incidents", "oncall")
        .click("incidents")
        .expectText("incidents: https://wiki.example.com/runbooks/incidents");
  }

  @Test
  void namesTheRunbooksWhenAskedForAnUnknownOne(ConversationTester tester) {
    tester.say("links get NAME=payroll")
        .expectReply("NAME must be one of oncall, deploys, incidents (not 'payroll'). Usage: links get NAME=...")
        .expectNoInvocation();
  }

  @Test
  void understandsFreeTextAsTheBotDoes(ConversationTester tester) {
    tester.say("Where is the oncall runbook")
        .expectText("oncall: https://wiki.example.com/runbooks/oncall")
        .say("give me the link to the outage runbook")
        .expectText("incidents: https://wiki.example.com/runbooks/incidents");
  }

  @Test
  void asksWhichRunbookAndTakesTheAnswer(ConversationTester tester) {
    tester.say("links get")
        .expectReply("Which runbook? I know oncall, deploys and incidents.")
        .say("payroll")
        .expectReply("NAME must be one of oncall, deploys, incidents (not 'payroll'). Which runbook? I know oncall,"
            + " deploys and incidents.")
        .say("pager")
        .expectText("oncall: https://wiki.example.com/runbooks/oncall");
  }

  @Test
  void showsItsRoutesInHelp(ConversationTester tester) {
    tester.say("help links").expectReply(String.join("\n",
        "Here is what I can do:",
        "",
        "links (1.0.0)",
        "  links get NAME=... - Gives the link of a runbook",
        "      \"where is the oncall runbook\"",
        "      \"link to the deploys runbook\"",
        "  links list - Lists the runbooks",
        "      \"which runbooks do we have\"",
        "      \"list the runbooks\"",
        "  links check NAME=... - Checks that a runbook's page answers",
        "      \"is the oncall runbook up\"",
        "      \"check the deploys page\"",
        "",
        "Write attributes as KEY=value, quoting values with spaces: KEY=\"two words\"."));
  }
}
