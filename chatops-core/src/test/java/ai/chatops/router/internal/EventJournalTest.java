package ai.chatops.router.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.fixtures.MutableClock;
import ai.chatops.service.ChatEvent;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

final class EventJournalTest {
  private static final Duration WINDOW = Duration.ofHours(1);
  private static final Duration LEASE = Duration.ofMinutes(2);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final CountingStore store = new CountingStore(InMemoryStore.create(clock));
  private final EventJournal journal = new EventJournal(store, clock, "router-a", WINDOW, LEASE);

  private static ChatEvent event(String id) {
    return ChatEvent.builder("slack", id).workspace("T1").channel("C1").user("U1")
        .text("jenkins build \"api\" ✓ \\ done").thread("1700000000.000100")
        .time(Instant.ofEpochMilli(1_700_000_000_123L)).raw("{\"type\":\"app_mention\"}").build();
  }

  private EventJournal.Entry stored(ChatEvent event) {
    return EventJournal.read(store.delegate.get(EventJournal.key(event)).orElseThrow().value());
  }

  @Test
  void aFreshEventCostsOneCreateAndOneCompareAndSetAndNoRead() {
    ChatEvent event = event("Ev1");

    EventJournal.Recorded recorded = journal.record(event, false).orElseThrow();
    EventJournal.Claim claim = journal.freshClaim(recorded).orElseThrow();
    journal.finish(claim);

    assertThat(store.calls).containsExactly("putIfAbsentVersioned", "compareAndSet");
    EventJournal.Entry done = stored(event);
    assertThat(done.state()).isEqualTo("DONE");
    assertThat(done.owner()).isEqualTo("router-a");
    assertThat(done.event()).isNull();
    assertThat(store.delegate.get(EventJournal.key(event)).orElseThrow().expiresAt())
        .contains(clock.instant().plus(WINDOW));
  }

  @Test
  void aRedeliveryIsNotRecordedAgain() {
    journal.record(event("Ev1"), false).orElseThrow();

    assertThat(journal.record(event("Ev1"), false)).isEmpty();
  }

  @Test
  void finishAfterARenewedLeaseReadsTheRecordAndMarksItDone() {
    ChatEvent event = event("Ev1");
    EventJournal.Claim claim = journal.freshClaim(journal.record(event, false).orElseThrow()).orElseThrow();
    clock.advance(Duration.ofSeconds(40));
    journal.renew(claim); // a new version: the claim's is stale

    journal.finish(claim);

    assertThat(stored(event).state()).isEqualTo("DONE");
  }

  @Test
  void finishLeavesAnEventThatAnotherRouterTookOver() {
    ChatEvent event = event("Ev1");
    EventJournal.Claim mine = journal.freshClaim(journal.record(event, false).orElseThrow()).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    EventJournal other = new EventJournal(store, clock, "router-b", WINDOW, LEASE);
    assertThat(other.abandoned()).extracting(ChatEvent::id).containsExactly("Ev1");
    EventJournal.Claim theirs = other.claim(event, false).orElseThrow();
    assertThat(theirs.attempts()).isEqualTo(2);

    journal.finish(mine);

    EventJournal.Entry entry = stored(event);
    assertThat(entry.state()).isEqualTo("PROCESSING");
    assertThat(entry.owner()).isEqualTo("router-b");
  }

  @Test
  void anAbandonedEventFoundTwiceBySweepsIsClaimedByOneWorkerOnly() {
    ChatEvent event = event("Ev1");
    new EventJournal(store, clock, "router-dead", WINDOW, LEASE).record(event, false).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    // Two sweeps find it before the first worker claims it: two workers of this router get it.
    assertThat(journal.abandoned()).extracting(ChatEvent::id).containsExactly("Ev1");
    assertThat(journal.abandoned()).extracting(ChatEvent::id).containsExactly("Ev1");

    Optional<EventJournal.Claim> first = journal.claim(event, false);
    Optional<EventJournal.Claim> second = journal.claim(event, false);

    assertThat(first).isPresent();
    assertThat(first.get().attempts()).isEqualTo(2);
    assertThat(second).as("the second worker must leave it to the first").isEmpty();
  }

  @Test
  void aRecordedEventWhoseWorkerStartedLateIsClaimedWithARenewedLease() {
    ChatEvent event = event("Ev1");
    EventJournal.Recorded recorded = journal.record(event, false).orElseThrow();
    clock.advance(LEASE.dividedBy(2).plusSeconds(1)); // queued longer than half the lease

    assertThat(journal.freshClaim(recorded)).isEmpty();
    EventJournal.Claim claim = journal.claim(event, true).orElseThrow();

    assertThat(stored(event).leaseUntil()).isEqualTo(clock.millis() + LEASE.toMillis());
    journal.finish(claim);
    assertThat(stored(event).state()).isEqualTo("DONE");
  }

