package ai.chatops.llm.internal;

import ai.chatops.service.ChatEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent turns of each conversation (the user's message and what the bot made of it), in memory, the
 * least recently used conversation forgotten first. Thread-safe.
 */
public final class Conversations {
  private final int turns;
  private final Map<String, Deque<String[]>> byKey;

  public Conversations(int turns, int maxConversations) {
    this.turns = turns;
    this.byKey = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Deque<String[]>> eldest) {
        return size() > maxConversations;
      }
    };
  }

  /** Service, workspace, channel, thread and user: a model hears only this user's turns here. */
  public static String key(ChatEvent event) {
    return String.join("\n", event.service(), event.workspace(), event.channel(), event.thread().orElse(""),
        event.user());
  }

  public synchronized List<String[]> recent(String key) {
    Deque<String[]> deque = byKey.get(key);
    return deque == null ? List.of() : new ArrayList<>(deque);
  }

  public synchronized void remember(String key, String said, String understood) {
    if (turns == 0) {
      return;
    }
    Deque<String[]> deque = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
    deque.addLast(new String[] {said, understood});
    while (deque.size() > turns) {
      deque.removeFirst();
    }
  }
}
