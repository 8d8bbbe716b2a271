package ai.chatops.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginConfigTest {
  /** The proposal's example, with its {@code //} comments written as YAML comments. */
  static final String JENKINS =
      """
      # The proposal's jenkins example
      Version: v1.2.9
      Website: chatops.ai
      Author: Alec Cunningham
      Credentials:
        # These are stored, encrypted (dependent on the store backend)
        # as KEY:VALUE pairs for retrieval when the router
        # initializes its connection with the service
        DATABASE_USER: Alec
        DATABASE_PASS: gunter123!
        SERVICE_TOKEN: fkladfj98032hbui3f8
      Routes:
        # We name space via the API version and plugin name
        # to avoid issues with different services + same action
        - /v1/jenkins/start
        - /v1/jenkins/stop
        - /v1/jenkins/build
        - /v1/jenkins/jobs
      Attributes:
        # Note, any attribute values you receive will
        # be from the DialogFlow payload
        ID: [start, stop, build, jobs]
        BRANCH: [start, stop, jobs]
        JOB_PARAM: [start, jobs]
      """;

  static ConfigurationException failure(String yaml) {
    return failure("jenkins", yaml);
  }

  static ConfigurationException failure(String plugin, String yaml) {
    try {
      PluginConfig.parse(plugin, "jenkins config.yaml", new StringReader(yaml));
    } catch (ConfigurationException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigurationException for:\n" + yaml);
  }

  @Test
  void marksTheRoutesListedUnderConfirm() {
    PluginConfig config = PluginConfig.parse("jenkins", JENKINS + "Confirm: [stop, /v1/jenkins/start]\n");

    assertThat(config.routes()).extracting(Route::action, Route::confirm).containsExactly(
        tuple("start", true), tuple("stop", true), tuple("build", false), tuple("jobs", false));
  }

  @Test
  void refusesAnAttributeNameLongerThanSixtyFourCharactersWithItsLine() {
    String name = "I".repeat(65);
    assertThat(failure("Version: v1\nRoutes:\n  - /v1/jenkins/run\nAttributes:\n  " + name + ": [run]\n"))
        .hasMessage("jenkins config.yaml line 5: Attributes: attribute names have at most 64 characters; this one"
            + " has 65");
  }

  @Test
  void refusesAConfirmNamingAnUndeclaredRoute() {
    assertThat(failure(JENKINS + "Confirm: [deploy]\n"))
        .hasMessage("jenkins config.yaml line 25: Confirm[0]: 'deploy' is not a declared route; declared "
            + "actions: build, jobs, start, stop");
  }

  @Test
  void parsesTheProposalExampleIntoRoutesAndAttributes() {
    PluginConfig config = PluginConfig.parse("jenkins", JENKINS);

    assertThat(config.name()).isEqualTo("jenkins");
    assertThat(config.version()).isEqualTo("v1.2.9");
    assertThat(config.website()).contains("chatops.ai");
    assertThat(config.author()).contains("Alec Cunningham");
    assertThat(config.credentials().keys())
        .containsExactly("DATABASE_USER", "DATABASE_PASS", "SERVICE_TOKEN");
    assertThat(config.credentials().get("DATABASE_PASS")).contains("gunter123!");
    assertThat(config.attributes()).containsExactly("ID", "BRANCH", "JOB_PARAM");
    assertThat(config.routes())
        .containsExactly(
            new Route(
                "/v1/jenkins/start", "jenkins", "start", Optional.empty(), List.of("ID", "BRANCH", "JOB_PARAM")),
            new Route("/v1/jenkins/stop", "jenkins", "stop", Optional.empty(), List.of("ID", "BRANCH")),
            new Route("/v1/jenkins/build", "jenkins", "build", Optional.empty(), List.of("ID")),
            new Route(
                "/v1/jenkins/jobs", "jenkins", "jobs", Optional.empty(), List.of("ID", "BRANCH", "JOB_PARAM")));
  }

  @Test
  void findsRoutesByPathAndByAction() {
    PluginConfig config = PluginConfig.parse("jenkins", JENKINS);

    assertThat(config.route("/v1/jenkins/build").map(Route::action)).contains("build");
    assertThat(config.routeForAction("jobs").map(Route::path)).contains("/v1/jenkins/jobs");
    assertThat(config.route("/v1/jenkins/deploy")).isEmpty();
    assertThat(config.routeForAction("deploy")).isEmpty();
  }

  @Test
  void matchesTopLevelKeysInAnyCase() {
    PluginConfig config =
        PluginConfig.parse(
            "jenkins",
            """
            version: 2
            WEBSITE: https://example.com
            routes:
              - /v1/jenkins/build
            attributes:
              BRANCH: [build]
            """);

    assertThat(config.version()).isEqualTo("2");
    assertThat(config.website()).contains("https://example.com");
    assertThat(config.author()).isEmpty();
    assertThat(config.credentials()).isEqualTo(Credentials.empty());
    assertThat(config.routes()).extracting(Route::attributes).containsExactly(List.of("BRANCH"));
  }

  @Test
  void keepsANumericVersionAsWritten() {
    PluginConfig config = PluginConfig.parse("jenkins", "Version: 1.10\nRoutes: [/v1/jenkins/build]\n");

    assertThat(config.version()).isEqualTo("1.10");
  }

  @Test
  void readsRouteDescriptionsAndFullRoutesInAttributes() {
    PluginConfig config =
        PluginConfig.parse(
            "jenkins",
            """
            Version: 1.0.0
            Routes:
              - /v1/jenkins/build: "Starts a build of a job"
              - /v1/jenkins/jobs
              - /v1/jenkins/pull-request:
            Attributes:
              BRANCH: [/v1/jenkins/build, pull-request]
            """);

    assertThat(config.routes())
        .extracting(Route::description)
        .containsExactly(Optional.of("Starts a build of a job"), Optional.empty(), Optional.empty());
    assertThat(config.route("/v1/jenkins/pull-request").orElseThrow().attributes()).containsExactly("BRANCH");
    assertThat(config.routeForAction("jobs").orElseThrow().attributes()).isEmpty();
  }

  @Test
  void leavesCredentialsWithoutAValueForTheHostToSupply() {
    PluginConfig config =
        PluginConfig.parse(
            "jenkins",
            """
            Version: 1
            Credentials:
              JENKINS_URL: https://ci.example.com
              JENKINS_TOKEN:
              JENKINS_PORT: 8080
              JENKINS_VERIFY_SSL: false
            Routes: [/v1/jenkins/build]
            """);

    Credentials credentials = config.credentials();
    assertThat(credentials.keys())
        .containsExactly("JENKINS_URL", "JENKINS_TOKEN", "JENKINS_PORT", "JENKINS_VERIFY_SSL");
    assertThat(credentials.get("JENKINS_TOKEN")).isEmpty();
    assertThat(credentials.get("JENKINS_PORT")).contains("8080");
    assertThat(credentials.get("JENKINS_VERIFY_SSL")).contains("false");
    assertThat(credentials.withOverrides(Map.of("JENKINS_TOKEN", "from-host")).require("JENKINS_TOKEN"))
        .isEqualTo("from-host");
  }

  @Test
  void showsNameVersionRoutesAndCredentialNamesInToString() {
    assertThat(PluginConfig.parse("jenkins", JENKINS))
        .hasToString(
            "PluginConfig{name=jenkins, version=v1.2.9, routes=[/v1/jenkins/start, /v1/jenkins/stop,"
                + " /v1/jenkins/build, /v1/jenkins/jobs], credentials=[DATABASE_USER, DATABASE_PASS,"
                + " SERVICE_TOKEN]}");
  }

  @Test
  void namesTheStringSourceWhenParsedFromAString() {
    assertThatThrownBy(() -> PluginConfig.parse("jenkins", "Routes: [/v1/jenkins/build]\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("<string> line 1: Version: is required; add a line such as 'Version: 1.0.0'");
  }

  @Test
  void rejectsAnInvalidPluginName() {
    assertThatThrownBy(() -> PluginConfig.parse("Jenkins", JENKINS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "plugin name 'Jenkins' is not valid; use lower-case letters, digits and '-', starting with a"
                + " letter ([a-z][a-z0-9-]*), e.g. 'jenkins'");
  }

  @Test
  void rejectsARouteOfAnotherPlugin() {
    assertThat(failure("Version: 1\nRoutes:\n  - /v1/jenkins/build\n  - /v1/jira/build\n"))
        .hasMessage(
            "jenkins config.yaml line 4: Routes[1]: '/v1/jira/build' names plugin 'jira', but this is the"
                + " config of 'jenkins'; routes here start with /v1/jenkins/");
  }

  @Test
  void rejectsAnInvalidAction() {
    assertThat(failure("Version: 1\nRoutes:\n  - /v1/jenkins/Build_All\n"))
        .hasMessage(
            "jenkins config.yaml line 3: Routes[0]: action 'Build_All' is not valid; use lower-case letters,"
                + " digits and '-', starting with a letter ([a-z][a-z0-9-]*)");
  }

  @Test
  void rejectsSomethingThatIsNotARoute() {
    assertThat(failure("Version: 1\nRoutes:\n  - /v2/jenkins/build/now\n"))
        .hasMessage(
            "jenkins config.yaml line 3: Routes[0]: '/v2/jenkins/build/now' is not a route; expected"
                + " /v1/jenkins/<action>");
  }

  @Test
  void rejectsADuplicateRoute() {
    assertThat(
            failure(
                "Version: 1\nRoutes:\n  - /v1/jenkins/build\n  - /v1/jenkins/jobs\n"
                    + "  - /v1/jenkins/build: again\n"))
        .hasMessage(
            "jenkins config.yaml line 5: Routes[2]: '/v1/jenkins/build' is declared twice (first at Routes[0],"
                + " line 3); keep one");
  }

  @Test
  void rejectsARouteEntryWithTwoDescriptions() {
    assertThat(failure("Version: 1\nRoutes:\n  - {/v1/jenkins/build: a, /v1/jenkins/jobs: b}\n"))
        .hasMessage(
            "jenkins config.yaml line 3: Routes[0]: expected a route such as '/v1/jenkins/build' or a single"
                + " 'route: description' entry, found a mapping");
  }

  @Test
  void rejectsAnUnknownKeyListingTheKnownKeys() {
    assertThat(failure("Version: 1\nRoutes: [/v1/jenkins/build]\nLicense: MIT\n"))
        .hasMessage(
            "jenkins config.yaml line 3: 'License' is not a known key; known keys (in any case): Version,"
                + " Website, Author, Credentials, Routes, Attributes, Confirm, Access");
  }

  @Test
  void rejectsAKeyGivenTwiceInDifferentCase() {
    assertThat(failure("Version: 1\nRoutes: [/v1/jenkins/build]\nroutes: [/v1/jenkins/jobs]\n"))
        .hasMessage(
            "jenkins config.yaml line 3: Routes: is given twice (as 'Routes' on line 2 and as 'routes' here);"
                + " keep one");
  }

  @Test
  void rejectsACredentialGivenTwice() {
    assertThat(
            failure(
                "Version: 1\nCredentials:\n  TOKEN: a\n  TOKEN: b\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage(
            "jenkins config.yaml line 4: Credentials.TOKEN: is given twice (first on line 3); keep one");
  }

  @Test
  void rejectsAnAttributeNamingAnUndeclaredRoute() {
    String yaml = JENKINS.replace("BRANCH: [start, stop, jobs]", "BRANCH: [start, deploy, jobs]");

    assertThat(failure(yaml))
        .hasMessage(
            "jenkins config.yaml line 23: Attributes.BRANCH[1]: 'deploy' is not a declared route; declared"
                + " actions: build, jobs, start, stop");
  }

  @Test
  void rejectsAnAttributeNamingARouteTwice() {
    assertThat(
            failure(
                "Version: 1\nRoutes: [/v1/jenkins/build]\nAttributes:\n  ID: [build, /v1/jenkins/build]\n"))
        .hasMessage(
            "jenkins config.yaml line 4: Attributes.ID[1]: '/v1/jenkins/build' names /v1/jenkins/build again;"
                + " list each route once");
  }

  @Test
  void rejectsALowerCaseAttributeName() {
    assertThat(failure("Version: 1\nRoutes: [/v1/jenkins/build]\nAttributes:\n  branch: [build]\n"))
        .hasMessage(
            "jenkins config.yaml line 4: Attributes.branch: attribute names are UPPER_SNAKE ([A-Z][A-Z0-9_]*),"
                + " e.g. BRANCH");
  }

  @Test
  void rejectsAnAttributeThatIsNotAList() {
    assertThat(failure("Version: 1\nRoutes: [/v1/jenkins/build]\nAttributes:\n  BRANCH: build\n"))
        .hasMessage(
            "jenkins config.yaml line 4: Attributes.BRANCH: expected a list of the routes it applies to, e.g."
                + " [build, jobs], found a string 'build'");
  }

  @Test
  void rejectsALowerCaseCredentialName() {
    assertThat(
            failure("Version: 1\nCredentials:\n  jenkins-url: https://ci\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage(
            "jenkins config.yaml line 3: Credentials.jenkins-url: credential names are UPPER_SNAKE"
                + " ([A-Z][A-Z0-9_]*), e.g. JENKINS_URL");
  }

  @Test
  void rejectsAMissingVersion() {
    assertThat(failure("# no version\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage("jenkins config.yaml line 2: Version: is required; add a line such as 'Version: 1.0.0'");
  }

  @Test
  void rejectsAnEmptyVersion() {
    assertThat(failure("Version:\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage("jenkins config.yaml line 1: Version: is empty; give a version such as 1.0.0");
  }

  @Test
  void rejectsAVersionThatIsAList() {
    assertThat(failure("Version: [1, 2]\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage("jenkins config.yaml line 1: Version: expected a version such as 1.0.0, found a list");
  }

  @Test
  void rejectsMissingRoutes() {
    assertThat(failure("Version: 1\nAuthor: me\n"))
        .hasMessage(
            "jenkins config.yaml line 1: Routes: is required; list the plugin's actions, e.g."
                + " 'Routes: [/v1/jenkins/build]'");
  }

  @Test
  void rejectsEmptyRoutes() {
    assertThat(failure("Version: 1\nRoutes: []\n"))
        .hasMessage(
            "jenkins config.yaml line 2: Routes: is empty; list at least one route, e.g. '- /v1/jenkins/build'");
  }

  @Test
  void rejectsRoutesGivenAsAMapping() {
    assertThat(failure("Version: 1\nRoutes:\n  build: /v1/jenkins/build\n"))
        .hasMessage(
            "jenkins config.yaml line 3: Routes: expected a list of routes such as '- /v1/jenkins/build',"
                + " found a mapping");
  }

  @Test
  void rejectsAuthorGivenAsAList() {
    assertThat(failure("Version: 1\nAuthor: [a, b]\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage("jenkins config.yaml line 2: Author: expected a string, found a list");
  }

  @Test
  void rejectsCredentialsGivenAsAList() {
    assertThat(failure("Version: 1\nCredentials: [TOKEN]\nRoutes: [/v1/jenkins/build]\n"))
        .hasMessage(
            "jenkins config.yaml line 2: Credentials: expected a mapping of UPPER_SNAKE names to values, e.g."
                + " 'JENKINS_URL: https://ci.example.com', found a list");
  }

  @Test
  void rejectsAnEmptyDocument() {
    assertThat(failure("# nothing but a comment\n"))
        .hasMessage(
            "jenkins config.yaml line 1: the document is empty; expected a mapping with at least Version and"
                + " Routes");
    assertThat(failure("")).hasMessageContaining("the document is empty");
  }

  @Test
  void rejectsADocumentThatIsAScalar() {
    assertThat(failure("just some text\n"))
        .hasMessage(
            "jenkins config.yaml line 1: the document must be a mapping of Version, Website, Author,"
                + " Credentials, Routes, Attributes, Confirm, Access; found a string 'just some text'");
  }

  @Test
  void rejectsADocumentThatIsAList() {
    assertThat(failure("- Version: 1\n- Routes: [/v1/jenkins/build]\n"))
        .hasMessage(
            "jenkins config.yaml line 1: the document must be a mapping of Version, Website, Author,"
                + " Credentials, Routes, Attributes, Confirm, Access; found a list");
  }
}
