package ai.chatops.slack.internal;

import ai.chatops.plugin.Status;
import ai.chatops.service.Reply;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link Reply} as Block Kit: a section with the text (marked with the emoji of the first
 * universal state it names), a section of fields (ten per section, Slack's limit), a button that opens the
 * link, and an actions block of buttons for the choices. The plain-text fallback is always set by the caller from
 * {@link Reply#toPlainText()}.
 */
public final class BlockKit {
  /** Prefix of the {@code block_id} of the buttons the SDK sends; the rest is the conversation's thread. */
  public static final String CHOICES_BLOCK_PREFIX = "chatops|";
  /** The {@code block_id} of a reply's link button; a click on it opens the URL and says nothing to the bot. */
  public static final String LINK_BLOCK = "chatops-link";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern STATE = Pattern.compile("\\b(FAIL|ERROR|ABORTED|REGRESSION|SUCCESS|FIXED|PASSED)\\b");
  private static final int MAX_TEXT = 3000;
  private static final int MAX_FIELD = 2000;

  private BlockKit() {}

  /** The clear mark of each universal state. */
  public static String mark(Status.State state) {
    switch (state) {
      case SUCCESS:
        return ":white_check_mark:";
      case PASSED:
        return ":large_green_circle:";
      case FIXED:
        return ":hammer_and_wrench:";
      case FAIL:
        return ":x:";
      case ERROR:
        return ":warning:";
      case ABORTED:
        return ":no_entry_sign:";
      case REGRESSION:
        return ":chart_with_downwards_trend:";
      default:
        throw new IllegalArgumentException("no mark for " + state);
    }
  }

  /** The first universal state named in upper case in the text, as a word. */
  public static Optional<Status.State> stateIn(String text) {
    Matcher m = STATE.matcher(text);
    return m.find() ? Optional.of(Status.State.valueOf(m.group(1))) : Optional.empty();
  }

  /** The blocks of a reply; {@code thread} goes into the buttons' block id so that a click finds its way back. */
  public static ArrayNode render(Reply reply, Optional<String> thread) {
    ArrayNode blocks = NODES.arrayNode();
    String text = escape(reply.text());
    Optional<Status.State> state = stateIn(reply.text());
    if (state.isPresent()) {
      text = mark(state.get()) + " " + text;
    }
    if (!text.isBlank()) {
      blocks.add(section(cut(text, MAX_TEXT)));
    }
    List<Reply.Field> fields = reply.fields();
    for (int start = 0; start < fields.size(); start += 10) {
      ObjectNode section = NODES.objectNode().put("type", "section");
      ArrayNode columns = section.putArray("fields");
      for (Reply.Field f : fields.subList(start, Math.min(fields.size(), start + 10))) {
        String value = escape(f.value());
        Optional<Status.State> fieldState = stateIn(f.value());
        if (fieldState.isPresent() && f.value().startsWith(fieldState.get().name())) {
          value = mark(fieldState.get()) + " " + value;
        }
        columns.add(mrkdwn(cut("*" + escape(f.title()) + "*\n" + value, MAX_FIELD)));
      }
      blocks.add(section);
    }
    if (reply.link().isPresent()) {
      ObjectNode actions = NODES.objectNode().put("type", "actions").put("block_id", LINK_BLOCK);
      ObjectNode button = NODES.objectNode().put("type", "button").put("action_id", "link")
          .put("url", cut(reply.link().get().url(), 3000));
      button.putObject("text").put("type", "plain_text").put("text", cut(reply.link().get().title(), 75));
      actions.putArray("elements").add(button);
      blocks.add(actions);
    }
    if (!reply.choices().isEmpty()) {
      ObjectNode actions = NODES.objectNode().put("type", "actions")
          .put("block_id", CHOICES_BLOCK_PREFIX + thread.orElse(""));
      ArrayNode elements = actions.putArray("elements");
      int i = 0;
      for (Reply.Choice choice : reply.choices()) {
        ObjectNode button = NODES.objectNode().put("type", "button").put("action_id", "choice-" + i++);
        button.putObject("text").put("type", "plain_text").put("text", cut(choice.label(), 75));
        button.put("value", cut(choice.value(), 2000));
        String value = choice.value().toLowerCase(Locale.ROOT);
        if (value.equals("yes")) {
          button.put("style", "primary");
        } else if (value.equals("no")) {
          button.put("style", "danger");
        }
        elements.add(button);
      }
      blocks.add(actions);
    }
    return blocks;
  }

  /** The text Slack shows in notifications and where blocks cannot be shown. */
  public static String fallback(Reply reply) {
    String plain = reply.toPlainText();
    Optional<Status.State> state = stateIn(reply.text());
    return cut(state.map(s -> mark(s) + " ").orElse("") + escape(plain), 40_000);
  }

  private static ObjectNode section(String text) {
    ObjectNode section = NODES.objectNode().put("type", "section");
    section.set("text", mrkdwn(text));
    return section;
  }

  private static ObjectNode mrkdwn(String text) {
    return NODES.objectNode().put("type", "mrkdwn").put("text", text);
  }

  /** Escapes the three characters Slack treats as markup, so user words cannot ping a channel. */
  public static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
  }
}
