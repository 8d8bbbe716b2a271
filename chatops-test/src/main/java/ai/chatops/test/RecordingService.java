package ai.chatops.test;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.test.internal.Describe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chat platform for tests: {@link #request} builds the HTTP request of a message said by a user, and the
 * bot's replies are recorded instead of sent, to be read back with {@link #nextReply()}.
 *
 * <pre>{@code
 * RecordingService chat = RecordingService.create();
 * EventRouter router = EventRouter.builder().service(chat).plugin(new BotPlugin()).build();
 *
 * assertThat(router.handle(chat.request("U1", "bot ping")).status()).isEqualTo(200);
 * assertThat(chat.nextReply().text()).isEqualTo("pong");
 *
 * router.handle(chat.request().user("U2").channel("C9").thread("1700.01").text("bot ping").build());
 * assertThat(chat.nextReply().conversation().thread()).contains("1700.01");
 *
 * router.handle(chat.request().id("ev-7").text("bot ping").build());
 * router.handle(chat.request().id("ev-7").text("bot ping").build()); // a redelivery
 * chat.nextReply();
 * chat.assertNoReply(router);
 * }</pre>
 *
 * <p>The service is named {@code test} and mounted at {@code /test/events} unless built otherwise. Its
 * requests carry the message as a UTF-8 body and the rest in headers ({@code X-Test-Event-Id},
 * {@code X-Test-User}, {@code X-Test-Channel}, {@code X-Test-Workspace}, {@code X-Test-Thread},
 * {@code X-Test-Sender}); a request without an event id is refused with 400. Unless given, each request gets a
 * fresh event id, so two requests are two messages; give the same id twice to simulate a redelivery.
 *
 * <p>Thread-safe: the router delivers replies on its worker threads while the test reads them.
 */
public final class RecordingService implements ServiceHandler {
  /** The default name. */
  public static final String DEFAULT_NAME = "test";
  /** The user that says a message unless another is given. */
  public static final String DEFAULT_USER = "U1";
  /** The channel a message is said in unless another is given. */
  public static final String DEFAULT_CHANNEL = "C1";
  /** The workspace of every message unless the service is built with another. */
  public static final String DEFAULT_WORKSPACE = "W1";
  /** How long {@link #nextReply()} and {@link #assertNoReply} wait unless the service is built otherwise. */
  public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(5);

  private static final String ID = "X-Test-Event-Id";
  private static final String USER = "X-Test-User";
  private static final String CHANNEL = "X-Test-Channel";
  private static final String WORKSPACE = "X-Test-Workspace";
  private static final String THREAD = "X-Test-Thread";
  private static final String SENDER = "X-Test-Sender";

  /**
   * One reply the bot delivered and where it went.
   *
   * @param conversation where the router delivered the reply: channel and thread of the message it answers
   * @param reply what the bot said
   */
  public record Delivery(Conversation conversation, Reply reply) {
    public Delivery {
      Objects.requireNonNull(conversation, "conversation");
      Objects.requireNonNull(reply, "reply");
    }

    /** The reply as plain text, fields one per line ({@link Reply#toPlainText()}). */
    public String text() {
      return reply.toPlainText();
    }

    /** Shows where the reply went and its text: {@code C1: pong} or {@code C1 (thread 1700.01): pong}. */
    @Override
    public String toString() {
      return conversation.channel() + conversation.thread().map(t -> " (thread " + t + ")").orElse("") + ": "
          + text() + (reply.ephemeral() ? " [ephemeral]" : "");
    }
  }

  private final String name;
  private final String path;
  private final String workspace;
  private final Clock clock;
  private final Duration replyTimeout;
  private final AtomicLong ids = new AtomicLong();
  private final LinkedBlockingQueue<Delivery> pending = new LinkedBlockingQueue<>();
  private final List<Delivery> delivered = new CopyOnWriteArrayList<>();

  private RecordingService(Builder b) {
    this.name = b.name;
    this.path = b.path != null ? b.path : "/" + b.name + "/events";
    this.workspace = b.workspace;
    this.clock = b.clock;
    this.replyTimeout = b.replyTimeout;
  }

  /** A service named {@code test} at {@code /test/events}, stamping events with the system clock. */
  public static RecordingService create() {
    return builder().build();
  }

  /** Starts building a service with another name, path, workspace, clock or reply timeout. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String path() {
    return path;
  }

  /** The request of {@code user} saying {@code text} in the default channel, with a fresh event id. */
  public WebhookRequest request(String user, String text) {
    return request().user(user).text(text).build();
  }

  /** Starts building the request of a message: who says it, where, with which event id. */
  public RequestBuilder request() {
    return new RequestBuilder();
  }

  @Override
  public Received receive(WebhookRequest request) {
    String id = request.header(ID).orElseThrow(() -> new BadRequestException(400, "missing header " + ID));
    ChatEvent.Sender sender;
    String senderName = request.header(SENDER).orElse("USER");
    try {
      sender = ChatEvent.Sender.valueOf(senderName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(400, SENDER + " must be USER, BOT or SELF");
    }
    ChatEvent event;
    try {
      event = ChatEvent.builder(name, id)
          .workspace(request.header(WORKSPACE).orElse(workspace))
          .channel(request.header(CHANNEL).orElse(DEFAULT_CHANNEL))
          .user(request.header(USER).orElse(DEFAULT_USER))
          .thread(request.header(THREAD).orElse(null))
          .text(request.bodyAsString())
          .time(clock.instant())
          .sender(sender)
          .build();
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(400, e.getMessage());
    }
    return Received.ack(event);
  }

  @Override
  public void deliver(Conversation conversation, Reply reply) {
    Delivery delivery = new Delivery(conversation, reply);
    delivered.add(delivery);
    pending.add(delivery);
  }

  /**
   * Takes the oldest reply not taken yet, waiting up to the reply timeout (5 s by default) for one.
   *
   * @throws AssertionError when none comes in time, listing every reply delivered so far
   */
  public Delivery nextReply() {
    return nextReply(replyTimeout);
  }

  /**
   * Takes the oldest reply not taken yet, waiting up to {@code timeout} for one.
   *
   * @throws AssertionError when none comes in time, listing every reply delivered so far
   */
  public Delivery nextReply(Duration timeout) {
    Delivery next = pollReply(timeout);
    if (next == null) {
      throw new AssertionError("Expected a reply within " + Describe.duration(timeout)
          + ", but none came. Replies delivered so far:\n" + Describe.list(delivered));
    }
    return next;
  }

  /** The oldest reply not taken yet, waiting up to {@code timeout}; null when none came. */
  Delivery pollReply(Duration timeout) {
    try {
      return pending.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a reply", e);
    }
  }

  /**
   * Waits until {@code router} has finished every event it accepted (up to the reply timeout), then checks
   * that no reply is waiting to be taken.
   *
   * @throws AssertionError when the router is still busy after the timeout, or a reply is waiting
   */
  public void assertNoReply(EventRouter router) {
    if (!router.awaitIdle(replyTimeout)) {
      throw new AssertionError("Expected no reply, but the router was still busy after "
          + Describe.duration(replyTimeout) + ". Replies delivered so far:\n" + Describe.list(delivered));
    }
    List<Delivery> waiting = pendingReplies();
    if (!waiting.isEmpty()) {
      throw new AssertionError("Expected no reply, but the bot replied:\n" + Describe.list(waiting));
    }
  }

  /** Every reply delivered since the service was created, oldest first, taken or not. */
  public List<Delivery> replies() {
    return List.copyOf(delivered);
  }

  /** The replies delivered and not taken yet by {@link #nextReply()}, oldest first; they stay waiting. */
  public List<Delivery> pendingReplies() {
    return List.copyOf(new ArrayList<>(pending));
  }

  /** How long {@link #nextReply()} and {@link #assertNoReply} wait. */
  public Duration replyTimeout() {
    return replyTimeout;
  }

  @Override
  public String toString() {
    return "RecordingService{" + name + " at " + path + ", " + delivered.size() + " replies}";
  }

  /** Builds the request of one message. Not thread-safe. */
  public final class RequestBuilder {
    private String id;
    private String user = DEFAULT_USER;
    private String channel = DEFAULT_CHANNEL;
    private String thread;
    private String workspaceOverride;
    private ChatEvent.Sender sender = ChatEvent.Sender.USER;
    private String text = "";

    private RequestBuilder() {}

    /** The event id; by default a fresh one. Give an id used before to simulate a redelivery. */
    public RequestBuilder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** Who says it; {@value RecordingService#DEFAULT_USER} by default. */
    public RequestBuilder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /** The channel; {@value RecordingService#DEFAULT_CHANNEL} by default. */
    public RequestBuilder channel(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** The thread the message is said in; none by default. */
    public RequestBuilder thread(String thread) {
      this.thread = Objects.requireNonNull(thread, "thread");
      return this;
    }

    /** The workspace; the service's ({@value RecordingService#DEFAULT_WORKSPACE} by default) otherwise. */
    public RequestBuilder workspace(String workspace) {
      this.workspaceOverride = Objects.requireNonNull(workspace, "workspace");
      return this;
    }

    /** Who sent it: a person (the default), another bot, or the bot itself. */
    public RequestBuilder sender(ChatEvent.Sender sender) {
      this.sender = Objects.requireNonNull(sender, "sender");
      return this;
    }

    /** Sends the message as another bot; the router ignores it. */
    public RequestBuilder fromBot() {
      return sender(ChatEvent.Sender.BOT);
    }

    /** Sends the message as the bot itself, as platforms echo the bot's own messages; ignored too. */
    public RequestBuilder fromSelf() {
      return sender(ChatEvent.Sender.SELF);
    }

    /** The message text. */
    public RequestBuilder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /** The request, ready for {@link EventRouter#handle}. */
    public WebhookRequest build() {
      WebhookRequest.Builder request = WebhookRequest.builder("POST", path)
          .header("Content-Type", "text/plain; charset=utf-8")
          .header(ID, id != null ? id : "ev-" + ids.incrementAndGet())
          .header(USER, user)
          .header(CHANNEL, channel)
          .header(SENDER, sender.name())
          .body(text);
      if (thread != null) {
        request.header(THREAD, thread);
      }
      if (workspaceOverride != null) {
        request.header(WORKSPACE, workspaceOverride);
      }
      return request.build();
    }
  }

  /** Builds a {@link RecordingService}. Not thread-safe. */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private String path;
    private String workspace = DEFAULT_WORKSPACE;
    private Clock clock = Clock.systemUTC();
    private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;

    private Builder() {}

    /** The service name, unique per router; {@code test} by default. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The path; {@code /<name>/events} by default. */
    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /** The workspace of every message; {@value RecordingService#DEFAULT_WORKSPACE} by default. */
    public Builder workspace(String workspace) {
      this.workspace = Objects.requireNonNull(workspace, "workspace");
      return this;
    }

    /** The clock that stamps events; pass the router's clock (a {@link MutableClock}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long {@link #nextReply()} and {@link #assertNoReply} wait; 5 s by default. */
    public Builder replyTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("replyTimeout must be positive but was " + timeout);
      }
      this.replyTimeout = timeout;
      return this;
    }

    public RecordingService build() {
      return new RecordingService(this);
    }
  }
}
