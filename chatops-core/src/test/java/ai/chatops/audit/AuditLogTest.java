package ai.chatops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.fixtures.MutableClock;
import ai.chatops.store.InMemoryStore;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading the audit log back: paging, ranges, filters, and what is not an entry. */
class AuditLogTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(START);
  private final InMemoryStore store = InMemoryStore.create(clock);
  private final AuditLog log = AuditLog.of(store);

  @BeforeEach
  void write250EntriesOneSecondApart() {
    for (int i = 0; i < 250; i++) {
      AuditEntry entry = new AuditEntry(START.plusSeconds(i), "slack", "Ev" + i, "T1", "U" + (i % 3), "C1",
          Optional.empty(), i % 2 == 0 ? "/v1/jenkins/build" : "/v1/links/get", Map.of("N", "" + i),
          AuditEntry.Outcome.DONE, i, "");
      store.put(AuditCodec.key(entry, i), AuditCodec.encode(entry), null);
    }
    store.put(AuditCodec.timePrefix(START.plusSeconds(100).toEpochMilli()) + "/garbage",
        "not json".getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void exportsARangeAcrossPagesNewestFirstSkippingWhatIsNotAnEntry() {
    List<String> events = new ArrayList<>();
    log.forEach(START.plusSeconds(50), START.plusSeconds(200), e -> events.add(e.eventId()));
    assertThat(events).hasSize(150);
    assertThat(events.get(0)).isEqualTo("Ev199");
    assertThat(events.get(149)).isEqualTo("Ev50");

    StringWriter out = new StringWriter();
    assertThat(log.export(START, START.plusSeconds(1000), out)).isEqualTo(250);
    assertThat(out.toString().lines()).hasSize(250).first().asString().contains("\"event\":\"Ev249\"");
    assertThat(log.export(START.plusSeconds(10), START.plusSeconds(10), new StringWriter())).isZero();
  }

  @Test
  void findsTheNewestMatchingEntries() {
    assertThat(log.recent(3)).extracting(AuditEntry::eventId).containsExactly("Ev249", "Ev248", "Ev247");
    assertThat(log.recent(3, e -> e.route().startsWith("/v1/jenkins/")))
        .extracting(AuditEntry::eventId).containsExactly("Ev248", "Ev246", "Ev244");
    assertThat(log.recent(AuditLog.MAX_RECENT)).hasSize(250);
    assertThatThrownBy(() -> log.recent(0)).hasMessage("limit must be within 1..1000 but was 0");
  }

  @Test
  void reportsAWriterThatFails() {
    Writer broken = new Writer() {
      @Override
      public void write(char[] buffer, int offset, int length) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    assertThatThrownBy(() -> log.export(START, START.plusSeconds(1000), broken))
        .isInstanceOf(UncheckedIOException.class).hasMessage("could not write the audit export")
        .hasRootCauseMessage("disk full");
  }
}
