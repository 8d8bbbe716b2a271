package ai.chatops.messenger.internal;

import ai.chatops.service.Reply;
import ai.chatops.toolkit.JsonLimits;
import ai.chatops.toolkit.TextChunks;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link Reply} into Send API bodies: the text with its fields, split at Messenger's 2,000-character
 * limit; the link as a URL button of a button template (the last part when it fits the template's 640
 * characters, else a message of its own after it); the choices as quick replies on the last message (at most
 * 13, titles cut to 20 characters); more choices, or a value longer than a quick reply's payload, are listed
 * in the text as words to answer with. Stateless and thread-safe.
 */
public final class Replies {
  /** Characters in one message's text. */
  public static final int MAX_TEXT = 2000;
  /** Quick replies in one message. */
  public static final int MAX_QUICK_REPLIES = 13;
  /** Characters in a quick reply's title. */
  public static final int MAX_TITLE = 20;
  /** Characters in a button template's text. */
  public static final int MAX_TEMPLATE_TEXT = 640;
  /** Characters in a quick reply's payload. */
  public static final int MAX_PAYLOAD = 1000;
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private Replies() {}

  /** The request bodies for {@code reply} to {@code recipient}, in order; none for a reply with nothing to say. */
  public static List<ObjectNode> messages(String recipient, Reply reply) {
    StringBuilder text = new StringBuilder(reply.text());
    for (Reply.Field field : reply.fields()) {
      text.append('\n').append(field.title()).append(": ").append(field.value());
    }
    List<Reply.Choice> choices = reply.choices();
    boolean quick = !choices.isEmpty() && choices.size() <= MAX_QUICK_REPLIES
        && choices.stream().allMatch(c -> !c.value().isEmpty() && c.value().length() <= MAX_PAYLOAD);
    if (!choices.isEmpty() && !quick) {
      text.append('\n').append(answerWith(choices));
    }
    String all = text.toString().strip();
    Optional<Reply.Link> link = reply.link();
    if (all.isEmpty()) {
      if (link.isPresent()) {
        all = link.get().title();
      } else if (quick) {
        all = "Choose one:";
      } else {
        return List.of();
      }
    }
    List<String> parts = new ArrayList<>(TextChunks.split(all, MAX_TEXT));
    if (link.isPresent() && parts.get(parts.size() - 1).length() > MAX_TEMPLATE_TEXT) {
      parts.add(cut(link.get().title(), MAX_TEMPLATE_TEXT));
    }
    List<ObjectNode> messages = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      boolean last = i == parts.size() - 1;
      ObjectNode body = JSON.createObjectNode();
      body.putObject("recipient").put("id", recipient);
      body.put("messaging_type", "RESPONSE");
      ObjectNode message = body.putObject("message");
      if (last && link.isPresent()) {
        ObjectNode payload = message.putObject("attachment").put("type", "template").putObject("payload")
            .put("template_type", "button").put("text", parts.get(i));
        payload.putArray("buttons").addObject().put("type", "web_url").put("url", link.get().url())
            .put("title", cut(link.get().title(), MAX_TITLE));
      } else {
        message.put("text", parts.get(i));
      }
      if (quick && last) {
        ArrayNode replies = message.putArray("quick_replies");
        for (Reply.Choice choice : choices) {
          replies.addObject().put("content_type", "text").put("title", title(choice)).put("payload", choice.value());
        }
      }
      messages.add(body);
    }
    return messages;
  }

  /** A sender action such as {@code typing_on}. */
  public static ObjectNode senderAction(String recipient, String action) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("recipient").put("id", recipient);
    body.put("sender_action", action);
    return body;
  }

  /** "Reply yes or no.": the choices' values as words to type. */
  public static String answerWith(List<Reply.Choice> choices) {
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

  private static String title(Reply.Choice choice) {
    return cut(choice.label().isBlank() ? choice.value() : choice.label(), MAX_TITLE);
  }

  /** The text cut to {@code max} characters with an ellipsis, never between the halves of a surrogate pair. */
  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = Character.isHighSurrogate(text.charAt(max - 2)) ? max - 2 : max - 1;
    return text.substring(0, cut) + "\u2026";
  }
}
