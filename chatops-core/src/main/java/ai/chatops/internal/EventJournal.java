package ai.chatops.internal;

import ai.chatops.service.ChatEvent;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every acknowledged event, in the {@link Store}: the record is written before the platform gets its
 * acknowledgement, claimed with a lease by the worker that processes it, and shrunk to a small "done" marker
 * afterwards, kept until the dedupe window ends so that redeliveries are recognised. A router that starts,
 * or sweeps, finds the events whose lease ran out unfinished (their process died) and processes them again;
 * claims go through compare-and-set, so two routers sharing a store never both process one event.
 *
 * <p>Layout: key {@code event/<service>/<sha256(service, workspace, id)>}, value JSON
 * {@code {"state":"PROCESSING"|"DONE","owner":..,"leaseUntil":millis,"attempts":n,"event":{..}}}.
 */
public final class EventJournal {
  private static final Logger log = LoggerFactory.getLogger(EventJournal.class);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .build();
  /** Raw payloads larger than this are not kept in the record (stores limit item sizes). */
  private static final int MAX_RAW_CHARS = 16 * 1024;
  static final String PREFIX = "event/";
  /** The owner of an event handed to a queue: any router may claim it at once. */
  static final String QUEUED = "queued";

  private final Store store;
  private final Clock clock;
  private final String owner;
  private final Duration window;
  private final Duration lease;

  public EventJournal(Store store, Clock clock, String owner, Duration window, Duration lease) {
    this.store = store;
    this.clock = clock;
    this.owner = owner;
    this.window = window;
    this.lease = lease;
  }

  /** The stored form of an event. */
  record StoredEvent(
      String service, String id, String workspace, String channel, String user, String text, String thread,
      long timeMillis, String sender, String raw) {
    static StoredEvent of(ChatEvent e) {
      String raw = e.raw().length() <= MAX_RAW_CHARS ? e.raw() : "";
      return new StoredEvent(e.service(), e.id(), e.workspace(), e.channel(), e.user(), e.text(),
          e.thread().orElse(null), e.time().toEpochMilli(), e.sender().name(), raw);
    }

    ChatEvent toEvent() {
      return ChatEvent.builder(service, id).workspace(workspace).channel(channel).user(user).text(text)
          .thread(thread).time(Instant.ofEpochMilli(timeMillis)).sender(ChatEvent.Sender.valueOf(sender))
          .raw(raw == null ? "" : raw).build();
    }
  }

  /** The journal record. {@code event} is absent once DONE. */
  record Entry(String state, String owner, long leaseUntil, int attempts, StoredEvent event) {}

  /**
   * A claim on an event: this router processes it now, for the {@code attempts}-th time, since
   * {@code claimedAt} (epoch millis).
   */
  public record Claim(String key, int attempts, long claimedAt) {}

  /**
   * Records a newly received event, claimed by this router, or free for any router to claim when it is
   * handed to a queue.
   *
   * @return false when the event was recorded before (a redelivery)
   */
  public boolean record(ChatEvent event, boolean queued) {
    Instant now = clock.instant();
    Entry entry = new Entry("PROCESSING", queued ? QUEUED : owner, now.plus(lease).toEpochMilli(), 1,
        StoredEvent.of(event));
    return store.putIfAbsent(key(event), write(entry), now.plus(window));
  }

  /** Removes the record of an event that could not be queued, so that its redelivery is processed. */
  public void forget(ChatEvent event) {
    store.delete(key(event));
  }

  /**
   * Claims an event for processing: renews this router's lease, or takes over one that ran out.
   *
   * @return empty when the event is done or another router holds a live lease on it
   */
  public Optional<Claim> claim(ChatEvent event) {
    String key = key(event);
    Optional<StoreEntry> stored = store.get(key);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Entry entry = read(stored.get().value());
    long now = clock.millis();
    if (!entry.state().equals("PROCESSING")) {
      return Optional.empty();
    }
    boolean mine = entry.owner().equals(owner);
    boolean queued = entry.owner().equals(QUEUED);
    if (!mine && !queued && entry.leaseUntil() > now) {
      return Optional.empty();
    }
    if (mine && entry.leaseUntil() - now > lease.toMillis() / 2) {
      return Optional.of(new Claim(key, entry.attempts(), now)); // freshly recorded by this router
    }
    int attempts = queued && entry.leaseUntil() > now ? entry.attempts() : entry.attempts() + 1;
    Entry renewed = new Entry("PROCESSING", owner, now + lease.toMillis(), attempts, entry.event());
    Instant expiresAt = stored.get().expiresAt().orElse(clock.instant().plus(window));
    if (!store.compareAndSet(key, stored.get().version(), write(renewed), expiresAt)) {
      return Optional.empty();
    }
    return Optional.of(new Claim(key, attempts, now));
  }

