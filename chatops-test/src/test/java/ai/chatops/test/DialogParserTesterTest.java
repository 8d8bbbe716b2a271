package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DialogParserTesterTest {
  private final DialogParserTester tester = DialogParserTester.forPlugins(new DeployPlugin());

  /** Rewrites "ship X" to the deploy plugin's phrasing, refuses #random, passes anything else on. */
  private final DialogParser shipIt = chain -> {
    if (chain.turn().event().channel().equals("C-random")) {
      return Outcome.reply("Not in #random.");
    }
    String text = chain.turn().text();
    if (text.startsWith("ship ")) {
      return chain.proceed(chain.turn().withText("deploy release SERVICE=" + text.substring(5)));
    }
    return chain.proceed(chain.turn());
  };

  @Test
  void showsWhatAParserPassedOn() {
    tester.parse(shipIt, "ship billing").expectPassedOn("deploy release SERVICE=billing");
    tester.parse(shipIt, "hello").expectPassedOn("hello");
  }

  @Test
  void showsWhatAParserAnsweredAndThatItStopped() {
    tester.in("C-random").parse(shipIt, "ship billing").expectReply("Not in #random.").expectStopped();
  }

  @Test
  void answersPassedOnTurnsAsToldSoTheParsersWayOutIsTested() {
    tester.whenPassedOn(Outcome.invoke(tester.catalog().route("/v1/deploy/release").orElseThrow(),
        Map.of("SERVICE", "billing"), 1.0));
    tester.parse(shipIt, "ship billing").expectInvoke("/v1/deploy/release", Map.of("SERVICE", "billing"));
  }

  @Test
  void carriesTheTypedCatalogOfThePlugins() {
    assertThat(tester.catalog().route("/v1/deploy/release").orElseThrow().attributeSpec("ENV").orElseThrow()
        .type().allowedValues()).containsExactly("production", "staging");
  }

  @Test
  void failsAsTheRoutersChainWouldOnMisuse() {
    assertThatThrownBy(() -> tester.parse(chain -> null, "x")).isInstanceOf(AssertionError.class)
        .hasMessageEndingWith("returned null; return an Outcome (chain.proceed(turn) to pass on)");
    assertThatThrownBy(() -> tester.parse(chain -> {
      chain.proceed(chain.turn());
      return chain.proceed(chain.turn());
    }, "x")).isInstanceOf(AssertionError.class).hasMessageEndingWith("passed the turn on twice; the router's chain allows once");
    assertThatThrownBy(() -> tester.parse(shipIt, "hello").expectStopped()).isInstanceOf(AssertionError.class)
        .hasMessage("Expected the parser to stop the turn, but it passed on:\n  hello");
    assertThatThrownBy(() -> tester.in("C-random").parse(shipIt, "x").expectPassedOn())
        .hasMessage("Expected the parser to pass the turn on, but it stopped with the reply:\n  Not in #random.");
  }
}
