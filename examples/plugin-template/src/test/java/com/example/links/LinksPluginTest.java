package com.example.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.plugin.PluginResources;
import ai.chatops.test.PluginTester;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plugin alone, against a MockWebServer standing in for the runbook site. */
class LinksPluginTest {
  private final MockWebServer wiki = new MockWebServer();
  private PluginTester links;

  @BeforeEach
  void start() throws Exception {
    wiki.start();
    links = PluginTester.of(new LinksPlugin())
        .credential("LINKS_BASE_URL", wiki.url("/runbooks/").toString())
        .connect();
  }

  @AfterEach
  void stop() {
    links.close();
    wiki.close();
  }

  @Test
  void checksThatARunbookPageAnswers() throws Exception {
    wiki.enqueue(new MockResponse.Builder().code(200).body("<h1>On-call</h1>").build());

    assertThat(links.invoke("check", Map.of("NAME", "oncall")).text())
        .isEqualTo("The oncall runbook answers (200).");

    RecordedRequest request = wiki.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getTarget()).isEqualTo("/runbooks/oncall");
  }

  @Test
  void reportsARunbookPageThatDoesNotAnswer() {
    wiki.enqueue(new MockResponse.Builder().code(404).build());

    assertThat(links.invoke("/v1/links/check", Map.of("NAME", "deploys")).text())
        .isEqualTo("The deploys runbook answered 404: " + wiki.url("/runbooks/deploys"));
  }

  @Test
  void givesLinksUnderTheConfiguredBaseUrl() {
    assertThat(links.invoke("get", Map.of("NAME", "Incidents")).text())
        .isEqualTo("incidents: " + wiki.url("/runbooks/incidents"));
  }

  @Test
  void refusesAnUnknownRunbookAsTheRouterWould() {
    assertThatThrownBy(() -> links.invoke("check", Map.of("NAME", "payroll")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("/v1/links/check: NAME must be one of oncall, deploys, incidents (not 'payroll'); the router"
            + " would answer the user so and not call the plugin");
    assertThat(wiki.getRequestCount()).isZero();
  }

  @Test
  void shipsTrainingMaterialForEveryRoute() {
    PluginResources resources = PluginResources.of("links", LinksPlugin.class.getClassLoader());

    assertThat(resources.list("intents")).containsExactly(
        "check.json", "check_usersays_en.json", "get.json", "get_usersays_en.json", "list.json",
        "list_usersays_en.json");
    assertThat(resources.list("entities")).containsExactly("runbook.json", "runbook_entries_en.json");
    assertThat(resources.list("data")).containsExactly("check.txt", "get.txt", "list.txt");
    for (var route : new LinksPlugin().config().routes()) {
      assertThat(resources.read("intents/" + route.action() + ".json")).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("\"action\": \"" + route.path() + "\"");
    }
  }
}
