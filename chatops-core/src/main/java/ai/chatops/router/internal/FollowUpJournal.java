package ai.chatops.router.internal;

import ai.chatops.internal.Keys;
import ai.chatops.plugin.FollowUp;
import ai.chatops.service.Conversation;
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
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follow-ups being watched (a running build), in the {@link Store}, so that a router that dies does not
 * forget them: each record names the plugin, the {@link FollowUp}, the conversation to report to, its
 * deadline, and the router polling it with a lease that reaches past its next poll. A sweeping router takes
 * over, with compare-and-set, the records whose lease ran out.
 *
 * <p>Layout: key {@code followup/<service>/<sha256(service, workspace, event id)>}, one record per request
 * being followed, expiring a lease after its deadline.
 */
public final class FollowUpJournal {
  private static final Logger log = LoggerFactory.getLogger(FollowUpJournal.class);
  /** Created on first use: the mapper loads most of jackson-databind, which start-up does not need. */
  private static final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .build();
  }
  static final String PREFIX = "followup/";

  private final Store store;
  private final Clock clock;
  private final String owner;
  private final Duration lease;

  public FollowUpJournal(Store store, Clock clock, String owner, Duration lease) {
    this.store = store;
    this.clock = clock;
    this.owner = owner;
    this.lease = lease;
  }

  /** One followed request: which plugin watches what, where to report, and until when. */
  public record Watch(String plugin, FollowUp followUp, Conversation where, String eventId, Instant deadline) {}

  record Stored(String plugin, String key, String description, long intervalMillis, long timeoutMillis,
      long deadline, String service, String workspace, String channel, String thread, String eventId,
      String owner, long leaseUntil) {
    Watch toWatch() {
      Conversation where = new Conversation(service, workspace, channel, Optional.ofNullable(thread));
      FollowUp followUp = new FollowUp(key, description, Duration.ofMillis(intervalMillis),
          Duration.ofMillis(timeoutMillis));
      return new Watch(plugin, followUp, where, eventId, Instant.ofEpochMilli(deadline));
    }
  }

  /**
   * Records that this router polls {@code watch} next at {@code nextPoll}.
   *
   * @return false when another router has taken the watch over
   */
  public boolean save(Watch watch, Instant nextPoll) {
    String key = key(watch);
    Stored record = stored(watch, nextPoll.plus(lease).toEpochMilli());
    Instant expiresAt = watch.deadline().plus(lease);
    Optional<StoreEntry> current = store.get(key);
    if (current.isEmpty()) {
      return store.putIfAbsent(key, write(record), expiresAt);
    }
    Stored was = read(current.get().value());
    if (!was.owner().equals(owner) && was.leaseUntil() > clock.millis()) {
      return false;
    }
    return store.compareAndSet(key, current.get().version(), write(record), expiresAt);
  }

  /** Whether this router still holds the watch (no other router took it over). */
  public boolean stillMine(Watch watch) {
    return store.get(key(watch)).map(e -> read(e.value()).owner().equals(owner)).orElse(false);
  }

  /** Forgets a watch that ended. */
  public void remove(Watch watch) {
    store.delete(key(watch));
  }

  /**
   * Gives up this router's hold on a watch whose next poll it could not schedule (its workers were saturated,
   * or it is shutting down): the record stays, with a lease that has run out, so the next sweep of any router,
   * this one's included, takes it over. Does nothing when another router holds the watch.
   */
  public void release(Watch watch) {
    String key = key(watch);
    Optional<StoreEntry> current = store.get(key);
    if (current.isEmpty() || !read(current.get().value()).owner().equals(owner)) {
      return;
    }
    Stored released = stored(watch, 0);
    store.compareAndSet(key, current.get().version(), write(released),
        current.get().expiresAt().orElse(watch.deadline().plus(lease)));
  }

  /**
   * Takes over the watches whose lease ran out and returns them, to be polled by this router: those of a router
   * that stopped, and this router's own that no poll of its holds any more (released, or lost).
   *
   * @param heldHere whether this router has a poll scheduled or running for the record of a key
   */
  public List<Watch> takeOverAbandoned(Predicate<String> heldHere) {
    List<Watch> taken = new ArrayList<>();
    long now = clock.millis();
    String cursor = null;
    do {
      StorePage page = store.list(PREFIX, cursor, 100);
      for (StoreEntry entry : page.entries()) {
        try {
          Stored record = read(entry.value());
          if (record.leaseUntil() > now || record.owner().equals(owner) && heldHere.test(entry.key())) {
            continue; // alive elsewhere, or this router's schedule holds it
          }
          Watch watch = record.toWatch();
          Stored mine = stored(watch, now + watch.followUp().interval().toMillis() + lease.toMillis());
          Instant expiresAt = entry.expiresAt().orElse(watch.deadline().plus(lease));
          if (store.compareAndSet(entry.key(), entry.version(), write(mine), expiresAt)) {
            taken.add(watch);
          }
        } catch (RuntimeException e) {
          log.warn("skipping an unreadable follow-up record {}: {}", entry.key(), e.toString());
        }
      }
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);
    return taken;
  }

  private Stored stored(Watch w, long leaseUntil) {
    return new Stored(w.plugin(), w.followUp().key(), w.followUp().description(),
        w.followUp().interval().toMillis(), w.followUp().timeout().toMillis(), w.deadline().toEpochMilli(),
        w.where().service(), w.where().workspace(), w.where().channel(), w.where().thread().orElse(null),
        w.eventId(), owner, leaseUntil);
  }

  static String key(Watch w) {
    return Keys.hashed("followup", w.where().service(), w.where().service(), w.where().workspace(), w.eventId());
  }

  private static byte[] write(Stored stored) {
    try {
      return Json.MAPPER.writeValueAsBytes(stored);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stored read(byte[] bytes) {
    try {
      return Json.MAPPER.readValue(bytes, Stored.class);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable follow-up record (" + bytes.length + " bytes)", e);
    }
  }
}
