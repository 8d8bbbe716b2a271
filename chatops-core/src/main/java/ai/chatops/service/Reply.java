package ai.chatops.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the bot says: text, optional structured fields (rendered as a table, attachment fields or Slack
 * blocks, as the service can), and whether only the asking user sees it. Immutable and thread-safe.
 */
public final class Reply {
  /** One labelled value, such as {@code Branch: main}. */
  public record Field(String title, String value) {
    public Field {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * An answer the user can pick: a button where the platform has them, a word to type elsewhere. Picking
   * it says {@code value} to the bot as the same user.
   */
  public record Choice(String label, String value) {
    public Choice {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(value, "value");
    }
  }

  private final String text;
  private final List<Field> fields;
  private final List<Choice> choices;
  private final boolean ephemeral;
  private final String key;

  private Reply(String text, List<Field> fields, List<Choice> choices, boolean ephemeral, String key) {
    this.text = Objects.requireNonNull(text, "text");
    this.fields = List.copyOf(fields);
    this.choices = List.copyOf(choices);
    this.ephemeral = ephemeral;
    this.key = key;
  }

  /** A plain-text reply everyone in the conversation sees. */
  public static Reply text(String text) {
    return new Reply(text, List.of(), List.of(), false, null);
  }

  /** This reply with a {@link #key()}. */
  public Reply withKey(String newKey) {
    return new Reply(text, fields, choices, ephemeral, Objects.requireNonNull(newKey, "key"));
  }

  public static Builder builder(String text) {
    return new Builder(text);
  }

  public String text() {
    return text;
  }

  public List<Field> fields() {
    return fields;
  }

  /** The answers offered, such as Yes and No for a confirmation; usually empty. */
  public List<Choice> choices() {
    return choices;
  }

  /**
   * Replies with the same key are one message that changes: a service that can edit its messages (Slack's
   * {@code chat.update}) replaces the earlier message with this one; others post it anew. The router gives
   * the replies of one request and its follow-ups ("build queued", then "build #12: SUCCESS") one key.
   * Empty for an ordinary reply.
   */
  public java.util.Optional<String> key() {
    return java.util.Optional.ofNullable(key);
  }

  /** True when only the user who asked should see the reply, where the platform can do that. */
  public boolean ephemeral() {
    return ephemeral;
  }

  /** The reply as plain text, fields one per line, for services that show only text. */
  public String toPlainText() {
    StringBuilder sb = new StringBuilder(text);
    for (Field f : fields) {
      sb.append('\n').append(f.title()).append(": ").append(f.value());
    }
    if (!choices.isEmpty()) {
      sb.append('\n');
      for (int i = 0; i < choices.size(); i++) {
        sb.append(i == 0 ? "" : " ").append('[').append(choices.get(i).value()).append(']');
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reply
        && ((Reply) o).text.equals(text)
        && ((Reply) o).fields.equals(fields)
        && ((Reply) o).choices.equals(choices)
        && Objects.equals(((Reply) o).key, key)
        && ((Reply) o).ephemeral == ephemeral;
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, fields, choices, ephemeral, key);
  }

  @Override
  public String toString() {
    return "Reply{" + toPlainText().replace('\n', '|') + (ephemeral ? ", ephemeral" : "") + "}";
  }

  /** Builds a {@link Reply}. Not thread-safe. */
  public static final class Builder {
    private final String text;
    private final List<Field> fields = new ArrayList<>();
    private final List<Choice> choices = new ArrayList<>();
    private boolean ephemeral;

    private Builder(String text) {
      this.text = Objects.requireNonNull(text, "text");
    }

    public Builder field(String title, String value) {
      fields.add(new Field(title, value));
      return this;
    }

    public Builder fields(List<Field> more) {
      fields.addAll(more);
      return this;
    }

    /** Offers an answer; picking it says {@code value} to the bot. */
    public Builder choice(String label, String value) {
      choices.add(new Choice(label, value));
      return this;
    }

    public Builder ephemeral(boolean ephemeral) {
      this.ephemeral = ephemeral;
      return this;
    }

    public Reply build() {
      return new Reply(text, fields, choices, ephemeral, null);
    }
  }
}
