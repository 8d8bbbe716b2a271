package ai.chatops.dialogflow.internal;

import com.google.cloud.dialogflow.v2.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The output contexts of each session's last turn, sent back with its next query. DialogFlow's own
 * slot-filling contexts ({@code *_dialog_context}, {@code *_dialog_params_*}) and system contexts
 * ({@code __*}) are dropped, so a question the bot asked through core's conversation step is never
 * answered into DialogFlow's slot filling as well. Sessions are forgotten after {@link #TTL} (DialogFlow's own
 * context lifetime) or, least recently used first, beyond {@code maxSessions}. Thread-safe.
 */
public final class ContextMemory {
  /** How long DialogFlow keeps a context without a query. */
  public static final Duration TTL = Duration.ofMinutes(20);

  private final Clock clock;
  private final Map<String, Entry> sessions;

  private record Entry(List<Context> contexts, Instant at) {}

  public ContextMemory(Clock clock, int maxSessions) {
    this.clock = clock;
    this.sessions =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > maxSessions;
          }
        };
  }

  /** The contexts to send with the next query of {@code session}; empty when none are alive. */
  public synchronized List<Context> contexts(String session) {
    Entry entry = sessions.get(session);
    if (entry == null) {
      return List.of();
    }
    if (entry.at().plus(TTL).isBefore(clock.instant())) {
      sessions.remove(session);
      return List.of();
    }
    return entry.contexts();
  }

  /** Remembers the output contexts of a turn of {@code session}. */
  public synchronized void keep(String session, List<Context> output) {
    List<Context> kept =
        output.stream()
            .filter(c -> c.getLifespanCount() > 0 && !isDialogFlowOwn(c.getName()))
            .collect(Collectors.toUnmodifiableList());
    if (kept.isEmpty()) {
      sessions.remove(session);
    } else {
      sessions.put(session, new Entry(kept, clock.instant()));
    }
  }

  static boolean isDialogFlowOwn(String name) {
    String shortName = name.substring(name.lastIndexOf('/') + 1);
    return shortName.startsWith("__")
        || shortName.endsWith("_dialog_context")
        || shortName.contains("_dialog_params_");
  }
}
