package ai.chatops.audit;

import ai.chatops.toolkit.LogSafe;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the audit entries a router appended to its {@link Store}, newest first: for the built-in
 * {@code audit} command and for hosts that ship them to a SIEM.
 *
 * <pre>{@code
 * AuditLog audit = router.auditLog();          // or AuditLog.of(store) in another process
 * try (Writer out = Files.newBufferedWriter(file)) {
 *   audit.export(since, Instant.now(), out);     // JSON lines, newest first
 * }
 * }</pre>
 *
 * <p>Entries live under {@code audit/} keys that sort newest first, so recent entries cost one listing;
 * a time range is read page by page ({@link Store#list}) from its newest end. Stored values that are not
 * audit entries are skipped and logged. Thread-safe; holds no state besides the store and a sequence number
 * for the keys it writes.
 */
public final class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final int PAGE = 100;

  /** The most entries {@link #recent} returns. */
  public static final int MAX_RECENT = 1000;

  /** The most entries {@link #recent(int, Predicate)} looks at to find those that match. */
  public static final int MAX_SCANNED = 5000;

  private final Store store;
  private final AtomicLong sequence = new AtomicLong();

  private AuditLog(Store store) {
    this.store = store;
  }

  /** The audit log kept in {@code store}. */
  public static AuditLog of(Store store) {
    return new AuditLog(Objects.requireNonNull(store, "store"));
  }

  /**
   * Appends one entry, kept for {@code retention} after its time (through the store's expiry): one store
   * write, no read. The router appends one per plugin call; hosts may append their own (an MCP server's
   * refusals, say). Entries written at the same millisecond by one {@code AuditLog} never overwrite each
   * other.
   *
   * @throws ai.chatops.StoreUnavailableException when the store cannot be written
   */
  public void append(AuditEntry entry, Duration retention) {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(retention, "retention");
    store.put(AuditCodec.key(entry, sequence.incrementAndGet()), AuditCodec.encode(entry),
        entry.time().plus(retention));
  }

  /**
   * The newest entries, newest first.
   *
   * @param limit how many, 1 to {@link #MAX_RECENT}
   */
  public List<AuditEntry> recent(int limit) {
    return recent(limit, e -> true);
  }

  /**
   * The newest entries that {@code filter} accepts, newest first, looking at no more than
   * {@link #MAX_SCANNED} entries.
   *
   * @param limit how many, 1 to {@link #MAX_RECENT}
   */
  public List<AuditEntry> recent(int limit, Predicate<AuditEntry> filter) {
    if (limit < 1 || limit > MAX_RECENT) {
      throw new IllegalArgumentException("limit must be within 1.." + MAX_RECENT + " but was " + limit);
    }
    Objects.requireNonNull(filter, "filter");
    List<AuditEntry> found = new ArrayList<>();
    int[] scanned = {0};
    scan(AuditCodec.PREFIX, Long.MIN_VALUE, Long.MAX_VALUE, entry -> {
      scanned[0]++;
      if (filter.test(entry)) {
        found.add(entry);
      }
      return found.size() < limit && scanned[0] < MAX_SCANNED;
    });
    return found;
  }

  /**
   * Calls {@code consumer} with every entry whose time is in {@code [from, to)}, newest first.
   *
   * @throws ai.chatops.StoreUnavailableException when the store cannot be read
   */
  public void forEach(Instant from, Instant to, Consumer<AuditEntry> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    long start = Objects.requireNonNull(from, "from").toEpochMilli();
    long end = Objects.requireNonNull(to, "to").toEpochMilli();
    if (end <= start) {
      return;
    }
    // Keys in the range share the prefix common to its newest and oldest millisecond.
    String newest = AuditCodec.timePrefix(end - 1);
    String oldest = AuditCodec.timePrefix(start);
    int common = 0;
    while (common < newest.length() && newest.charAt(common) == oldest.charAt(common)) {
      common++;
    }
    scan(newest.substring(0, common), start, end, entry -> {
      consumer.accept(entry);
      return true;
    });
  }

  /**
   * Writes every entry whose time is in {@code [from, to)}, newest first, as JSON lines ({@code time},
   * {@code service}, {@code event}, {@code workspace}, {@code user}, {@code channel}, {@code thread} when
   * set, {@code route}, {@code attributes}, {@code outcome}, {@code durationMs}, {@code detail} when set,
   * {@code via} when the call did not come from chat, such as {@code mcp}). The writer is not closed.
   *
   * @return how many entries were written
   * @throws UncheckedIOException when the writer fails
   * @throws ai.chatops.StoreUnavailableException when the store cannot be read
   */
  public long export(Instant from, Instant to, Writer out) {
    Objects.requireNonNull(out, "out");
    long[] count = {0};
    forEach(from, to, entry -> {
      try {
        AuditCodec.writeLine(out, entry);
      } catch (IOException e) {
        throw new UncheckedIOException("could not write the audit export", e);
      }
      count[0]++;
    });
    return count[0];
  }

  /** Decodes entries under {@code prefix} within {@code [start, end)} until {@code more} returns false. */
  private void scan(String prefix, long start, long end, Predicate<AuditEntry> more) {
    String cursor = null;
    do {
      StorePage page = store.list(prefix, cursor, PAGE);
      for (StoreEntry stored : page.entries()) {
        AuditEntry entry;
        try {
          entry = AuditCodec.decode(stored.value());
        } catch (IllegalArgumentException e) {
          log.warn("skipped {}: {}", LogSafe.clean(stored.key()), e.getMessage());
          continue;
        }
        long t = entry.time().toEpochMilli();
        if (t >= end) {
          continue;
        }
        if (t < start || !more.test(entry)) {
          return; // keys are newest first: everything after this is older
        }
      }
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);
  }
}
