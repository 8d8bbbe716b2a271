package com.example.links;

import ai.chatops.test.ConversationTester;
import ai.chatops.test.DialogParserTester;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host's own dialog step, alone with the kit's fakes, then through the whole router. */
class RunbookShortcutTest {
  private final RunbookShortcut shortcut = new RunbookShortcut();
  private final DialogParserTester parser = DialogParserTester.forPlugins(new LinksPlugin());

  @Test
  void rewritesAQuestionMarkAndANameToTheGetCommand() {
    parser.parse(shortcut, "?oncall").expectPassedOn("links get NAME=\"oncall\"");
    parser.parse(shortcut, "? On Call").expectPassedOn("links get NAME=\"on call\"");
  }

  @Test
  void rewritesALoneQuestionMarkToTheList() {
    parser.parse(shortcut, "?").expectPassedOn("links list");
  }

  @Test
  void passesAnythingElseOnUnchanged() {
    parser.parse(shortcut, "where is the oncall runbook?").expectPassedOn("where is the oncall runbook?");
    parser.parse(shortcut, "?; rm -rf /").expectPassedOn("?; rm -rf /");
  }

  @Test
  void answersThroughTheWholeRouter() {
    try (ConversationTester tester = ConversationTester.builder()
        .plugin(new LinksPlugin())
        .customize(router -> router.dialogParser(new RunbookShortcut()))
        .build()) {
      tester.say("?pager")
          .expectText("oncall: https://wiki.example.com/runbooks/oncall")
          .expectInvocation("/v1/links/get", Map.of("NAME", "oncall"));
      tester.say("?payroll")
          .expectReply("NAME must be one of oncall, deploys, incidents (not 'payroll'). Usage: links get NAME=...");
    }
  }
}
