package ai.chatops.slack;

import ai.chatops.BadRequestException;
import ai.chatops.ConfigurationException;
import ai.chatops.WebhookRequest;
import ai.chatops.http.ApiException;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.slack.internal.ThreadMemory;
import ai.chatops.store.Store;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack as a chat platform: the Events API, slash commands and interactivity (buttons), all on one request
 * URL ({@code /slack/events} by default), and replies through the Web API.
 *
 * <pre>{@code
 * SlackService slack = SlackService.builder()
 *     .signingSecret(signingSecret)
 *     .botToken(botToken)
 *     .replyInThread(true)
 *     .build();
 * EventRouter router = EventRouter.builder().service(slack).plugin(BotPlugin.create()).build();
 * }</pre>
 *
 * <h2>Inbound</h2>
 * Every request is verified first: {@code X-Slack-Signature} must be the {@code v0} HMAC-SHA256 of
 * {@code v0:<timestamp>:<raw body>} with the signing secret (compared in constant time), and
 * {@code X-Slack-Request-Timestamp} within 5 minutes of the clock, either way; otherwise 401 and nothing
 * is parsed. Then, by content type:
 * <ul>
 *   <li>JSON: {@code url_verification} is answered with its challenge; {@code event_callback} with an
 *       {@code app_mention}, or a {@code message} in a channel, private channel, direct message or group
 *       direct message, becomes a {@link ChatEvent} whose id is Slack's {@code event_id}, so the router
 *       skips retried deliveries. Other event types and message subtypes (edits, joins...) are acknowledged
 *       and ignored. A channel message that mentions the bot is left to its {@code app_mention} twin; one
 *       that does not is taken only in a thread the bot has spoken in (to answer its questions there), or
 *       always with {@link Builder#respondToAllChannelMessages}.</li>
 *   <li>Forms with {@code command}: a slash command. Slack gets an immediate short answer; the result goes
 *       later to the command's {@code response_url}.</li>
 *   <li>Forms with {@code payload}: interactivity. A click on a button the SDK sent (a confirmation, a
 *       choice) becomes a message from the clicking user, in the same channel and thread, whose text is the
 *       button's value, so the conversation goes on.</li>
 * </ul>
 * The bot's identity, to recognise its own messages (which carry no subtype), is its user id and bot id as
 * configured, or else the bot user of the event's {@code authorizations}. No network call is made while
 * receiving.
 *
 * <h2>Outbound</h2>
 * {@link #deliver} posts with {@code chat.postMessage}, in the conversation's thread when it has one, as
 * Block Kit with a plain-text fallback, paced to about one message per second per channel (the worker
 * thread waits for its turn). Replies to a slash command go to its {@code response_url} while it lasts
 * (Slack allows 5 uses within 30 minutes), then to the channel. Replies that share a {@link Reply#key()}
 * (a request and its follow-ups: "queued", "started", "SUCCESS") are one message that changes: the first is
 * posted, the later ones replace it with {@code chat.update} (or {@code replace_original} on a
 * response_url). The response URLs, the keyed messages and the threads the bot spoke in are remembered in
 * memory, bounded; the keyed messages also in the store given to {@link Builder#messageStore}, so that a
 * follow-up resumed after a restart edits its message. Without it, after a restart a keyed reply is posted
 * anew; in any case a slash command's late result goes to the channel, and a thread answer needs a mention.
 *
 * <p>Thread-safe. Secrets (signing secret, token) never appear in {@link #toString()}, logs or exceptions.
 */
public final class SlackService implements ServiceHandler {
  private static final Logger log = LoggerFactory.getLogger(SlackService.class);

  private final String name;
  private final String path;
  private final SlackApi api;
  private final SlackInbound inbound;
  private final SlackOutbound outbound;

  private SlackService(Builder b, String secret) {
    this.name = b.name;
    this.path = b.path;
    SlackApi.Builder api = SlackApi.builder().botToken(b.botToken).apiUrl(b.apiUrl);
    if (b.okHttpClient != null) {
      api.okHttpClient(b.okHttpClient);
    }
    this.api = api.build();
    ThreadMemory threads = new ThreadMemory(b.clock, b.threadMemory);
    this.inbound = new SlackInbound(b, secret, threads);
    this.outbound = new SlackOutbound(b, this.api, threads);
  }

  /** Starts building a service; the signing secret and the bot token are the settings a bot needs. */
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

  /** The Web API client this service replies with; share it to post elsewhere. */
  public SlackApi api() {
    return api;
  }

  /** Signs a body as Slack would at that time; for tests that build signed requests. */
  String sign(long timestamp, byte[] body) {
    return inbound.sign(timestamp, body);
  }

  /**
   * Parses the payload of a Socket Mode envelope ({@code events_api}, {@code slash_commands} or
   * {@code interactive}) exactly as the HTTP request Slack would have sent, without the signature check:
   * Socket Mode envelopes carry no signature, and are authenticated by the WebSocket that the app-level
   * token opened. Only {@link SlackSocketMode} calls it.
   *
   * @param retryAttempt the envelope's {@code retry_attempt}, 0 for a first delivery
   * @throws BadRequestException when the payload is malformed, as {@link #receive} would refuse it
   */
  Received receiveSocketEnvelope(String type, JsonNode payload, int retryAttempt, String retryReason) {
    return inbound.receiveSocketEnvelope(type, payload, retryAttempt, retryReason);
  }

  /**
   * Verifies the request's signature and timestamp, then parses it into events or answers it at once, as
   * the class doc describes.
   *
   * @throws BadRequestException 401 when the signature or timestamp is missing, repeated or wrong; 400 when
   *     the body is malformed or over an input limit; 415 for another content type
   */
  @Override
  public Received receive(WebhookRequest request) {
    return inbound.receive(request);
  }

  /**
   * Posts the reply into the conversation: to a slash command's {@code response_url} while it lasts, else
   * with {@code chat.postMessage} in the conversation's thread. Waits for the channel's pacing slot.
   *
   * <p>A reply with a {@link Reply#key()} that was seen before (within 6 hours, in this process) replaces
   * the earlier message: with {@code chat.update} of the message posted first, or through the response_url
   * with {@code replace_original}. When Slack no longer has that message ({@code message_not_found} and the
   * like), the reply is posted anew and becomes the message later replies replace.
   *
   * @throws SlackApiException when Slack refuses the message
   * @throws ApiException when Slack cannot be reached or keeps answering 429
   */
  @Override
  public void deliver(Conversation conversation, Reply reply) {
    outbound.deliver(conversation, reply);
  }

  @Override
  public String toString() {
    return "SlackService{" + name + " at " + path + ", api=" + api.apiUrl() + "}";
  }

  /** Builds a {@link SlackService}. Not thread-safe. */
  public static final class Builder {
    // Package-private where SlackInbound, SlackEvents and SlackOutbound take their settings from the builder.
    String name = "slack";
    private String path = "/slack/events";
    private String signingSecret;
    private String botToken;
    private String apiUrl = SlackApi.DEFAULT_API_URL;
    Clock clock = Clock.systemUTC();
    String botUserId;
    String botId;
    boolean replyInThread;
    boolean respondToAllChannelMessages;
    boolean slashCommandsInChannel;
    String slashCommandAck = "Working on it\u2026";
    Duration pacing = Duration.ofSeconds(1);
    private Duration threadMemory = Duration.ofHours(1);
    private OkHttpClient okHttpClient;
    Store messageStore;

    private Builder() {}

    /**
     * Keeps in {@code store} (the router's) which Slack message each keyed reply went out as, for 6 hours: a
     * router that resumes a follow-up after a restart, or another router sharing the store, then replaces
     * the request's "Queued ..." with {@code chat.update} instead of posting a second message. Without it that
     * memory is this process's. One small record per followed request.
     */
    public Builder messageStore(Store store) {
      this.messageStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The app's signing secret (Basic Information, App Credentials). Required for HTTP requests; an app
     * that only uses Socket Mode may leave it out, and then every HTTP request is refused.
     */
    public Builder signingSecret(String signingSecret) {
      this.signingSecret = Objects.requireNonNull(signingSecret, "signingSecret");
      return this;
    }

    /** The bot token ({@code xoxb-...}); required. */
    public Builder botToken(String botToken) {
      this.botToken = Objects.requireNonNull(botToken, "botToken");
      return this;
    }

    /** The Web API base URL; {@code https://slack.com/api/} by default. */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
      return this;
    }

    /** The clock the request timestamps are checked against. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The bot's user id ({@code U...}); by default learned from each event's {@code authorizations}. */
    public Builder botUserId(String botUserId) {
      this.botUserId = Objects.requireNonNull(botUserId, "botUserId");
      return this;
    }

    /** The bot's id ({@code B...}), to recognise its own messages by {@code bot_id} as well. */
    public Builder botId(String botId) {
      this.botId = Objects.requireNonNull(botId, "botId");
      return this;
    }

    /**
     * Whether replies to a message outside a thread start a thread under it; off by default (replies in
     * a thread always stay in it). In a thread the bot spoke in, answers to its questions need no mention.
     */
    public Builder replyInThread(boolean replyInThread) {
      this.replyInThread = replyInThread;
      return this;
    }

    /** Whether every channel message is taken, not only mentions and answers in the bot's threads; off by default. */
    public Builder respondToAllChannelMessages(boolean all) {
      this.respondToAllChannelMessages = all;
      return this;
    }

    /** Whether slash command answers are seen by the whole channel; off (only the user) by default. */
    public Builder slashCommandsInChannel(boolean inChannel) {
      this.slashCommandsInChannel = inChannel;
      return this;
    }

    /** The immediate answer to a slash command; "Working on it…" by default. */
    public Builder slashCommandAck(String text) {
      this.slashCommandAck = Objects.requireNonNull(text, "text");
      return this;
    }

    /** The least time between two messages to one channel; 1 s by default (Slack's guidance). */
    public Builder pacing(Duration pacing) {
      Objects.requireNonNull(pacing, "pacing");
      if (pacing.isNegative()) {
        throw new IllegalArgumentException("pacing must not be negative but was " + pacing);
      }
      this.pacing = pacing;
      return this;
    }

    /** How long a thread the bot spoke in accepts answers without a mention; 1 hour by default. */
    public Builder threadMemory(Duration threadMemory) {
      this.threadMemory = Objects.requireNonNull(threadMemory, "threadMemory");
      return this;
    }

    /** The service name, unique per router; {@code slack} by default. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The request path for events, commands and interactivity; {@code /slack/events} by default. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new ConfigurationException("SlackService path must start with '/' but was '" + path + "'");
      }
      this.path = path;
      return this;
    }

    /** Shares the connection pool and threads of an existing client. */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Builds the service.
     *
     * @throws ConfigurationException when the bot token is missing or the API URL invalid
     */
    public SlackService build() {
      String secret = signingSecret;
      if (secret == null || secret.isEmpty()) {
        // Socket Mode only: a random secret nobody knows, so that no HTTP request can pass.
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        secret = Base64.getEncoder().encodeToString(random);
        log.warn("SlackService built without a signing secret: HTTP requests will be refused (Socket Mode only)");
      }
      return new SlackService(this, secret);
    }
  }
}
