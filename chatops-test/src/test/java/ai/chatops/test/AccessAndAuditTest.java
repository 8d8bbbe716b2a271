package ai.chatops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.StoreUnavailableException;
import ai.chatops.access.AccessPolicy;
import ai.chatops.audit.AuditEntry;
import ai.chatops.audit.AuditEntry.Outcome;
import ai.chatops.store.ForwardingStore;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Access rules, rate limits and the audit log, through a real router as users meet them. */
class AccessAndAuditTest {
  private final MutableClock clock = MutableClock.at(ConversationTester.DEFAULT_START);
  private ConversationTester tester;

  @AfterEach
  void close() {
    if (tester != null) {
      tester.close();
    }
  }

  private ConversationTester tester(Consumer<EventRouter.Builder> host) {
    return tester(InMemoryStore.create(clock), host);
  }

  private ConversationTester tester(Store store, Consumer<EventRouter.Builder> host) {
    tester = ConversationTester.builder()
        .clock(clock)
        .store(store)
        .plugin(new OpsPlugin(clock))
        .customize(b -> b.access(policy(p -> { })))
        .customize(host)
        .build();
    return tester;
  }

  /** The host's groups and admins that every test uses, plus {@code extra}. */
  private static AccessPolicy policy(Consumer<AccessPolicy.Builder> extra) {
    AccessPolicy.Builder policy = AccessPolicy.builder()
        .group("release-managers", "U1", "U-BANNED")
        .admins("@auditors", "U-ROOT")
        .group("auditors", "U-AUDIT");
    extra.accept(policy);
    return policy.build();
  }

  private List<AuditEntry> audit() {
    assertThat(tester.router().awaitIdle(Duration.ofSeconds(5))).isTrue();
    return tester.router().auditLog().recent(100);
  }

