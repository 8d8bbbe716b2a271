package ai.chatops.service;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a message was said and where the answer goes: the service, the workspace (team), the channel and
 * optionally the thread. Also identifies a half-finished conversation together with the user.
 *
 * @param service the {@link ServiceHandler#name()} that received the message, e.g. {@code slack}
 * @param workspace the workspace or team id, or the empty string where the platform has none
 * @param channel the channel id (a direct-message channel for private chats)
 * @param thread the thread to answer in, if any
 */
public record Conversation(String service, String workspace, String channel, Optional<String> thread) {
  public Conversation {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(thread, "thread");
  }

  /** A conversation with no thread. */
  public static Conversation of(String service, String workspace, String channel) {
    return new Conversation(service, workspace, channel, Optional.empty());
  }

  /** Returns this conversation continued in the given thread. */
  public Conversation inThread(String threadId) {
    return new Conversation(service, workspace, channel, Optional.of(threadId));
  }
}
