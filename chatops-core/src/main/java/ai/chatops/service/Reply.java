package ai.chatops.service;

import ai.chatops.toolkit.LogSafe;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

  /**
   * A link to more (the build's console, the deployed page), shown as a link or a button where the platform
   * has them and as "title: url" elsewhere.
   *
   * @param title what the link shows
   * @param url an absolute {@code http} or {@code https} URL
   */
  public record Link(String title, String url) {
    /** Checks that the URL is absolute http(s), so no platform is handed a {@code javascript:} link. */
    public Link {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(url, "url");
      URI parsed;
      try {
        parsed = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("a link's url must be an absolute http(s) URL: " + e.getMessage());
      }
      if (parsed.getScheme() == null || !(parsed.getScheme().equalsIgnoreCase("http")
          || parsed.getScheme().equalsIgnoreCase("https")) || parsed.getHost() == null) {
        throw new IllegalArgumentException("a link's url must be an absolute http(s) URL but was "
            + LogSafe.clean(url, 100));
      }
    }
  }

  private final String text;
  private final List<Field> fields;
  private final List<Choice> choices;
  private final boolean ephemeral;
  private final String key;
  private final Link link;
  private final String asker;

  private Reply(String text, List<Field> fields, List<Choice> choices, boolean ephemeral, String key, Link link) {
    this(text, fields, choices, ephemeral, key, link, null);
  }

  private Reply(String text, List<Field> fields, List<Choice> choices, boolean ephemeral, String key, Link link,
      String asker) {
    this.asker = asker;
    this.text = Objects.requireNonNull(text, "text");
    this.fields = List.copyOf(fields);
    this.choices = List.copyOf(choices);
    this.ephemeral = ephemeral;
    this.key = key;
    this.link = link;
  }

  /** A plain-text reply everyone in the conversation sees. */
  public static Reply text(String text) {
    return new Reply(text, List.of(), List.of(), false, null, null);
  }

  /** This reply with a {@link #key()}. */
  public Reply withKey(String newKey) {
    return new Reply(text, fields, choices, ephemeral, Objects.requireNonNull(newKey, "key"), link, asker);
  }

  /**
   * This reply addressed to {@code user}, the user who asked: where a platform shows a message to one user
   * only (Slack's {@code chat.postEphemeral}), an {@link #ephemeral()} reply goes to them; the {@link #choices()}
   * of a reply addressed so are theirs alone to pick, which a platform that answers a click at once (a Teams
   * card's invoke) can tell anyone else. The router sets it on the ephemeral replies of chat requests and on
   * those whose choices it kept for the asker.
   */
  public Reply withAsker(String user) {
    return new Reply(text, fields, choices, ephemeral, key, link, Objects.requireNonNull(user, "user"));
  }

  /** The user who asked, for an ephemeral reply's delivery and its choices; empty when the router did not say. */
  public Optional<String> asker() {
    return Optional.ofNullable(asker);
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
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /** The link to more, if any. */
  public Optional<Link> link() {
    return Optional.ofNullable(link);
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
    if (link != null) {
      sb.append('\n').append(link.title()).append(": ").append(link.url());
    }
    if (!choices.isEmpty()) {
      sb.append('\n');
      for (int i = 0; i < choices.size(); i++) {
        Choice c = choices.get(i);
        sb.append(i == 0 ? "" : " ").append('[').append(c.value()).append(']');
        if (c.value().matches("[0-9]{1,2}")) {
          sb.append(' ').append(c.label()); // "[1] Roll back": a number to type, and what it means
        }
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
        && Objects.equals(((Reply) o).link, link)
        && ((Reply) o).ephemeral == ephemeral
        && Objects.equals(((Reply) o).asker, asker);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, fields, choices, ephemeral, key, link, asker);
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
    private Link link;

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

    /** Offers each of {@code more}. */
    public Builder choices(List<Choice> more) {
      choices.addAll(more);
      return this;
    }

    /** Whether only the user who asked sees the reply, where the platform can do that. */
    public Builder ephemeral(boolean ephemeral) {
      this.ephemeral = ephemeral;
      return this;
    }

    /** Adds a link to more; at most one per reply. */
    public Builder link(String title, String url) {
      return link(new Link(title, url));
    }

    /** Adds a link to more, or removes it with null. */
    public Builder link(Link link) {
      this.link = link;
      return this;
    }

    public Reply build() {
      return new Reply(text, fields, choices, ephemeral, null, link);
    }
  }
}
