package ai.chatops.plugin;

import ai.chatops.service.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a plugin did: what to say, structured fields, and optionally a {@link FollowUp} to watch (such as the
 * build it started). Immutable and thread-safe.
 *
 * <pre>{@code
 * return Action.builder("Queued api-server on main")
 *     .field("Queue", "#1234")
 *     .followUp(new FollowUp("queue:1234", "api-server on main", Duration.ofSeconds(10), Duration.ofHours(2)))
 *     .build();
 * }</pre>
 */
public final class Action {
  private final String text;
  private final List<Reply.Field> fields;
  private final FollowUp followUp;
  private final boolean silent;

  private Action(String text, List<Reply.Field> fields, FollowUp followUp, boolean silent) {
    this.text = Objects.requireNonNull(text, "text");
    this.fields = List.copyOf(fields);
    this.followUp = followUp;
    this.silent = silent;
  }

  /** An action that only says something. */
  public static Action reply(String text) {
    return new Action(text, List.of(), null, false);
  }

  /**
   * Says nothing and keeps following with {@code next}: for a {@link Plugin#poll} that wants to change the
   * interval (back off while a build is queued) or carry state in the key (an attempt count) without a
   * message.
   */
  public static Action keepFollowing(FollowUp next) {
    return new Action("", List.of(), Objects.requireNonNull(next, "next"), true);
  }

  public static Builder builder(String text) {
    return new Builder(text);
  }

  public String text() {
    return text;
  }

  public List<Reply.Field> fields() {
    return fields;
  }

  public Optional<FollowUp> followUp() {
    return Optional.ofNullable(followUp);
  }

  /** True for {@link #keepFollowing}: nothing is said, only the follow-up goes on. */
  public boolean silent() {
    return silent;
  }

  /** The reply this action is delivered as. */
  public Reply toReply() {
    return Reply.builder(text).fields(fields).build();
  }

  @Override
  public String toString() {
    return "Action{" + (silent ? "silent" : text) + (followUp == null ? "" : ", followUp=" + followUp.key()) + "}";
  }

  /** Builds an {@link Action}. Not thread-safe. */
  public static final class Builder {
    private final String text;
    private final List<Reply.Field> fields = new ArrayList<>();
    private FollowUp followUp;

    private Builder(String text) {
      this.text = Objects.requireNonNull(text, "text");
    }

    public Builder field(String title, String value) {
      fields.add(new Reply.Field(title, value));
      return this;
    }

    public Builder followUp(FollowUp followUp) {
      this.followUp = Objects.requireNonNull(followUp, "followUp");
      return this;
    }

    public Action build() {
      return new Action(text, fields, followUp, false);
    }
  }
}
