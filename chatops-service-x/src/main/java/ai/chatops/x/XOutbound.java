package ai.chatops.x;

import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.toolkit.TextChunks;
import ai.chatops.x.internal.DmApi;
import java.util.List;

/**
 * The outbound half of {@link XService}: each reply as one or more direct messages, choices written as the
 * words to answer with, every reply a new message (X cannot edit one). Thread-safe.
 */
final class XOutbound {
  private final DmApi api;

  XOutbound(DmApi api) {
    this.api = api;
  }

  void deliver(Conversation conversation, Reply reply) {
    String text = text(reply);
    if (text.isEmpty()) {
      return;
    }
    for (String part : TextChunks.split(text, DmApi.MAX_TEXT)) {
      api.send(conversation.channel(), part);
    }
  }

  /** The reply as a direct message: text, fields and link as lines, then how to answer its choices. */
  static String text(Reply reply) {
    StringBuilder text = new StringBuilder(reply.text());
    for (Reply.Field field : reply.fields()) {
      text.append('\n').append(field.title()).append(": ").append(field.value());
    }
    reply.link().ifPresent(link -> text.append('\n').append(link.title()).append(": ").append(link.url()));
    if (!reply.choices().isEmpty()) {
      text.append('\n').append(answerWith(reply.choices()));
    }
    return text.toString().strip();
  }

  /** "Reply yes or no.": the choices' values as words to type, each label beside a value it differs from. */
  static String answerWith(List<Reply.Choice> choices) {
    StringBuilder sb = new StringBuilder("Reply ");
    for (int i = 0; i < choices.size(); i++) {
      if (i > 0) {
        sb.append(i == choices.size() - 1 ? " or " : ", ");
      }
      Reply.Choice c = choices.get(i);
      sb.append(c.value());
      if (!c.label().equalsIgnoreCase(c.value())) {
        sb.append(" (").append(c.label()).append(')');
      }
    }
    return sb.append('.').toString();
  }
}