  @Test
  void refusesAUserOutsideTheAllowedGroupNamingTheRuleAndNeverCallsThePlugin() {
    tester(b -> { });
    tester.as("U2").in("C-DEPLOY").say("ops deploy SERVICE=api")
        .expectReply("Sorry, you may not run /v1/ops/deploy: the rule Access.deploy allows only @release-managers.")
        .expectNoInvocation();

    AuditEntry entry = audit().get(0);
    assertThat(entry.user()).isEqualTo("U2");
    assertThat(entry.channel()).isEqualTo("C-DEPLOY");
    assertThat(entry.route()).isEqualTo("/v1/ops/deploy");
    assertThat(entry.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(entry.detail()).isEqualTo("the rule Access.deploy allows only @release-managers");
    assertThat(entry.attributes()).isEqualTo(Map.of("SERVICE", "api"));
  }

  @Test
  void denyWinsOverAllowForAMemberOfTheAllowedGroup() {
    tester(b -> { });
    tester.as("U-BANNED").in("C-DEPLOY").say("ops deploy SERVICE=api")
        .expectReply("Sorry, you may not run /v1/ops/deploy: the rule Access.deploy denies U-BANNED.")
        .expectNoInvocation();
  }

  @Test
  void allowedChannelsRestrictEvenAllowedUsers() {
    tester(b -> { });
    tester.as("U1").in("C1").say("ops deploy SERVICE=api")
        .expectReply("Sorry, you may not run /v1/ops/deploy: the rule Access.deploy allows it only in C-DEPLOY.")
        .expectNoInvocation();
    tester.in("C-DEPLOY").say("ops deploy SERVICE=api")
        .expectReply("deploy api")
        .expectInvocation("/v1/ops/deploy", Map.of("SERVICE", "api"));
  }

  @Test
  void refusesBeforeAskingForConfirmation() {
    tester(b -> { });
    tester.as("U2").say("ops restart SERVICE=api")
        .expectReply("Sorry, you may not run /v1/ops/restart: the rule Access./v1/ops/restart allows only U1.");
    tester.as("U2").say("yes").expectReplyContaining("didn't understand");
    tester.expectNoInvocation();

    tester.as("U1").say("ops restart SERVICE=api").expectReplyContaining("Run ops restart SERVICE=api?");
    tester.say("yes").expectReply("restart api").expectInvocation("/v1/ops/restart");
    assertThat(audit()).extracting(AuditEntry::user, AuditEntry::outcome)
        .containsExactly(tuple("U1", Outcome.DONE), tuple("U2", Outcome.DENIED));
  }

  @Test
  void routesWithoutARuleAreOpenByDefaultAndClosedWhenTheHostDeniesByDefault() {
    tester(b -> { });
    tester.as("U2").say("ops status").expectReply("status all");
    tester.close();

    tester(b -> b.access(policy(p -> p.defaultAccess(false))));
    tester.as("U2").say("ops status").expectReply(
        "Sorry, you may not run /v1/ops/status: it has no access rule, and this bot refuses routes without one.");
    tester.as("U1").in("C-DEPLOY").say("ops deploy SERVICE=web").expectReply("deploy web");
  }

  @Test
  void limitsEachUserAndRefillsWithTheClock() {
    tester(b -> b.access(policy(p -> p.userRateLimit(2, Duration.ofMinutes(1)))));
    tester.as("U1").say("ops status").expectReply("status all");
    tester.say("ops status").expectReply("status all");
    tester.say("ops status")
        .expectReply("Sorry, you are going too fast: you may run 2 commands every 60 s. Try again in 30 s.");
    tester.as("U2").say("ops status").expectReply("status all"); // another user has their own bucket

    clock.advance(Duration.ofSeconds(29));
    tester.as("U1").say("ops status")
        .expectReply("Sorry, you are going too fast: you may run 2 commands every 60 s. Try again in 1 s.");
    clock.advance(Duration.ofSeconds(1));
    tester.say("ops status").expectReply("status all");
    assertThat(audit()).extracting(AuditEntry::user, AuditEntry::outcome).containsExactly( // newest first
        tuple("U1", Outcome.DONE), tuple("U1", Outcome.RATE_LIMITED), tuple("U2", Outcome.DONE),
        tuple("U1", Outcome.RATE_LIMITED), tuple("U1", Outcome.DONE), tuple("U1", Outcome.DONE));
    assertThat(audit().get(1).detail()).isEqualTo("the limit of 2 per 60 s per user");
  }

  @Test
  void limitsARouteForEveryoneTogetherAndGivesBackTheUsersToken() {
    tester(b -> b.access(policy(p -> p.routeRateLimit(1, Duration.ofMinutes(10))
        .userRateLimit(2, Duration.ofMinutes(10)))));
    tester.as("U1").say("ops status").expectReply("status all");
    tester.as("U2").say("ops status").expectReply(
        "Sorry, /v1/ops/status is busy: it may run 1 times every 10 min for everyone together. Try again in 600 s.");
    tester.as("U2").say("ops build").expectReply("Building all"); // another route is free
    tester.as("U2").say("ops deploy").expectReplyContaining("Sorry, you may not run"); // refused: no token taken
    tester.as("U2").say("ops fail").expectReply("Sorry, ops is broken today."); // U2's token came back
    // the build took 1.5 s by the clock: U2's next token is 600 s / 2 - 1.5 s away
    tester.as("U2").say("ops hang").expectReply("Sorry, you are going too fast: you may run 2 commands every "
        + "10 min. Try again in 299 s.");
  }

  @Test
  void auditsEveryInvocationOnceWithItsOutcomeDurationAndMaskedCredentials() {
    tester(b -> b.pluginTimeout(Duration.ofMillis(100)));
    tester.as("U1").in("C7").inThread("1700.1")
        .say("ops build SERVICE=api API_KEY=abc NOTE=" + OpsPlugin.TOKEN).expectReply("Building api");
    tester.outOfThread().say("ops fail").expectReply("Sorry, ops is broken today.");
    tester.say("ops hang").expectReply("Sorry, ops hang did not finish within 100 ms (event ev-3).");
    tester.say("xyzzy plugh").expectReplyContaining("didn't understand"); // not an invocation: not audited

    List<AuditEntry> entries = audit();
    assertThat(entries).hasSize(3);
    AuditEntry hang = entries.get(0);
    AuditEntry fail = entries.get(1);
    AuditEntry build = entries.get(2);
    assertThat(hang.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(hang.detail()).isEqualTo("did not finish within 100 ms");
    assertThat(fail.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(fail.detail()).isEqualTo("Sorry, ops is broken today.");
    assertThat(build).isEqualTo(new AuditEntry(ConversationTester.DEFAULT_START.plusMillis(1500), "test", "ev-1",
        "W1", "U1", "C7", Optional.of("1700.1"), "/v1/ops/build",
        Map.of("SERVICE", "api", "API_KEY", AuditEntry.MASK, "NOTE", AuditEntry.MASK), Outcome.DONE, 1500, ""));
  }

  @Test
  void keepsAuditEntriesForTheRetentionOnly() {
    tester(b -> b.auditRetention(Duration.ofDays(2)));
    tester.say("ops status").expectReply("status all");
    assertThat(audit()).hasSize(1);
    clock.advance(Duration.ofDays(2));
    assertThat(audit()).isEmpty();
  }

  @Test
  void aStoreThatCannotTakeTheAuditEntryLosesNoReply() {
    AtomicInteger refused = new AtomicInteger();
    Store failing = new ForwardingStore(InMemoryStore.create(clock)) {
      @Override
      public long put(String key, byte[] value, Instant expiresAt) {
        if (key.startsWith("audit/")) {
          refused.incrementAndGet();
          throw new StoreUnavailableException("audit table is down");
        }
        return super.put(key, value, expiresAt);
      }
    };
    tester(failing, b -> { });
    tester.say("ops status").expectReply("status all");
    tester.as("U2").in("C-DEPLOY").say("ops deploy").expectReplyContaining("Sorry, you may not run");
    assertThat(tester.router().awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(refused).hasValue(2);
  }

  @Test
  void theAuditCommandListsRecentEntriesNewestFirstForAdministrators() {
    tester(b -> { });
    tester.as("U1").say("ops status SERVICE=a").expectReply("status a");
    clock.advance(Duration.ofSeconds(1));
    tester.as("U2").in("C-DEPLOY").say("ops deploy SERVICE=b").expectReplyContaining("Sorry");
    clock.advance(Duration.ofSeconds(1));

    tester.as("U-ROOT").in("C1").say("audit 2").expectReply(String.join("\n",
        "The last 2 audit entries, newest first:",
        "2030-01-01T00:00:01Z U2 in C-DEPLOY: /v1/ops/deploy SERVICE=b, denied "
            + "(the rule Access.deploy allows only @release-managers)",
        "2030-01-01T00:00:00Z U1 in C1: /v1/ops/status SERVICE=a, done in 0 ms"));
    tester.as("U-AUDIT").say("audit ops 1").expectReply(String.join("\n",
        "The last audit entry of ops:",
        "2030-01-01T00:00:01Z U2 in C-DEPLOY: /v1/ops/deploy SERVICE=b, denied "
            + "(the rule Access.deploy allows only @release-managers)"));
    tester.as("U-AUDIT").say("audit 1").expectReply(String.join("\n",
        "The last audit entry:",
        "2030-01-01T00:00:02Z U-AUDIT in C1: audit COUNT=1 PLUGIN=ops, done in 0 ms"));
  }

  @Test
  void theAuditCommandRefusesOthersPolitelyAndAuditsTheRefusal() {
    tester(b -> { });
    tester.as("U1").say("audit").expectReply("Sorry, you may not read the audit log: only administrators may read it.");
    tester.as("U1").say("audit the deploys").expectReplyContaining("didn't understand"); // not the command
    AuditEntry refusal = audit().get(0);
    assertThat(refusal.route()).isEqualTo("audit");
    assertThat(refusal.user()).isEqualTo("U1");
    assertThat(refusal.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(refusal.attributes()).isEqualTo(Map.of("COUNT", "10"));
    assertThat(audit()).hasSize(1);
  }

  @Test
  void cutsHostileValuesAndBoundsTheAuditCommand() {
    tester(b -> { });
    String huge = "x".repeat(900); // within the grammar's 1,000 characters per value, far over the audit's 256
    tester.as("U1").say("ops build NOTE=\"" + huge + "\"").expectReply("Building all");
    assertThat(audit().get(0).attributes().get("NOTE")).isEqualTo("x".repeat(256) + "...");

    for (int i = 0; i < 60; i++) {
      tester.as("U" + i).say("audit").expectReplyContaining("Sorry, you may not read the audit log");
    }
    tester.as("U-ROOT").say("audit 9999").expectReplyMatching(reply -> reply.toPlainText()
        .startsWith("The last 50 audit entries, newest first:\n") && reply.toPlainText().lines().count() == 51);
    tester.say("audit 99999").expectReplyContaining("didn't understand"); // not the command: no huge listing
  }

  @Test
  void exportsATimeRangeAsJsonLines() {
    tester(b -> { });
    tester.as("U1").say("ops status").expectReply("status all");
    clock.advance(Duration.ofMinutes(1));
    tester.say("ops build SERVICE=api API_KEY=k").expectReply("Building api");
    clock.advance(Duration.ofMinutes(1));
    tester.say("ops status").expectReply("status all");
    assertThat(tester.router().awaitIdle(Duration.ofSeconds(5))).isTrue();

    StringWriter out = new StringWriter();
    long written = tester.router().auditLog().export(ConversationTester.DEFAULT_START.plusSeconds(30),
        ConversationTester.DEFAULT_START.plusSeconds(120), out);

    assertThat(written).isEqualTo(1);
    assertThat(out.toString()).isEqualTo("{\"time\":\"2030-01-01T00:01:01.500Z\",\"service\":\"test\","
        + "\"event\":\"ev-2\",\"workspace\":\"W1\",\"user\":\"U1\",\"channel\":\"C1\",\"route\":\"/v1/ops/build\","
        + "\"attributes\":{\"API_KEY\":\"****\",\"SERVICE\":\"api\"},\"outcome\":\"done\",\"durationMs\":1500}\n");
    StringWriter all = new StringWriter();
    assertThat(tester.router().auditLog().export(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), all))
        .isEqualTo(3);
    assertThat(all.toString().lines()).hasSize(3);
  }

  @Test
  void aRuleNamingAGroupTheHostDoesNotDefineIsAConfigurationError() {
    assertThatThrownBy(() -> EventRouter.builder().plugin(new OpsPlugin(clock)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("ops config.yaml: Access.deploy names group release-managers, which the host does not define;"
            + " define it with AccessPolicy.Builder.group(\"release-managers\", users...). Defined groups: none");
    assertThatThrownBy(() -> AccessPolicy.builder().admins("@ops").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("admins names group @ops, which is not defined; define it with"
            + " AccessPolicy.Builder.group(\"ops\", users...)");
  }
}
