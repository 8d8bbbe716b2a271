package ai.chatops.plugin;

import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import java.util.Objects;

/**
 * Something a plugin says on its own initiative, not in answer to a message: a build that finished, an
 * alarm. The router delivers it through the named service into the conversation.
 *
 * @param conversation where to say it; its service must be registered on the router
 * @param reply what to say
 */
public record Announcement(Conversation conversation, Reply reply) {
  public Announcement {
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(reply, "reply");
  }
}