  /**
   * The claim on an event this router recorded at {@code recordedAt} (epoch millis) and processes without
   * reading the store again, as long as the lease it wrote is still young; empty when it must be read.
   */
  public Optional<Claim> freshClaim(ChatEvent event, long recordedAt) {
    long now = clock.millis();
    if (now - recordedAt >= lease.toMillis() / 2) {
      return Optional.empty();
    }
    return Optional.of(new Claim(key(event), 1, now));
  }

  /** Whether the lease taken with {@code claim} is old enough to be worth renewing. */
  public boolean worthRenewing(Claim claim) {
    return clock.millis() - claim.claimedAt() >= lease.toMillis() / 4;
  }

  /**
   * Extends this router's lease on a claimed event, before the slow part that follows a plugin call
   * (delivering the reply). Does nothing when another router has taken the event over.
   */
  public void renew(Claim claim) {
    Optional<StoreEntry> stored = store.get(claim.key());
    if (stored.isEmpty()) {
      return;
    }
    Entry entry = read(stored.get().value());
    if (!entry.state().equals("PROCESSING") || !entry.owner().equals(owner)) {
      return;
    }
    Entry renewed = new Entry("PROCESSING", owner, clock.millis() + lease.toMillis(), entry.attempts(),
        entry.event());
    Instant expiresAt = stored.get().expiresAt().orElse(clock.instant().plus(window));
    store.compareAndSet(claim.key(), stored.get().version(), write(renewed), expiresAt);
  }

  /** Whether the event is done (or its record is gone), as opposed to held by another router. */
  public boolean doneOrGone(ChatEvent event) {
    return store.get(key(event)).map(e -> !read(e.value()).state().equals("PROCESSING")).orElse(true);
  }

  /** Marks a claimed event done, keeping a small marker until the dedupe window ends. */
  public void finish(Claim claim) {
    Optional<StoreEntry> stored = store.get(claim.key());
    Entry entry = stored.map(s -> read(s.value())).orElse(null);
    if (entry == null || !entry.state().equals("PROCESSING") || !entry.owner().equals(owner)) {
      log.warn("event record {} was taken over or removed while it was processed", claim.key());
      return;
    }
    Entry done = new Entry("DONE", owner, 0, claim.attempts(), null);
    Instant expiresAt = stored.get().expiresAt().orElse(clock.instant().plus(window));
    if (!store.compareAndSet(claim.key(), stored.get().version(), write(done), expiresAt)) {
      log.warn("event record {} was taken over while it was processed", claim.key());
    }
  }

  /**
   * The events of other routers whose lease ran out before they were done: their router died. Reads every
   * record of the dedupe window, one page at a time.
   */
  public List<ChatEvent> abandoned() {
    List<ChatEvent> found = new ArrayList<>();
    long now = clock.millis();
    String cursor = null;
    do {
      StorePage page = store.list(PREFIX, cursor, 100);
      for (StoreEntry stored : page.entries()) {
        try {
          Entry entry = read(stored.value());
          // This router's own events are still in its workers' hands, however slow: only other routers
          // may take them over once the lease has run out.
          if (entry.state().equals("PROCESSING") && entry.leaseUntil() <= now && entry.event() != null
              && !entry.owner().equals(owner)) {
            found.add(entry.event().toEvent());
          }
        } catch (RuntimeException e) {
          log.warn("skipping an unreadable event record {}: {}", stored.key(), e.toString());
        }
      }
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);
    return found;
  }

  static String key(ChatEvent event) {
    return Keys.hashed("event", event.service(), event.service(), event.workspace(), event.id());
  }

  private static byte[] write(Entry entry) {
    try {
      return JSON.writeValueAsBytes(entry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Entry read(byte[] bytes) {
    try {
      return JSON.readValue(bytes, Entry.class);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable event record (" + bytes.length + " bytes)", e);
    }
  }
}
