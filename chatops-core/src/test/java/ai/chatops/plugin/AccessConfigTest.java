package ai.chatops.plugin;

import static ai.chatops.plugin.PluginConfigTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@code Access} key of config.yaml: who may run which route. */
class AccessConfigTest {
  private static final String BASE = String.join("\n",
      "Version: 1.0.0",
      "Routes:",
      "  - /v1/jenkins/build",
      "  - /v1/jenkins/deploy",
      "  - /v1/jenkins/jobs",
      "");

  @Test
  void readsRulesByActionAndByFullRoute() {
    PluginConfig config = PluginConfig.parse("jenkins", BASE + String.join("\n",
        "Access:",
        "  deploy:",
        "    allow:",
        "      users: [U0RELEASE1]",
        "      groups: [release-managers, \"@sre\"]",
        "      channels: [C0DEPLOYS]",
        "    deny:",
        "      users: [U0INTERN]",
        "      groups: [contractors]",
        "      channels: [C0GENERAL]",
        "  /v1/jenkins/build:",
        "    deny: {channels: [C0RANDOM]}",
        ""));

    assertThat(config.accessRules()).containsExactly(
        new AccessRule("/v1/jenkins/deploy", "deploy", List.of("U0RELEASE1"), List.of("release-managers", "sre"),
            List.of("C0DEPLOYS"), List.of("U0INTERN"), List.of("contractors"), List.of("C0GENERAL")),
        new AccessRule("/v1/jenkins/build", "/v1/jenkins/build", List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of("C0RANDOM")));
    assertThat(config.accessRule("/v1/jenkins/jobs")).isEmpty();
    assertThat(config.accessRule("/v1/jenkins/deploy").map(AccessRule::restrictsPeople)).contains(true);
    assertThat(config.accessRule("/v1/jenkins/build").map(AccessRule::restrictsPeople)).contains(false);
    assertThat(config).isNotEqualTo(PluginConfig.parse("jenkins", BASE));
  }

  @Test
  void anAbsentOrEmptyAccessKeyMeansNoRules() {
    assertThat(PluginConfig.parse("jenkins", BASE).accessRules()).isEmpty();
    assertThat(PluginConfig.parse("jenkins", BASE + "access:\n").accessRules()).isEmpty();
  }

  @Test
  void namesTheDeclaredActionsForAnUnknownRoute() {
    assertThat(failure(BASE + "Access:\n  release:\n    allow: {users: [U1]}\n")).hasMessage(
        "jenkins config.yaml line 7: Access.release: 'release' is not a declared route; declared actions: build,"
            + " deploy, jobs");
  }

  @Test
  void refusesTheSameRouteTwiceUnderTwoNames() {
    assertThat(failure(BASE + "Access:\n  deploy:\n    deny: {users: [U1]}\n  /v1/jenkins/deploy:\n"
        + "    deny: {users: [U2]}\n")).hasMessage("jenkins config.yaml line 9: Access./v1/jenkins/deploy: names"
            + " /v1/jenkins/deploy again (first on line 7); give each route one rule");
  }

  @Test
  void refusesUnknownFieldsAtEachLevel() {
    assertThat(failure(BASE + "Access:\n  deploy:\n    permit: {users: [U1]}\n")).hasMessage(
        "jenkins config.yaml line 8: Access.deploy: 'permit' is not a known key; known keys: allow, deny");
    assertThat(failure(BASE + "Access:\n  deploy:\n    allow:\n      people: [U1]\n")).hasMessage(
        "jenkins config.yaml line 9: Access.deploy.allow: 'people' is not a known key; known keys: users, groups,"
            + " channels");
    assertThat(failure(BASE + "Access:\n  deploy:\n    allow: {users: [U1]}\n    allow: {users: [U2]}\n"))
        .hasMessage("jenkins config.yaml line 9: Access.deploy.allow: is given twice (first on line 8); keep one");
  }

