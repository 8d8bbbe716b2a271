package ai.chatops.messenger;

import ai.chatops.BadRequestException;
import ai.chatops.ConfigurationException;
import ai.chatops.WebhookRequest;
import ai.chatops.http.ApiException;
import ai.chatops.http.Requester;
import ai.chatops.messenger.internal.Replies;
import ai.chatops.messenger.internal.SendApi;
import ai.chatops.messenger.internal.Typing;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.toolkit.ApiUrls;
import ai.chatops.toolkit.HmacSignature;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import okhttp3.OkHttpClient;

/**
 * Facebook Messenger as a chat platform: a Facebook Page's conversations reach the bot through the Messenger
 * Platform's webhook, mounted by default at {@code /messenger/webhook}, and replies go out through the Send
 * API.
 *
 * <pre>{@code
 * MessengerService messenger = MessengerService.builder()
 *     .appSecret(appSecret)       // the Meta app's secret: signs every delivery
 *     .verifyToken(verifyToken)   // any string you also type into the webhook's settings
 *     .pageToken(pageToken)       // the page's access token, for the Send API
 *     .build();
 * EventRouter router = EventRouter.builder().service(messenger).plugin(BotPlugin.create()).build();
 * }</pre>
 *
 * <h2>Inbound</h2>
 * <ul>
 *   <li>{@code GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…}, the subscription handshake: the
 *       challenge as {@code text/plain} when the token matches (compared in constant time), 403 otherwise.</li>
 *   <li>Every {@code POST} must carry {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw
 *       body)>}, compared in constant time; missing, repeated or wrong: 401, and nothing is processed.</li>
 *   <li>{@code object: page} batches: each {@code entry[].messaging[]} item is one event. {@code message.text},
 *       a {@code message.quick_reply}'s payload (an answer to choices) and a {@code postback}'s payload (a
 *       button) become {@link ChatEvent}s: id the {@code mid} (a postback without one: its sender and
 *       timestamp), so a redelivery is processed once; workspace the page, channel and user the sender's
 *       page-scoped id. Echoes of the page's own messages, delivery and read receipts, messages without text
 *       and other objects are acknowledged and ignored. With {@link Builder#pageId} set, items for another
 *       page are ignored too.</li>
 * </ul>
 *
 * <h2>Outbound</h2>
 * {@link #deliver} sends {@code POST {api}/me/messages} with {@code messaging_type: RESPONSE} and the page
 * token (as {@code Authorization: Bearer}, never in a URL). Fields and the link are lines of text; texts
 * longer than 2,000 characters are split into several messages; choices are quick replies (more than 13 are
 * listed in the text as words to type). Messenger cannot edit a message, so replies that share a
 * {@link Reply#key()} (a build's "queued", then its result) are each a new message. When no answer has gone
 * out a second after a message arrived (a plugin at work), a typing indicator is shown, and again every 15 s,
 * up to four times, until the answer is sent. 429 and 503 are retried after {@code Retry-After}, 500, 502
 * and 504 with a doubling wait, a bounded number of times.
 *
 * <p>Thread-safe. {@link #close()} stops the typing indicators' thread. The app secret, verify token and
 * page token never appear in {@link #toString()}, logs or exceptions.
 */
public final class MessengerService implements ServiceHandler, AutoCloseable {
  /** The Graph API's base URL, of the version this service was written against. */
  public static final String DEFAULT_API_URL = "https://graph.facebook.com/v24.0/";

  private final String name;
  private final String path;
  private final String apiUrl;
  private final ScheduledThreadPoolExecutor scheduler;
  private final MessengerInbound inbound;
  private final MessengerOutbound outbound;

