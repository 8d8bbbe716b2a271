package ai.chatops.plugin;

import ai.chatops.service.Reply;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a plugin did: what to say, structured fields, choices the user can pick (buttons where the platform has
 * them), a link, whether only the asker sees it, and optionally a {@link FollowUp} to watch (such as the build
 * it started). Each service renders what its platform can: see {@link Reply}. Immutable and thread-safe.
 *
 * <pre>{@code
 * return Action.builder("Queued api-server on main")
 *     .field("Queue", "#1234")
 *     .link("Console", "https://ci.example.com/job/api-server/1234/console")
 *     .followUp(new FollowUp("queue:1234", "api-server on main", Duration.ofSeconds(10), Duration.ofHours(2)))
 *     .build();
 * }</pre>
 *
 * <p>A choice continues the conversation: picking it says its value to the bot as the user who picked it, so a
 * choice's value is a command ("jenkins build ID=api-server BRANCH=main").
 */
public final class Action {
  private final Reply reply;
  private final FollowUp followUp;
  private final boolean silent;

  private Action(Reply reply, FollowUp followUp, boolean silent) {
    this.reply = reply;
    this.followUp = followUp;
    this.silent = silent;
  }

  /** An action that only says something. */
  public static Action reply(String text) {
    return new Action(Reply.text(text), null, false);
  }

  /**
   * Says nothing and keeps following with {@code next}: for a {@link Plugin#poll} that wants to change the
   * interval (back off while a build is queued) or carry state in the key (an attempt count) without a
   * message.
   */
  public static Action keepFollowing(FollowUp next) {
    return new Action(Reply.text(""), Objects.requireNonNull(next, "next"), true);
  }

  public static Builder builder(String text) {
    return new Builder(text);
  }

  /**
   * What to say: the sentence alone, without the fields, choices and link, the same in every tester and
   * service; {@link #toPlainText()} is the whole reply as the console shows it.
   */
  public String text() {
    return reply.text();
  }

  /** Labelled values, in order. */
  public List<Reply.Field> fields() {
    return reply.fields();
  }

  /** Answers the user can pick; usually empty. */
  public List<Reply.Choice> choices() {
    return reply.choices();
  }

  /** The link to more, if any. */
  public Optional<Reply.Link> link() {
    return reply.link();
  }

  /** Whether only the user who asked sees it, where the platform can do that. */
  public boolean ephemeral() {
    return reply.ephemeral();
  }

  public Optional<FollowUp> followUp() {
    return Optional.ofNullable(followUp);
  }

  /** True for {@link #keepFollowing}: nothing is said, only the follow-up goes on. */
  public boolean silent() {
    return silent;
  }

  /** The whole reply as plain text, as a text-only service shows it: {@link Reply#toPlainText()}. */
  public String toPlainText() {
    return reply.toPlainText();
  }

  /**
   * This action offering {@code newChoices} instead of its own, everything else kept: for the router, which
   * hands each choice a short token that only the asker's answer resolves.
   */
  public Action withChoices(List<Reply.Choice> newChoices) {
    Reply.Builder b = Reply.builder(reply.text()).fields(reply.fields()).choices(newChoices)
        .ephemeral(reply.ephemeral());
    reply.link().ifPresent(b::link);
    Reply changed = b.build();
    if (reply.key().isPresent()) {
      changed = changed.withKey(reply.key().get());
    }
    if (reply.asker().isPresent()) {
      changed = changed.withAsker(reply.asker().get());
    }
    return new Action(changed, followUp, silent);
  }

  /** This action addressed to the user who asked, for an ephemeral reply's delivery: {@link Reply#withAsker}. */
  public Action withAsker(String user) {
    return new Action(reply.withAsker(user), followUp, silent);
  }

  /** The reply this action is delivered as. */
  public Reply toReply() {
    return reply;
  }

  @Override
  public String toString() {
    return "Action{" + (silent ? "silent" : reply.text()) + (followUp == null ? "" : ", followUp=" + followUp.key())
        + "}";
  }

  /** Builds an {@link Action}. Not thread-safe. */
  public static final class Builder {
    private final Reply.Builder reply;
    private FollowUp followUp;

    private Builder(String text) {
      this.reply = Reply.builder(Objects.requireNonNull(text, "text"));
    }

    /** Adds a labelled value. */
    public Builder field(String title, String value) {
      reply.field(title, value);
      return this;
    }

    /** Offers an answer; picking it says {@code value} to the bot as the user who picked it. */
    public Builder choice(String label, String value) {
      reply.choice(label, value);
      return this;
    }

    /** Adds a link to more (the build's console); at most one. */
    public Builder link(String title, String url) {
      reply.link(title, url);
      return this;
    }

    /** Whether only the user who asked sees it, where the platform can do that; false by default. */
    public Builder ephemeral(boolean ephemeral) {
      reply.ephemeral(ephemeral);
      return this;
    }

    public Builder followUp(FollowUp followUp) {
      this.followUp = Objects.requireNonNull(followUp, "followUp");
      return this;
    }

    public Action build() {
      return new Action(reply.build(), followUp, false);
    }
  }
}