  @Test
  void refusesWrongShapes() {
    assertThat(failure(BASE + "Access: [deploy]\n")).hasMessage("jenkins config.yaml line 6: Access: expected a"
        + " mapping of routes to rules, e.g. 'deploy: {allow: {groups: [release-managers]}}', found a list");
    assertThat(failure(BASE + "Access:\n  deploy: everyone\n")).hasMessage("jenkins config.yaml line 7:"
        + " Access.deploy: expected a mapping with allow and/or deny, e.g. 'allow: {groups: [release-managers]}',"
        + " found a string 'everyone'");
    assertThat(failure(BASE + "Access:\n  deploy: {}\n")).hasMessage("jenkins config.yaml line 7:"
        + " Access.deploy: expected a mapping with allow and/or deny, e.g. 'allow: {groups: [release-managers]}',"
        + " found an empty mapping");
    assertThat(failure(BASE + "Access:\n  deploy:\n    allow: {users: U1}\n")).hasMessage(
        "jenkins config.yaml line 8: Access.deploy.allow.users: expected a list of ids, e.g. [U0123ABC], found a"
            + " string 'U1'");
    assertThat(failure(BASE + "Access:\n  deploy:\n    deny: {channels: []}\n")).hasMessage(
        "jenkins config.yaml line 8: Access.deploy.deny.channels: expected a list of ids, e.g. [C0123ABC], found"
            + " an empty list");
    assertThat(failure(BASE + "Access:\n  deploy:\n    allow:\n      users: [[U1]]\n")).hasMessage(
        "jenkins config.yaml line 9: Access.deploy.allow.users[0]: expected an id such as U0123ABC, found a list");
  }

  @Test
  void refusesWeirdIdsWithoutEchoingThemWhole() {
    assertThat(failure(BASE + "Access:\n  deploy:\n    allow:\n      users: [\"U1\\u202eevil\"]\n")).hasMessage(
        "jenkins config.yaml line 9: Access.deploy.allow.users[0]: 'U1\u202eevil' is not a valid id; use letters,"
            + " digits and . _ : -, at most 64 characters");
    assertThat(failure(BASE + "Access:\n  deploy:\n    allow:\n      groups: [Release Managers]\n")).hasMessage(
        "jenkins config.yaml line 9: Access.deploy.allow.groups[0]: 'Release Managers' is not a valid group name;"
            + " use [a-z0-9][a-z0-9._-]*, at most 64 characters");
    String longId = "U" + "1".repeat(100);
    assertThat(failure(BASE + "Access:\n  deploy:\n    deny:\n      users: [" + longId + "]\n")).hasMessage(
        "jenkins config.yaml line 9: Access.deploy.deny.users[0]: '" + longId.substring(0, 40) + "...' is not a"
            + " valid id; use letters, digits and . _ : -, at most 64 characters");
    assertThat(failure(BASE + "Access:\n  deploy:\n    deny:\n      users: [U1, U2, U1]\n")).hasMessage(
        "jenkins config.yaml line 9: Access.deploy.deny.users[2]: 'U1' is listed twice (first on line 9); keep one");
  }

  @Test
  void refusesAHugeListAndPointsAtGroups() {
    String ids = IntStream.range(0, 501).mapToObj(i -> "U" + i).collect(Collectors.joining(", "));
    assertThat(failure(BASE + "Access:\n  deploy:\n    allow:\n      users: [" + ids + "]\n")).hasMessage(
        "jenkins config.yaml line 9: Access.deploy.allow.users: lists 501 ids; at most 500 are allowed (name a"
            + " group the host defines instead)");
    String most = IntStream.range(0, 500).mapToObj(i -> "U" + i).collect(Collectors.joining(", "));
    assertThat(PluginConfig.parse("jenkins", BASE + "Access:\n  deploy:\n    allow:\n      users: [" + most + "]\n")
        .accessRule("/v1/jenkins/deploy").map(r -> r.allowUsers().size())).isEqualTo(Optional.of(500));
  }

  @Test
  void documentsAccessAmongTheKnownKeys() {
    assertThat(failure(BASE + "Acess: {}\n")).hasMessage("jenkins config.yaml line 6: 'Acess' is not a known key;"
        + " known keys (in any case): Version, Website, Author, Credentials, Routes, Attributes, Confirm, Access");
  }
}