  private MessengerService(Builder b, String apiUrl) {
    this.name = b.name;
    this.path = b.path;
    this.apiUrl = apiUrl;
    Requester.Builder requester = Requester.builder()
        .baseUrl(apiUrl)
        .bearerToken(b.pageToken)
        .maxRetries(b.maxRetries)
        .maxBackoff(b.maxBackoff)
        .userAgent("chatops-java-messenger");
    if (b.okHttpClient != null) {
      requester.okHttpClient(b.okHttpClient);
    }
    SendApi api = new SendApi(requester.build(), b.maxServerRetries, b.serverRetryWait);
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "chatops-messenger-typing");
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    Typing typing = new Typing(scheduler, user -> api.senderAction(Replies.senderAction(user, "typing_on")),
        b.typingDelay, Duration.ofSeconds(15), 4, 10_000);
    this.inbound = new MessengerInbound(name, HmacSignature.builder(b.appSecret)
        .header("X-Hub-Signature-256").prefix("sha256=").encoding(HmacSignature.Encoding.HEX).secretName("app secret")
        .build(), b.verifyToken,
        Optional.ofNullable(b.pageId));
    this.outbound = new MessengerOutbound(api, typing);
  }

  /** Starts building a service; the app secret, verify token and page token are required. */
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

  /** GET for the verification handshake, POST for deliveries. */
  @Override
  public Set<String> methods() {
    return Set.of("GET", "POST");
  }

  /**
   * Answers the handshake, or verifies a delivery's signature and parses its batch, as the class doc
   * describes; arms the typing indicator for each message taken.
   *
   * @throws BadRequestException 401 for a missing or wrong signature; 400 for a body that is not a webhook
   *     batch or a handshake without a usable challenge; 415 for a body that is not JSON
   */
  @Override
  public Received receive(WebhookRequest request) {
    Received received = inbound.receive(request);
    for (ChatEvent event : received.events()) {
      outbound.expectAnswer(event.workspace(), event.channel());
    }
    return received;
  }

  /**
   * Sends the reply to the conversation's user as one or more messages.
   *
   * @throws ApiException when the Send API refuses or cannot be reached
   */
  @Override
  public void deliver(Conversation conversation, Reply reply) {
    outbound.deliver(conversation, reply);
  }

  /** Stops the typing indicators' thread. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  @Override
  public String toString() {
    return "MessengerService{" + name + " at " + path + ", api " + apiUrl + "}";
  }

  /** Builds a {@link MessengerService}. Not thread-safe. */
  public static final class Builder {
    private String name = "messenger";
    private String path = "/messenger/webhook";
    private String appSecret;
    private String verifyToken;
    private String pageToken;
    private String pageId;
    private String apiUrl = DEFAULT_API_URL;
    private Duration typingDelay = Duration.ofSeconds(1);
    private int maxRetries = 3;
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int maxServerRetries = 2;
    private Duration serverRetryWait = Duration.ofSeconds(1);
    private OkHttpClient okHttpClient;

    private Builder() {}

    /** The Meta app's secret (App settings &gt; Basic); required. Deliveries are signed with it. */
    public Builder appSecret(String appSecret) {
      this.appSecret = Objects.requireNonNull(appSecret, "appSecret");
      return this;
    }

    /** The verify token typed into the webhook's settings; required. The handshake must present it. */
    public Builder verifyToken(String verifyToken) {
      this.verifyToken = Objects.requireNonNull(verifyToken, "verifyToken");
      return this;
    }

    /** The page access token the Send API is called with; required. */
    public Builder pageToken(String pageToken) {
      this.pageToken = Objects.requireNonNull(pageToken, "pageToken");
      return this;
    }

    /** The page this bot answers for; items for any other page are ignored. Any page by default. */
    public Builder pageId(String pageId) {
      this.pageId = Objects.requireNonNull(pageId, "pageId");
      return this;
    }

    /**
     * The Graph API's base URL, {@value MessengerService#DEFAULT_API_URL} by default; https, or http to a
     * loopback address.
     */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
      return this;
    }

    /** How long an answer may take before the typing indicator shows; 1 s by default. */
    public Builder typingDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("typingDelay must not be negative but was " + delay);
      }
      this.typingDelay = delay;
      return this;
    }

    /** How many times a 429 or 503 is retried after its {@code Retry-After}; 3 by default. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must not be negative but was " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** The longest wait before such a retry, whatever {@code Retry-After} asks; 30 s by default. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /** How many times a 500, 502 or 504 is retried, and the first wait (doubling after); 2 and 1 s by default. */
    public Builder serverRetries(int retries, Duration firstWait) {
      if (retries < 0 || firstWait.isNegative()) {
        throw new IllegalArgumentException("server retries must not be negative");
      }
      this.maxServerRetries = retries;
      this.serverRetryWait = firstWait;
      return this;
    }

    /** The service's name, {@code messenger} by default; it prefixes dedupe keys. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The webhook's path; {@code /messenger/webhook} by default. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new ConfigurationException("MessengerService path must start with '/' but was '" + path + "'");
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
     * @throws ConfigurationException when a required setting is missing or the API URL is not https (or
     *     http to a loopback address)
     */
    public MessengerService build() {
      require(appSecret, "an appSecret (App settings > Basic > App secret)");
      require(verifyToken, "a verifyToken (the one typed into the webhook's settings)");
      require(pageToken, "a pageToken (Messenger > Settings > Access tokens)");
      if (pageToken.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        throw new ConfigurationException("MessengerService pageToken must not hold spaces or control characters");
      }
      String url = ApiUrls.allowed(apiUrl).orElseThrow(() -> new ConfigurationException("MessengerService apiUrl"
          + " must be an https URL (or http to a loopback address) but was '" + apiUrl + "'"));
      return new MessengerService(this, url);
    }

    private static void require(String value, String what) {
      if (value == null || value.isBlank()) {
        throw new ConfigurationException("MessengerService needs " + what);
      }
    }
  }
}
