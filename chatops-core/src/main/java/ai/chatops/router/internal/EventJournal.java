package ai.chatops.router.internal;

import ai.chatops.internal.CompactJson;
import ai.chatops.internal.Keys;
import ai.chatops.service.ChatEvent;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
 * {@code {"state":"PROCESSING"|"DONE","owner":..,"leaseUntil":millis,"attempts":n,"started":route,"event":{..}}}
 * ({@code started}: the route whose call is about to start or running, recorded for routes that are not
 * idempotent, so that a recovery does not blindly call it again; absent otherwise), written
 * and read with jackson-core's streaming API (no databind introspection on the per-event path; unknown
 * fields are skipped, so older and newer routers read each other's records).
 *
 * <p>On the happy path an event costs two store writes and no read: {@link #record} creates the record and
 * learns its version, and {@link #finish} replaces it with one compare-and-set on that version. Only when
 * that fails (the lease was renewed, the store could not tell the version, another router took over) does
 * {@code finish} read the record to decide.
 */
public final class EventJournal {
  private static final Logger log = LoggerFactory.getLogger(EventJournal.class);
  /** Streaming only: the records are small and flat, and databind's bean introspection costs start-up time. */
  private static final JsonFactory JSON = JsonFactory.builder().build();
  /** Raw payloads larger than this are not kept in the record (stores limit item sizes). */
  private static final int MAX_RAW_CHARS = 16 * 1024;
  static final String PREFIX = "event/";
  /** The owner of an event handed to a queue: any router may claim it at once. */
  static final String QUEUED = "queued";
  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
  /** The largest buffer a thread keeps for writing records: most events' raw payloads fit. */
  private static final int KEPT_BUFFER = 32 * 1024;
  private static final ThreadLocal<CompactJson> BUFFER = new ThreadLocal<>() {
    @Override
    protected CompactJson initialValue() {
      return new CompactJson(2048); // a class, not a lambda: created on a cold router's first event
    }
  };

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

  /** The journal record. {@code event} is absent once DONE; {@code started} is null until a call is recorded. */
  record Entry(String state, String owner, long leaseUntil, int attempts, String started, StoredEvent event) {
    Entry(String state, String owner, long leaseUntil, int attempts, StoredEvent event) {
      this(state, owner, leaseUntil, attempts, null, event);
    }
  }

  /**
   * A claim on an event: this router processes it now, for the {@code attempts}-th time, since
   * {@code claimedAt} (epoch millis). {@code version} is the record's version as this router last wrote it,
   * or 0 when unknown; {@code expiresAt} its expiry, or null when unknown; {@code started} the route whose call
   * an earlier attempt recorded as started, or null.
   */
  public record Claim(String key, int attempts, long claimedAt, long version, Instant expiresAt, String started,
      EncodedEvent event) {
    Claim(String key, int attempts, long claimedAt, long version, Instant expiresAt, String started) {
      this(key, attempts, claimedAt, version, expiresAt, started, null);
    }

    Claim(String key, int attempts, long claimedAt, long version, Instant expiresAt) {
      this(key, attempts, claimedAt, version, expiresAt, null, null);
    }
  }

  /**
   * An event this router has just recorded: the record's key, version (0: unknown) and expiry, when, and the
   * event as the record holds it.
   */
  public record Recorded(String key, long version, Instant expiresAt, long recordedAt, EncodedEvent event) {}

  /**
   * The JSON object a record holds under {@code event}, encoded once when the event is recorded and reused
   * by the writes that follow (the start of a call), which would otherwise encode the same kilobyte again.
   * The bytes are never handed out, so the value stays immutable.
   */
  public static final class EncodedEvent {
    private final byte[] json;

    private EncodedEvent(byte[] json) {
      this.json = json;
    }

    static EncodedEvent of(StoredEvent event) {
      return new EncodedEvent(encode(event));
    }
  }

  /**
   * Records a newly received event, claimed by this router, or free for any router to claim when it is
   * handed to a queue.
   *
   * @return the new record, or empty when the event was recorded before (a redelivery)
   */
  public Optional<Recorded> record(ChatEvent event, boolean queued) {
    Instant now = clock.instant();
    Instant expiresAt = now.plus(window);
    EncodedEvent encoded = EncodedEvent.of(StoredEvent.of(event));
    byte[] value = write("PROCESSING", queued ? QUEUED : owner, now.plus(lease).toEpochMilli(), 1, null, encoded);
    String key = key(event);
    OptionalLong version = store.putIfAbsentVersioned(key, value, expiresAt);
    return version.isPresent()
        ? Optional.of(new Recorded(key, version.getAsLong(), expiresAt, now.toEpochMilli(), encoded))
        : Optional.empty();
  }

  /** Removes the record of an event that could not be queued, so that its redelivery is processed. */
  public void forget(ChatEvent event) {
    store.delete(key(event));
  }

  /**
   * Claims an event for processing: renews this router's lease, or takes over one that ran out, always with a
   * compare-and-set, so of two workers claiming the same record only one gets it.
   *
   * @param recordedHere whether this router recorded the event and hands it to its first worker (whose
   *     {@link #freshClaim} came too late); otherwise a live lease of this router's own means another of its
   *     workers holds the event
   * @return empty when the event is done or another router, or another worker, holds a live lease on it
   */
  public Optional<Claim> claim(ChatEvent event, boolean recordedHere) {
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
    if (mine && entry.leaseUntil() > now && !recordedHere) {
      // Another of this router's workers claimed it: the sweep can find an abandoned event twice before the
      // first worker's claim lands, and the second must not process it too.
      return Optional.empty();
    }
    Instant expiresAt = stored.get().expiresAt().orElse(null);
    int attempts = queued && entry.leaseUntil() > now ? entry.attempts() : entry.attempts() + 1;
    Entry renewed = new Entry("PROCESSING", owner, now + lease.toMillis(), attempts, entry.started(),
        entry.event());
    if (expiresAt == null) {
      expiresAt = clock.instant().plus(window);
    }
    if (!store.compareAndSet(key, stored.get().version(), write(renewed), expiresAt)) {
      return Optional.empty();
    }
    return Optional.of(new Claim(key, attempts, now, 0, expiresAt, entry.started()));
  }

  /**
   * The claim on an event this router has just recorded, processed without reading the store again, as long
   * as the lease it wrote is still young; empty when it must be read.
   */
  public Optional<Claim> freshClaim(Recorded recorded) {
    long now = clock.millis();
    if (now - recorded.recordedAt() >= lease.toMillis() / 2) {
      return Optional.empty();
    }
    return Optional.of(new Claim(recorded.key(), 1, now, recorded.version(), recorded.expiresAt(), null,
        recorded.event()));
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
        entry.started(), entry.event());
    Instant expiresAt = stored.get().expiresAt().orElse(clock.instant().plus(window));
    store.compareAndSet(claim.key(), stored.get().version(), write(renewed), expiresAt);
  }

  /**
   * Records, before the call starts, that this router is about to call {@code route} for a claimed event, so
   * that a router recovering the event after a crash knows the call may have happened. Renews the lease.
   *
   * @return the claim to finish with, or empty when the event is no longer this router's (taken over): then
   *     the call must not start
   */
  public Optional<Claim> recordStart(Claim claim, String route, ChatEvent event) {
    long now = clock.millis();
    if (claim.version() > 0 && claim.expiresAt() != null) {
      // The record is still the one this router wrote (PROCESSING, its own) if its version is unchanged: one
      // compare-and-set, no read.
      EncodedEvent encoded = claim.event() != null ? claim.event() : EncodedEvent.of(StoredEvent.of(event));
      byte[] started = write("PROCESSING", owner, now + lease.toMillis(), claim.attempts(), route, encoded);
      OptionalLong version = store.compareAndSetVersioned(claim.key(), claim.version(), started,
          claim.expiresAt());
      if (version.isPresent()) {
        // finish, in turn, needs no read when the version is known
        return Optional.of(new Claim(claim.key(), claim.attempts(), now, version.getAsLong(), claim.expiresAt(),
            route, encoded));
      }
    }
    Optional<StoreEntry> stored = store.get(claim.key());
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Entry entry = read(stored.get().value());
    if (!entry.state().equals("PROCESSING") || !entry.owner().equals(owner)) {
      return Optional.empty();
    }
    Entry started = new Entry("PROCESSING", owner, now + lease.toMillis(), entry.attempts(), route, entry.event());
    Instant expiresAt = stored.get().expiresAt().orElse(clock.instant().plus(window));
    if (!store.compareAndSet(claim.key(), stored.get().version(), write(started), expiresAt)) {
      return Optional.empty();
    }
    return Optional.of(new Claim(claim.key(), claim.attempts(), now, 0, expiresAt, route));
  }

  /** Whether the event is done (or its record is gone), as opposed to held by another router. */
  public boolean doneOrGone(ChatEvent event) {
    return store.get(key(event)).map(e -> !read(e.value()).state().equals("PROCESSING")).orElse(true);
  }

  /**
   * Marks a claimed event done, keeping a small marker until the dedupe window ends: one compare-and-set
   * on the version the claim knows, else a read to find out whether the record is still this router's.
   */
  public void finish(Claim claim) {
    if (claim.version() > 0 && claim.expiresAt() != null && store.compareAndSet(claim.key(), claim.version(),
        write(done(claim)), claim.expiresAt())) {
      return;
    }
    Optional<StoreEntry> stored = store.get(claim.key());
    Entry entry = stored.map(s -> read(s.value())).orElse(null);
    if (entry == null || !entry.state().equals("PROCESSING") || !entry.owner().equals(owner)) {
      log.warn("event record {} was taken over or removed while it was processed", claim.key());
      return;
    }
    Instant expiresAt = stored.get().expiresAt().orElse(clock.instant().plus(window));
    if (!store.compareAndSet(claim.key(), stored.get().version(), write(done(claim)), expiresAt)) {
      log.warn("event record {} was taken over while it was processed", claim.key());
    }
  }

  private Entry done(Claim claim) {
    return new Entry("DONE", owner, 0, claim.attempts(), null);
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

  static byte[] write(Entry entry) {
    EncodedEvent event = entry.event() == null ? null : EncodedEvent.of(entry.event());
    return write(entry.state(), entry.owner(), entry.leaseUntil(), entry.attempts(), entry.started(), event);
  }

  /**
   * A record's bytes: its fields as jackson-core's generator writes them, then the event's JSON (null:
   * {@code "event":null}) copied in, all in a thread's buffer, so that the value is allocated once at its exact
   * size, with no generator, string builder or number strings.
   */
  private static byte[] write(String state, String recordOwner, long leaseUntil, int attempts, String started,
      EncodedEvent event) {
    CompactJson out = BUFFER.get().reset();
    out.raw("{\"state\":").string(state).raw(",\"owner\":").string(recordOwner);
    out.raw(",\"leaseUntil\":").number(leaseUntil).raw(",\"attempts\":").number(attempts);
    if (started != null) {
      out.raw(",\"started\":").string(started);
    }
    out.raw(",\"event\":").bytes(event == null ? NULL : event.json).raw('}');
    return copyOut(out);
  }

  /**
   * The JSON object of one event, written straight into a thread's buffer: the bytes jackson-core's generator
   * wrote for it before (pinned by a test), without a generator and a growing stream per event.
   */
  private static byte[] encode(StoredEvent e) {
    CompactJson out = BUFFER.get().reset();
    out.raw("{\"service\":").stringOrNull(e.service());
    out.raw(",\"id\":").stringOrNull(e.id());
    out.raw(",\"workspace\":").stringOrNull(e.workspace());
    out.raw(",\"channel\":").stringOrNull(e.channel());
    out.raw(",\"user\":").stringOrNull(e.user());
    out.raw(",\"text\":").stringOrNull(e.text());
    out.raw(",\"thread\":").stringOrNull(e.thread());
    out.raw(",\"timeMillis\":").number(e.timeMillis());
    out.raw(",\"sender\":").stringOrNull(e.sender());
    out.raw(",\"raw\":").stringOrNull(e.raw()).raw('}');
    return copyOut(out);
  }

  /** The bytes written into a thread's buffer, which is dropped when an outsized payload made it grow. */
  private static byte[] copyOut(CompactJson out) {
    byte[] bytes = out.toByteArray();
    if (out.capacity() > KEPT_BUFFER) {
      BUFFER.remove();
    }
    return bytes;
  }

  static Entry read(byte[] bytes) {
    try (JsonParser p = JSON.createParser(bytes)) {
      expect(p, JsonToken.START_OBJECT);
      String state = null;
      String recordOwner = null;
      long leaseUntil = 0;
      int attempts = 0;
      String started = null;
      StoredEvent event = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "state":
            state = text(p, value);
            break;
          case "owner":
            recordOwner = text(p, value);
            break;
          case "leaseUntil":
            leaseUntil = number(p, value);
            break;
          case "attempts":
            attempts = (int) number(p, value);
            break;
          case "started":
            started = text(p, value);
            break;
          case "event":
            event = value == JsonToken.VALUE_NULL ? null : readEvent(p, value);
            break;
          default:
            p.skipChildren(); // a field of another version of the record
        }
      }
      if (state == null || recordOwner == null) {
        throw new IOException("no state or owner");
      }
      return new Entry(state, recordOwner, leaseUntil, attempts, started, event);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("unreadable event record (" + bytes.length + " bytes)", e);
    }
  }

  private static StoredEvent readEvent(JsonParser p, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      throw new IOException("event is not an object");
    }
    String service = null;
    String id = null;
    String workspace = null;
    String channel = null;
    String user = null;
    String text = null;
    String thread = null;
    long timeMillis = 0;
    String sender = null;
    String raw = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "service":
          service = text(p, value);
          break;
        case "id":
          id = text(p, value);
          break;
        case "workspace":
          workspace = text(p, value);
          break;
        case "channel":
          channel = text(p, value);
          break;
        case "user":
          user = text(p, value);
          break;
        case "text":
          text = text(p, value);
          break;
        case "thread":
          thread = text(p, value);
          break;
        case "timeMillis":
          timeMillis = number(p, value);
          break;
        case "sender":
          sender = text(p, value);
          break;
        case "raw":
          raw = text(p, value);
          break;
        default:
          p.skipChildren();
      }
    }
    return new StoredEvent(service, id, workspace, channel, user, text, thread, timeMillis, sender, raw);
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      throw new IOException(p.currentName() + " is not a string");
    }
    return p.getText();
  }

  private static long number(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw new IOException(p.currentName() + " is not a whole number");
    }
    return p.getLongValue();
  }

  private static void expect(JsonParser p, JsonToken token) throws IOException {
    if (p.nextToken() != token) {
      throw new IOException("expected " + token);
    }
  }
}
