package ai.chatops.service;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One message said to the bot, as a {@link ServiceHandler} parsed it from the platform's request.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ChatEvent event = ChatEvent.builder("slack", "Ev123")
 *     .workspace("T1").channel("C1").user("U1")
 *     .text("<@UBOT> jenkins build ID=api-server")
 *     .time(Instant.now())
 *     .build();
 * }</pre>
 */
public final class ChatEvent {
  /** Who sent a message, as far as the service can tell. */
  public enum Sender {
    /** A person. */
    USER,
    /** Another bot or an integration. */
    BOT,
    /** This bot itself (its own messages echoed back by the platform). */
    SELF
  }

  private final String service;
  private final String id;
  private final String workspace;
  private final String channel;
  private final String user;
  private final String text;
  private final String thread;
  private final Instant time;
  private final Sender sender;
  private final String raw;

  private ChatEvent(Builder b) {
    this.service = b.service;
    this.id = b.id;
    this.workspace = b.workspace;
    this.channel = requireSet(b.channel, "channel");
    this.user = requireSet(b.user, "user");
    this.text = Objects.requireNonNull(b.text, "text");
    this.thread = b.thread;
    this.time = Objects.requireNonNull(b.time, "time");
    this.sender = b.sender;
    this.raw = b.raw;
  }

  private static String requireSet(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("ChatEvent." + name + " is required");
    }
    return value;
  }

  /**
   * Starts an event.
   *
   * @param service the name of the service that received it
   * @param id the platform's event id, unique per service; deliveries of the same event share it
   */
  public static Builder builder(String service, String id) {
    return new Builder(service, id);
  }

  /** The name of the {@link ServiceHandler} that received the event. */
  public String service() {
    return service;
  }

  /** The platform's event id; a redelivered event has the same id. */
  public String id() {
    return id;
  }

  /** The workspace or team id, or the empty string. */
  public String workspace() {
    return workspace;
  }

  public String channel() {
    return channel;
  }

  /** The id of the user who said it. */
  public String user() {
    return user;
  }

  /** The message text as the platform sent it (mentions not yet stripped). */
  public String text() {
    return text;
  }

  /** The thread the message belongs to, if any. */
  public Optional<String> thread() {
    return Optional.ofNullable(thread);
  }

  public Instant time() {
    return time;
  }

  public Sender sender() {
    return sender;
  }

  /** The raw payload of the platform's request, for plugins that need platform specifics, or empty. */
  public String raw() {
    return raw;
  }

  /** Where this message was said; replies go to the same thread, if any. */
  public Conversation conversation() {
    return new Conversation(service, workspace, channel, thread());
  }

  /** Returns a builder initialised with this event's values. */
  public Builder newBuilder() {
    Builder b = new Builder(service, id);
    b.workspace = workspace;
    b.channel = channel;
    b.user = user;
    b.text = text;
    b.thread = thread;
    b.time = time;
    b.sender = sender;
    b.raw = raw;
    return b;
  }

  @Override
  public String toString() {
    // The text is left out: it is the user's words and may hold secrets pasted by mistake.
    return "ChatEvent{" + service + "/" + id + ", channel=" + channel + ", user=" + user + "}";
  }

  /** Builds a {@link ChatEvent}. Not thread-safe. */
  public static final class Builder {
    private final String service;
    private final String id;
    private String workspace = "";
    private String channel;
    private String user;
    private String text;
    private String thread;
    private Instant time;
    private Sender sender = Sender.USER;
    private String raw = "";

    private Builder(String service, String id) {
      this.service = requireSet(service, "service");
      this.id = requireSet(id, "id");
    }

    public Builder workspace(String workspace) {
      this.workspace = Objects.requireNonNull(workspace, "workspace");
      return this;
    }

    public Builder channel(String channel) {
      this.channel = channel;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** Sets the thread, or clears it with {@code null}. */
    public Builder thread(String thread) {
      this.thread = thread;
      return this;
    }

    public Builder time(Instant time) {
      this.time = time;
      return this;
    }

    public Builder sender(Sender sender) {
      this.sender = Objects.requireNonNull(sender, "sender");
      return this;
    }

    public Builder raw(String raw) {
      this.raw = Objects.requireNonNull(raw, "raw");
      return this;
    }

    public ChatEvent build() {
      return new ChatEvent(this);
    }
  }
}
