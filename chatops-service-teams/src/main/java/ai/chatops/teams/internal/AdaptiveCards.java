package ai.chatops.teams.internal;

import ai.chatops.plugin.Status;
import ai.chatops.service.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link Reply} as a Bot Framework message activity: plain text when it is only text, otherwise an
 * Adaptive Card (1.4) with the text, the fields as a fact set, the link as an {@code Action.OpenUrl} and each
 * choice as an {@code Action.Execute} (a Universal Action, which comes back as an {@code adaptiveCard/action}
 * invoke) that falls back to {@code Action.Submit} (a message with {@code value}) on older clients. Either
 * way the click carries {@code {"chatops": <value>}}, and, when the reply's choices are the asker's
 * ({@link Reply#asker()}), {@code "chatopsAsker": <user>}, so that a click by anyone else is answered at once, to
 * that user alone. Teams has no messages only one user sees: an ephemeral reply is posted like any other.
 * Stateless and thread-safe.
 */
public final class AdaptiveCards {
  /** The field of a card action's data that holds the choice's value; clicks on other cards are not ours. */
  public static final String DATA_FIELD = "chatops";
  /** The field of a card action's data that holds the user whose choices they are, when they are one user's. */
  public static final String ASKER_FIELD = "chatopsAsker";
  /** The verb of the SDK's {@code Action.Execute}. */
  public static final String VERB = "chatops.choice";
  public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern STATE = Pattern.compile("\\b(FAIL|ERROR|ABORTED|REGRESSION|SUCCESS|FIXED|PASSED)\\b");
  /** Teams refuses messages over about 28 KB; text is cut well below. */
  private static final int MAX_TEXT = 20_000;
  private static final int MAX_FIELD = 2_000;
  private static final int MAX_LABEL = 80;

  private AdaptiveCards() {}

  /** The message activity for a reply: {@code type}, and {@code text} or an Adaptive Card attachment. */
  public static ObjectNode message(Reply reply) {
    ObjectNode activity = NODES.objectNode().put("type", "message");
    String plain = cut(mark(reply.text()) + reply.toPlainText().substring(reply.text().length()), MAX_TEXT);
    if (reply.fields().isEmpty() && reply.choices().isEmpty() && reply.link().isEmpty()) {
      activity.put("text", plain).put("textFormat", "plain");
      return activity;
    }
    // The summary is what notifications and clients without cards show.
    activity.put("summary", cut(mark(reply.text()), 500));
    ObjectNode attachment = activity.putArray("attachments").addObject();
    attachment.put("contentType", CONTENT_TYPE);
    attachment.set("content", card(reply));
    return activity;
  }

  private static ObjectNode card(Reply reply) {
    ObjectNode card = NODES.objectNode()
        .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
        .put("type", "AdaptiveCard")
        .put("version", "1.4");
    ArrayNode body = card.putArray("body");
    if (!reply.text().isBlank()) {
      body.addObject().put("type", "TextBlock").put("text", cut(mark(reply.text()), MAX_TEXT)).put("wrap", true);
    }
    if (!reply.fields().isEmpty()) {
      ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
      for (Reply.Field f : reply.fields()) {
        facts.addObject().put("title", cut(f.title(), MAX_LABEL)).put("value", cut(f.value(), MAX_FIELD));
      }
    }
    ArrayNode actions = NODES.arrayNode();
    reply.link().ifPresent(link -> actions.addObject().put("type", "Action.OpenUrl")
        .put("title", cut(link.title(), MAX_LABEL)).put("url", link.url()));
    for (Reply.Choice choice : reply.choices()) {
      ObjectNode submit = NODES.objectNode().put("type", "Action.Submit").put("title", cut(choice.label(), MAX_LABEL));
      ObjectNode data = NODES.objectNode().put(DATA_FIELD, choice.value());
      reply.asker().ifPresent(asker -> data.put(ASKER_FIELD, asker));
      submit.set("data", data.deepCopy());
      ObjectNode execute = actions.addObject().put("type", "Action.Execute")
          .put("title", cut(choice.label(), MAX_LABEL)).put("verb", VERB);
      execute.set("data", data);
      execute.set("fallback", submit);
    }
    if (!actions.isEmpty()) {
      card.set("actions", actions);
    }
    return card;
  }

  /** The text with the mark of the first universal state it names, as a word in upper case. */
  static String mark(String text) {
    Matcher m = STATE.matcher(text);
    return m.find() ? mark(Status.State.valueOf(m.group(1))) + " " + text : text;
  }

  private static String mark(Status.State state) {
    switch (state) {
      case SUCCESS:
        return "\u2705";
      case PASSED:
        return "\uD83D\uDFE2";
      case FIXED:
        return "\uD83D\uDEE0\uFE0F";
      case FAIL:
        return "\u274C";
      case ERROR:
        return "\u26A0\uFE0F";
      case ABORTED:
        return "\uD83D\uDEAB";
      case REGRESSION:
        return "\uD83D\uDCC9";
      default:
        return "";
    }
  }

  /** The value of a click on one of the SDK's cards, from an invoke's or a message's {@code value}. */
  public static Optional<String> clicked(JsonNode data) {
    JsonNode value = data.path(DATA_FIELD);
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  /** The user a clicked card's choices were offered to, when they were one user's. */
  public static Optional<String> asker(JsonNode data) {
    JsonNode asker = data.path(ASKER_FIELD);
    return asker.isTextual() && !asker.asText().isEmpty() ? Optional.of(asker.asText()) : Optional.empty();
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
  }
}
