package ai.chatops.messenger;

import ai.chatops.messenger.internal.Replies;
import ai.chatops.messenger.internal.SendApi;
import ai.chatops.messenger.internal.Typing;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outbound half of {@link MessengerService}: the Send API, typing indicators while an answer takes a
 * while, and every reply a new message (Messenger cannot edit one, so a keyed follow-up is posted anew).
 * Thread-safe.
 */
final class MessengerOutbound {
  private final SendApi api;
  private final Typing typing;

  MessengerOutbound(SendApi api, Typing typing) {
    this.api = api;
    this.typing = typing;
  }

  /** Arms the typing indicator for the sender of a message that is about to be processed. */
  void expectAnswer(String page, String user) {
    typing.expect(key(page, user), user);
  }

  void deliver(Conversation conversation, Reply reply) {
    typing.answered(key(conversation.workspace(), conversation.channel()));
    for (ObjectNode message : Replies.messages(conversation.channel(), reply)) {
      api.send(message);
    }
  }

  private static String key(String page, String user) {
    return page + "\n" + user;
  }
}