  @Test
  void aStoreThatCannotTellTheVersionStillGetsTheEventMarkedDone() {
    Store unknownVersions = new CountingStore(InMemoryStore.create(clock)) {
      @Override
      public OptionalLong putIfAbsentVersioned(String key, byte[] value, Instant expiresAt) {
        return delegate.putIfAbsent(key, value, expiresAt) ? OptionalLong.of(0) : OptionalLong.empty();
      }
    };
    EventJournal j = new EventJournal(unknownVersions, clock, "router-a", WINDOW, LEASE);
    ChatEvent event = event("Ev1");

    j.finish(j.freshClaim(j.record(event, false).orElseThrow()).orElseThrow());

    assertThat(EventJournal.read(unknownVersions.get(EventJournal.key(event)).orElseThrow().value()).state())
        .isEqualTo("DONE");
  }

  @Test
  void theRecordKeepsEveryFieldOfTheEvent() {
    ChatEvent event = event("Ev1");
    journal.record(event, true);

    EventJournal.Entry entry = stored(event);
    assertThat(entry.state()).isEqualTo("PROCESSING");
    assertThat(entry.owner()).isEqualTo(EventJournal.QUEUED);
    assertThat(entry.attempts()).isEqualTo(1);
    assertThat(entry.leaseUntil()).isEqualTo(clock.instant().plus(LEASE).toEpochMilli());
    ChatEvent back = entry.event().toEvent();
    assertThat(back.id()).isEqualTo("Ev1");
    assertThat(back.workspace()).isEqualTo("T1");
    assertThat(back.channel()).isEqualTo("C1");
    assertThat(back.user()).isEqualTo("U1");
    assertThat(back.text()).isEqualTo("jenkins build \"api\" ✓ \\ done");
    assertThat(back.thread()).contains("1700000000.000100");
    assertThat(back.time()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    assertThat(back.sender()).isEqualTo(ChatEvent.Sender.USER);
    assertThat(back.raw()).isEqualTo("{\"type\":\"app_mention\"}");
  }

  @Test
  void aCallStartIsOneCompareAndSetThatKeepsTheEventAndNamesTheRoute() {
    ChatEvent event = event("Ev1");
    EventJournal.Claim claim = journal.freshClaim(journal.record(event, false).orElseThrow()).orElseThrow();
    clock.advance(Duration.ofSeconds(5));

    EventJournal.Claim started = journal.recordStart(claim, "jenkins/build", event).orElseThrow();

    assertThat(store.calls).containsExactly("putIfAbsentVersioned", "compareAndSetVersioned");
    assertThat(started.started()).isEqualTo("jenkins/build");
    String json = new String(store.delegate.get(EventJournal.key(event)).orElseThrow().value(), UTF_8);
    assertThat(json).isEqualTo("{\"state\":\"PROCESSING\",\"owner\":\"router-a\",\"leaseUntil\":"
        + clock.instant().plus(LEASE).toEpochMilli() + ",\"attempts\":1,\"started\":\"jenkins/build\","
        + "\"event\":{\"service\":\"slack\",\"id\":\"Ev1\",\"workspace\":\"T1\",\"channel\":\"C1\",\"user\":\"U1\","
        + "\"text\":\"jenkins build \\\"api\\\" ✓ \\\\ done\",\"thread\":\"1700000000.000100\","
        + "\"timeMillis\":1700000000123,\"sender\":\"USER\",\"raw\":\"{\\\"type\\\":\\\"app_mention\\\"}\"}}");
    journal.finish(started);
    assertThat(new String(store.delegate.get(EventJournal.key(event)).orElseThrow().value(), UTF_8))
        .isEqualTo("{\"state\":\"DONE\",\"owner\":\"router-a\",\"leaseUntil\":0,\"attempts\":1,\"event\":null}");
  }

  @Test
  void readsTheRecordsOfEarlierVersionsAndSkipsFieldsItDoesNotKnow() {
    // As the databind-based journal wrote them, with a field a later version might add.
    String earlier = "{\"state\":\"PROCESSING\",\"owner\":\"router-z\",\"leaseUntil\":1,\"attempts\":1,"
        + "\"future\":{\"nested\":[1,2,{\"x\":null}]},\"event\":{\"service\":\"slack\",\"id\":\"Ev9\","
        + "\"workspace\":\"T1\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"bot ping\",\"thread\":null,"
        + "\"timeMillis\":1700000000000,\"sender\":\"USER\",\"raw\":\"\",\"extra\":true}}";
    store.delegate.put("event/slack/earlier", earlier.getBytes(UTF_8), clock.instant().plus(WINDOW));

    List<ChatEvent> abandoned = journal.abandoned();

    assertThat(abandoned).extracting(ChatEvent::id).containsExactly("Ev9");
    assertThat(abandoned.get(0).thread()).isEmpty();
    assertThat(abandoned.get(0).text()).isEqualTo("bot ping");
  }

  @Test
  void anUnreadableRecordIsNamedWithItsSizeAndSkippedBySweeps() {
    for (String bad : List.of("", "[]", "{\"state\":\"DONE\"}", "{\"state\":1,\"owner\":\"a\"}", "{\"state\":")) {
      assertThatThrownBy(() -> EventJournal.read(bad.getBytes(UTF_8)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("unreadable event record (" + bad.length() + " bytes)");
    }
    store.delegate.put("event/slack/bad", "{\"state\":".getBytes(UTF_8), null);

    assertThat(journal.abandoned()).isEmpty();
  }

  /**
   * A record's bytes as jackson-core's generator writes them (the journal wrote them with one before it
   * wrote them straight into a buffer; older routers read both alike).
   */
  private static byte[] writeWithGenerator(EventJournal.Entry entry) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
        .createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("state", entry.state());
      g.writeStringField("owner", entry.owner());
      g.writeNumberField("leaseUntil", entry.leaseUntil());
      g.writeNumberField("attempts", entry.attempts());
      if (entry.started() != null) {
        g.writeStringField("started", entry.started());
      }
      g.writeFieldName("event");
      EventJournal.StoredEvent e = entry.event();
      if (e == null) {
        g.writeNull();
      } else {
        g.writeStartObject();
        g.writeStringField("service", e.service());
        g.writeStringField("id", e.id());
        g.writeStringField("workspace", e.workspace());
        g.writeStringField("channel", e.channel());
        g.writeStringField("user", e.user());
        g.writeStringField("text", e.text());
        g.writeStringField("thread", e.thread());
        g.writeNumberField("timeMillis", e.timeMillis());
        g.writeStringField("sender", e.sender());
        g.writeStringField("raw", e.raw());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Test
  void recordsAreTheGeneratorsBytesAndReadBackWhateverTheText() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    // escapes, control characters, DEL, two- and three-byte UTF-8, paired and lone surrogates, null, long text
    String[] texts = {"", "router-a", "jenkins build \"api\" \\ done/", "\u0000\u0001\u001f\t\b\f\r\u007f",
        "\u0080\u00e9\u07ff\u0800\u4e2d\u2028\uffff\u2713", "\ud83d\ude00 smile", "lone \ud83d", "\ude00 lone",
        null, "x".repeat(20_000), "\u00e9".repeat(12_000)};
    long[] numbers = {0, 7, 1_700_000_000_123L, Long.MAX_VALUE, -1, Long.MIN_VALUE};
    for (int i = 0; i < 2000; i++) {
      EventJournal.StoredEvent event = random.nextInt(4) == 0 ? null : new EventJournal.StoredEvent(
          pick(random, texts), pick(random, texts), pick(random, texts), pick(random, texts), pick(random, texts),
          pick(random, texts), pick(random, texts), numbers[random.nextInt(numbers.length)], pick(random, texts),
          pick(random, texts));
      String owner = pick(random, texts);
      EventJournal.Entry entry = new EventJournal.Entry(random.nextBoolean() ? "PROCESSING" : "DONE",
          owner == null ? "queued" : owner, numbers[random.nextInt(numbers.length)], random.nextInt(),
          pick(random, texts), event);
      byte[] written = EventJournal.write(entry);
      assertThat(written).isEqualTo(writeWithGenerator(entry));
      EventJournal.Entry read = EventJournal.read(written);
      assertThat(read.owner()).isEqualTo(entry.owner());
      assertThat(read.started()).isEqualTo(entry.started());
      assertThat(read.event()).isEqualTo(entry.event());
    }
  }

  private static String pick(java.util.SplittableRandom random, String[] texts) {
    return texts[random.nextInt(texts.length)];
  }

  /** Counts the store operations the journal makes, by name. */
  private static class CountingStore implements Store {
    final Store delegate;
    final List<String> calls = new ArrayList<>();

    CountingStore(Store delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<StoreEntry> get(String key) {
      calls.add("get");
      return delegate.get(key);
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      calls.add("put");
      return delegate.put(key, value, expiresAt);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, Instant expiresAt) {
      calls.add("putIfAbsent");
      return delegate.putIfAbsent(key, value, expiresAt);
    }

    @Override
    public OptionalLong putIfAbsentVersioned(String key, byte[] value, Instant expiresAt) {
      calls.add("putIfAbsentVersioned");
      return delegate.putIfAbsentVersioned(key, value, expiresAt);
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      calls.add("compareAndSet");
      return delegate.compareAndSet(key, expectedVersion, value, expiresAt);
    }

    @Override
    public OptionalLong compareAndSetVersioned(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      calls.add("compareAndSetVersioned");
      return delegate.compareAndSetVersioned(key, expectedVersion, value, expiresAt);
    }

    @Override
    public boolean delete(String key) {
      calls.add("delete");
      return delegate.delete(key);
    }

    @Override
    public StorePage list(String prefix, String cursor, int limit) {
      calls.add("list");
      return delegate.list(prefix, cursor, limit);
    }
  }
}
