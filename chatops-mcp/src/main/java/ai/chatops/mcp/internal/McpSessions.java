package ai.chatops.mcp.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sessions of the Streamable HTTP servlet: the user who opened each, when it was last used and how many of
 * its requests are open. A session with no request open for the idle timeout is expired; a user holds at most
 * a given number of sessions, and past it the least recently used of theirs with no request open makes room
 * for a new one. A request open for long (a call waiting for the human's approval) keeps its session.
 *
 * <p>This only keeps the books: the servlet closes in the SDK what {@link #expire} and {@link #admit} hand
 * back. Memory: at most the cap per user, plus the expired sessions until the next request sweeps them.
 * Thread-safe: every method holds this object's lock, and none does I/O.
 */
public final class McpSessions {
  private final Clock clock;
  private final Duration idleTimeout;
  private final int maxPerUser;
  private final Map<String, Session> sessions = new HashMap<>();
  /** Initializes admitted and not yet answered, per user: they count against the cap. */
  private final Map<String, Integer> opening = new HashMap<>();

  /** A session to close in the SDK: its id, its user and why (for the log). */
  public record Closing(String id, String user, String why) {}

  /** Whether an {@code initialize} may open a session, and the sessions to close first either way. */
  public record Admission(boolean admitted, List<Closing> closing) {}

  private static final class Session {
    final String user;
    Instant lastUsed;
    int open;

    Session(String user, Instant lastUsed) {
      this.user = user;
      this.lastUsed = lastUsed;
    }
  }

  public McpSessions(Clock clock, Duration idleTimeout, int maxPerUser) {
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.maxPerUser = maxPerUser;
  }

  /** The most sessions one user may hold. */
  public int maxPerUser() {
    return maxPerUser;
  }

  /** Forgets every session with no request open and none for the idle timeout; those to close in the SDK. */
  public synchronized List<Closing> expire() {
    Instant now = clock.instant();
    List<Closing> expired = new ArrayList<>();
    for (Iterator<Map.Entry<String, Session>> i = sessions.entrySet().iterator(); i.hasNext(); ) {
      Map.Entry<String, Session> entry = i.next();
      Session session = entry.getValue();
      if (session.open == 0 && !session.lastUsed.plus(idleTimeout).isAfter(now)) {
        i.remove();
        expired.add(new Closing(entry.getKey(), session.user, "idle for " + idleTimeout.toMinutes() + " min"));
      }
    }
    return expired;
  }

  /**
   * Admits an {@code initialize} of {@code user}: within the cap it is admitted; at the cap, the least recently
   * used of the user's sessions with no request open is forgotten to make room (to be closed in the SDK), and
   * when every one has a request open, it is refused. An admitted one must be followed by {@link #opened}.
   */
  public synchronized Admission admit(String user) {
    List<Closing> closing = new ArrayList<>();
    if (held(user) >= maxPerUser) {
      Optional<String> oldest = leastRecentlyUsedIdle(user);
      if (oldest.isEmpty()) {
        return new Admission(false, closing);
      }
      sessions.remove(oldest.get());
      closing.add(new Closing(oldest.get(), user, "the least recently used of " + maxPerUser));
    }
    opening.merge(user, 1, Integer::sum);
    return new Admission(true, closing);
  }

  /** Ends an admitted {@code initialize}: records the session it opened, if it opened one. */
  public synchronized void opened(String user, Optional<String> id) {
    opening.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
    id.ifPresent(session -> sessions.putIfAbsent(session, new Session(user, clock.instant())));
  }

  /**
   * Starts a request in session {@code id} when it is an open session of {@code user}'s; the session is not idle
   * until {@link #leave} ends the request.
   *
   * @return whether it is (when not, nothing was started)
   */
  public synchronized boolean enter(String user, String id) {
    Session session = sessions.get(id);
    if (session == null || !session.user.equals(user)) {
      return false;
    }
    session.open++;
    session.lastUsed = clock.instant();
    return true;
  }

  /** Ends a request that {@link #enter} started; its session's idle time starts now. */
  public synchronized void leave(String id) {
    Session session = sessions.get(id);
    if (session != null) {
      session.open = Math.max(0, session.open - 1);
      session.lastUsed = clock.instant();
    }
  }

  /** Forgets a session its client ended. */
  public synchronized void remove(String id) {
    sessions.remove(id);
  }

  /** How many sessions are open, of every user. */
  public synchronized int size() {
    return sessions.size();
  }

  private int held(String user) {
    int held = opening.getOrDefault(user, 0);
    for (Session session : sessions.values()) {
      if (session.user.equals(user)) {
        held++;
      }
    }
    return held;
  }

  private Optional<String> leastRecentlyUsedIdle(String user) {
    String oldest = null;
    Instant oldestUse = null;
    for (Map.Entry<String, Session> entry : sessions.entrySet()) {
      Session session = entry.getValue();
      if (session.user.equals(user) && session.open == 0
          && (oldestUse == null || session.lastUsed.isBefore(oldestUse))) {
        oldest = entry.getKey();
        oldestUse = session.lastUsed;
      }
    }
    return Optional.ofNullable(oldest);
  }
}
