package com.example.links;

import ai.chatops.test.ChatOpsExtension;
import ai.chatops.test.ConversationTester;
import ai.chatops.test.ScriptedNlu;
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
        .expectReply("oncall: https://wiki.example.com/runbooks/oncall")
        .expectInvocation("/v1/links/get", Map.of("NAME", "oncall"));
  }

  @Test
  void listsTheRunbooks(ConversationTester tester) {
    tester.say("links list").expectReply(String.join("\n",
        "Runbooks:",
        "deploys: Deploying and rolling back - https://wiki.example.com/runbooks/deploys",
        "incidents: Incident response - https://wiki.example.com/runbooks/incidents",
        "oncall: On-call handbook - https://wiki.example.com/runbooks/oncall"));
  }

  @Test
  void namesTheRunbooksWhenAskedForAnUnknownOne(ConversationTester tester) {
    tester.say("links get NAME=payroll")
        .expectReply("I know no runbook 'payroll'. Runbooks: deploys, incidents, oncall.");
  }

  @Test
  void understandsFreeText(ConversationTester tester, ScriptedNlu nlu) {
    nlu.when("where is the oncall runbook").thenRoute("/v1/links/get", Map.of("NAME", "oncall"));

    tester.say("Where is the oncall runbook")
        .expectReply("oncall: https://wiki.example.com/runbooks/oncall");
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
