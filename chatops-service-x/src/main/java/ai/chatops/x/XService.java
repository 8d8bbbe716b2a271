package ai.chatops.x;

import ai.chatops.BadRequestException;
import ai.chatops.ConfigurationException;
import ai.chatops.WebhookRequest;
import ai.chatops.http.ApiException;
import ai.chatops.http.Requester;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.toolkit.ApiUrls;
import ai.chatops.toolkit.HmacSignature;
import ai.chatops.x.internal.DmApi;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * X (formerly Twitter) direct messages as a chat platform: the bot's account is subscribed to X's Account
 * Activity webhooks, mounted by default at {@code /x/webhook}, and replies go out through the X API v2.
 *
 * <pre>{@code
 * XService x = XService.builder()
 *     .consumerSecret(consumerSecret) // the app's API key secret: signs the CRC and every delivery
 *     .botToken(botToken)             // the bot account's OAuth 2.0 user-context token (dm.write)
 *     .botUserId(botUserId)           // the bot account's numeric user id
 *     .build();
 * EventRouter router = EventRouter.builder().service(x).plugin(BotPlugin.create()).build();
 * }</pre>
 *
 * <h2>Inbound</h2>
 * <ul>
 *   <li>{@code GET ?crc_token=T}, the challenge-response check: {@code {"response_token": "sha256=" +
 *       base64(HMAC-SHA256(consumer secret, T))}}; 400 without a token.</li>
 *   <li>Every {@code POST} must carry {@code x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer
 *       secret, raw body)>}, compared in constant time; missing, repeated or wrong (hex instead of base64
 *       included): 401, and nothing is processed.</li>
 *   <li>{@code direct_message_events} of type {@code message_create} sent to the bot become {@link
 *       ai.chatops.service.ChatEvent}s: id the event id, so a redelivery is processed once; workspace the
 *       bot's user id, channel and user the sender. The bot's own messages ({@code sender_id} =
 *       {@code for_user_id}), deliveries for another account, and every other kind of activity are
 *       acknowledged and ignored.</li>
 * </ul>
 *
 * <h2>Outbound</h2>
 * {@link #deliver} sends {@code POST {api}/2/dm_conversations/with/{participant_id}/messages} with the bot's
 * token. X has no buttons in direct messages: a reply with choices ends with the words to answer with
 * ("Reply yes or no."), and the answer, typed, continues the conversation. Fields and the link are lines of
 * text; texts longer than 10,000 characters are split; replies that share a {@link Reply#key()} are each a
 * new message. 429 and 503 are retried after {@code Retry-After}, 500, 502 and 504 with a doubling wait, a
 * bounded number of times.
 *
 * <p>Thread-safe. The consumer secret and the token never appear in {@link #toString()}, logs or exceptions.
 */
public final class XService implements ServiceHandler {
  /** The X API's base URL. */
  public static final String DEFAULT_API_URL = "https://api.x.com/";

  private final String name;
  private final String path;
  private final String apiUrl;
  private final String botUserId;
  private final XInbound inbound;
  private final XOutbound outbound;

  private XService(Builder b, String apiUrl) {
    this.name = b.name;
    this.path = b.path;
    this.apiUrl = apiUrl;
    this.botUserId = b.botUserId;
    Requester.Builder requester = Requester.builder()
        .baseUrl(apiUrl)
        .bearerToken(b.botToken)
        .maxRetries(b.maxRetries)
        .maxBackoff(b.maxBackoff)
        .userAgent("chatops-java-x");
    if (b.okHttpClient != null) {
      requester.okHttpClient(b.okHttpClient);
    }
    this.inbound = new XInbound(name, HmacSignature.builder(b.consumerSecret)
        .header("x-twitter-webhooks-signature").prefix("sha256=").encoding(HmacSignature.Encoding.BASE64)
        .secretName("consumer secret").build(), b.botUserId);
    this.outbound = new XOutbound(new DmApi(requester.build(), b.maxServerRetries, b.serverRetryWait));
  }

  /** Starts building a service; the consumer secret, bot token and bot user id are required. */
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

  /** GET for the challenge-response check, POST for deliveries. */
  @Override
  public Set<String> methods() {
    return Set.of("GET", "POST");
  }

  /**
   * Answers the CRC, or verifies a delivery's signature and parses its direct messages, as the class doc
   * describes.
   *
   * @throws BadRequestException 401 for a missing or wrong signature; 400 for a body that is not a delivery
   *     or a CRC request without a token; 415 for a body that is not JSON
   */
  @Override
  public Received receive(WebhookRequest request) {
    return inbound.receive(request);
  }

  /**
   * Sends the reply to the conversation's user as one or more direct messages.
   *
   * @throws ApiException when the X API refuses or cannot be reached
   */
  @Override
  public void deliver(Conversation conversation, Reply reply) {
    outbound.deliver(conversation, reply);
  }

  @Override
  public String toString() {
    return "XService{" + name + " at " + path + ", user " + botUserId + ", api " + apiUrl + "}";
  }

  /** Builds an {@link XService}. Not thread-safe. */
  public static final class Builder {
    private String name = "x";
    private String path = "/x/webhook";
    private String consumerSecret;
    private String botToken;
    private String botUserId;
    private String apiUrl = DEFAULT_API_URL;
    private int maxRetries = 3;
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int maxServerRetries = 2;
    private Duration serverRetryWait = Duration.ofSeconds(1);
    private OkHttpClient okHttpClient;

    private Builder() {}

    /** The app's consumer secret (API Key Secret); required. The CRC and deliveries are signed with it. */
    public Builder consumerSecret(String consumerSecret) {
      this.consumerSecret = Objects.requireNonNull(consumerSecret, "consumerSecret");
      return this;
    }

    /** The bot account's OAuth 2.0 user-context access token, with {@code dm.write}; required. */
    public Builder botToken(String botToken) {
      this.botToken = Objects.requireNonNull(botToken, "botToken");
      return this;
    }

    /** The bot account's numeric user id; required. Deliveries for other accounts are ignored. */
    public Builder botUserId(String botUserId) {
      this.botUserId = Objects.requireNonNull(botUserId, "botUserId");
      return this;
    }

    /** The X API's base URL, {@value XService#DEFAULT_API_URL} by default; https, or http to a loopback address. */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
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

    /** The service's name, {@code x} by default; it prefixes dedupe keys. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The webhook's path; {@code /x/webhook} by default. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new ConfigurationException("XService path must start with '/' but was '" + path + "'");
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
     * @throws ConfigurationException when a required setting is missing or malformed, or the API URL is not
     *     https (or http to a loopback address)
     */
    public XService build() {
      require(consumerSecret, "a consumerSecret (the app's Keys and tokens > API Key Secret)");
      require(botToken, "a botToken (the bot account's OAuth 2.0 user-context access token)");
      require(botUserId, "a botUserId (the bot account's numeric user id)");
      if (!botUserId.matches("\\d{1,25}")) {
        throw new ConfigurationException("XService botUserId must be a numeric user id but was '"
            + botUserId.replaceAll("\\p{Cntrl}", "?") + "'");
      }
      if (botToken.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        throw new ConfigurationException("XService botToken must not hold spaces or control characters");
      }
      String url = ApiUrls.allowed(apiUrl).orElseThrow(() -> new ConfigurationException("XService apiUrl must be"
          + " an https URL (or http to a loopback address) but was '" + apiUrl + "'"));
      return new XService(this, url);
    }

    private static void require(String value, String what) {
      if (value == null || value.isBlank()) {
        throw new ConfigurationException("XService needs " + what);
      }
    }
  }
}
