package ai.chatops.teams;

import ai.chatops.BadRequestException;
import ai.chatops.ChatOpsException;
import ai.chatops.ConfigurationException;
import ai.chatops.WebhookRequest;
import ai.chatops.http.ApiException;
import ai.chatops.http.Requester;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.teams.internal.AccessTokens;
import ai.chatops.teams.internal.ConnectorKeys;
import ai.chatops.teams.internal.Connector;
import ai.chatops.teams.internal.References;
import ai.chatops.teams.internal.TokenCheck;
import ai.chatops.teams.internal.Urls;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Microsoft Teams as a chat platform, over the Bot Framework protocol: activities arrive at
 * {@code /api/messages} (the messaging endpoint of the Azure Bot), replies go to the Bot Connector.
 * Microsoft retired its Java Bot Framework SDK; this service needs none of it.
 *
 * <pre>{@code
 * TeamsService teams = TeamsService.builder()
 *     .appId(appId)               // the Azure Bot's Microsoft App ID
 *     .appPassword(appPassword)   // its client secret
 *     .store(store)               // the router's store: conversation references survive restarts
 *     .build();
 * EventRouter router = EventRouter.builder().service(teams).store(store).plugin(BotPlugin.create()).build();
 * }</pre>
 *
 * <h2>Inbound</h2>
 * Every request must carry {@code Authorization: Bearer <JWT>} from the Bot Connector, checked as Microsoft
 * documents it: RS256 only, signed by a key of the OpenID metadata's {@code jwks_uri}, issuer
 * {@code https://api.botframework.com}, audience the app id, {@code exp} and {@code nbf} with 5 minutes of
 * skew, the key endorsed for the activity's {@code channelId}, and the token's {@code serviceurl} claim equal
 * to the activity's {@code serviceUrl}. Any failure is 401 with the reason (never the token), and nothing is
 * processed or sent. The keys are fetched in the background when the service is built, when a token names an
 * unknown key (at most once a minute) and when they are 24 hours old: no request waits for them, and until
 * they are loaded every request is refused. Then:
 * <ul>
 *   <li>{@code message}: the text, {@code <at>…</at>} mentions taken out, becomes a {@link
 *       ai.chatops.service.ChatEvent} (id: the activity id, so a redelivery is processed once) in 1:1 chats,
 *       group chats and channel threads; a message carrying a card's {@code value} is the click it
 *       stands for.</li>
 *   <li>{@code invoke} {@code adaptiveCard/action}: a click on a card the SDK sent, answered at once with the
 *       invoke response the protocol requires; the choice continues the conversation as the clicking user
 *       said it, so only the asker's click answers the asker's question. Other invokes are answered 501.</li>
 *   <li>{@code conversationUpdate} adding the bot: a short greeting that points to {@code help}.</li>
 *   <li>Other types are acknowledged and ignored.</li>
 * </ul>
 * The user is {@code from.aadObjectId} (else {@code from.id}); the conversation is {@code conversation.id},
 * a channel thread's root message being its {@link Conversation#thread()}; the workspace is the tenant
 * ({@code channelData.tenant.id}). With {@link Builder#allowedTenants} set, other tenants are refused (403).
 *
 * <h2>Outbound</h2>
 * {@link #deliver} replies into the conversation ({@code POST {serviceUrl}/v3/conversations/{id}/activities/
 * {replyToId}}, in the channel thread when there is one) with the bot's access token (client credentials,
 * cached until shortly before it expires, renewed once on a 401). Replies that share a {@link Reply#key()}
 * (a build's "queued", then its result) are one message updated in place ({@code PUT …/activities/{id}}).
 * Fields, links and choices are an Adaptive Card; choices come back as clicks. The {@code serviceUrl} of each
 * conversation, learned only from validated activities, is kept in the {@link Store}, so a follow-up after a
 * restart is still delivered (a proactive message). The first activity of a conversation in a process writes
 * it once, on the acknowledgement path; a store that fails then answers 503 so that the Bot Connector
 * retries.
 *
 * <p>Thread-safe. {@link #close()} stops the key fetcher. The app password and the tokens never appear in
 * {@link #toString()}, logs or exceptions.
 */
public final class TeamsService implements ServiceHandler, AutoCloseable {
  /** Where Microsoft publishes the Bot Connector's OpenID metadata. */
  public static final String DEFAULT_OPENID_METADATA_URL =
      "https://login.botframework.com/v1/.well-known/openidconfiguration";
  /** The token endpoint of multi-tenant bots. */
  public static final String DEFAULT_TOKEN_URL =
      "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

  private final String name;
  private final String path;
  private final String appId;
  private final ExecutorService ownedFetcher;
  private final ConnectorKeys keys;
  private final TeamsInbound inbound;
  private final TeamsOutbound outbound;

  private TeamsService(Builder b, HttpUrl metadataUrl, HttpUrl tokenUrl) {
    this.name = b.name;
    this.path = b.path;
    this.appId = b.appId;
    Requester.Builder requester = Requester.builder()
        .baseUrl(Urls.base(metadataUrl))
        .maxRetries(b.maxRetries)
        .maxBackoff(b.maxBackoff)
        .userAgent("chatops-java-teams");
    if (b.okHttpClient != null) {
      requester.okHttpClient(b.okHttpClient);
    }
    Requester base = requester.build();
    this.ownedFetcher = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(4), r -> {
      Thread t = new Thread(r, "chatops-teams-keys");
      t.setDaemon(true);
      return t;
    });
    this.keys = new ConnectorKeys(base, metadataUrl, b.clock, ownedFetcher);
    Store store = b.store != null ? b.store : InMemoryStore.create(b.clock);
    References references = new References(store, b.clock, name + "/ref/");
    this.inbound = new TeamsInbound(name, new TokenCheck(keys, b.appId, b.clock), references, b.allowedTenants,
        b.clock);
    AccessTokens tokens = new AccessTokens(base, tokenUrl, b.appId, b.appPassword, b.clock);
    this.outbound = new TeamsOutbound(name, new Connector(base, tokens, b.maxServerRetries, b.serverRetryWait),
        references, store, b.clock);
    keys.refresh("the service starts");
  }

  /** Starts building a service; the app id and password are the settings a bot needs. */
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

  /** Whether the Bot Connector's signing keys have been loaded; until then every request is refused. */
  public boolean keysLoaded() {
    return keys.loaded();
  }

  /**
   * Verifies the request's token and answers or parses its activity, as the class doc describes.
   *
   * @throws BadRequestException 401 when the token is missing or fails a check; 400 when the body is not an
   *     activity; 403 for a tenant the bot does not serve; 415 for a body that is not JSON
   */
  @Override
  public Received receive(WebhookRequest request) {
    return inbound.receive(request);
  }

  /**
   * Sends the reply into the conversation, replacing the message of an earlier reply with the same key.
   *
   * @throws ChatOpsException when the bot was never spoken to in this conversation (no reference)
   * @throws ApiException when the Bot Connector or the identity platform refuses or cannot be reached
   */
  @Override
  public void deliver(Conversation conversation, Reply reply) {
    outbound.deliver(conversation, reply);
  }

  /** Stops the background key fetcher. */
  @Override
  public void close() {
    ownedFetcher.shutdownNow();
  }

  @Override
  public String toString() {
    return "TeamsService{" + name + " at " + path + ", app " + appId + "}";
  }

  /** Builds a {@link TeamsService}. Not thread-safe. */
  public static final class Builder {
    private String name = "teams";
    private String path = "/api/messages";
    private String appId;
    private String appPassword;
    private String tenantId;
    private final Set<String> allowedTenants = new LinkedHashSet<>();
    private String openIdMetadataUrl = DEFAULT_OPENID_METADATA_URL;
    private String tokenUrl;
    private Store store;
    private Clock clock = Clock.systemUTC();
    private int maxRetries = 3;
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int maxServerRetries = 2;
    private Duration serverRetryWait = Duration.ofSeconds(1);
    private OkHttpClient okHttpClient;

    private Builder() {}

    /** The Azure Bot's Microsoft App ID (a GUID); required. Tokens must be addressed to it. */
    public Builder appId(String appId) {
      this.appId = Objects.requireNonNull(appId, "appId");
      return this;
    }

    /** The app's client secret, for the bot's own access tokens; required. */
    public Builder appPassword(String appPassword) {
      this.appPassword = Objects.requireNonNull(appPassword, "appPassword");
      return this;
    }

    /**
     * A single-tenant bot's tenant: its tokens come from that tenant's token endpoint, and, unless
     * {@link #allowedTenants} says otherwise, only that tenant is served.
     */
    public Builder tenantId(String tenantId) {
      this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
      return this;
    }

    /** The only tenants whose activities are taken; others are refused with 403. All by default. */
    public Builder allowedTenants(Collection<String> tenants) {
      tenants.forEach(t -> allowedTenants.add(Objects.requireNonNull(t, "tenant")));
      return this;
    }

    /** The OpenID metadata document; {@value TeamsService#DEFAULT_OPENID_METADATA_URL} by default. */
    public Builder openIdMetadataUrl(String url) {
      this.openIdMetadataUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The token endpoint; by default {@value TeamsService#DEFAULT_TOKEN_URL}, or that of the
     * {@link #tenantId} for a single-tenant bot.
     */
    public Builder tokenUrl(String url) {
      this.tokenUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * Where conversation references are kept: pass the router's store, so that follow-ups survive a restart
     * and reach the conversation from any router sharing it. An in-memory store by default.
     */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock tokens and key ages are checked against. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
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

    /**
     * How many times a 500, 502 or 504 from the connector is retried, and the first wait (doubling after);
     * 2 and 1 s by default.
     */
    public Builder serverRetries(int retries, Duration firstWait) {
      if (retries < 0 || firstWait.isNegative()) {
        throw new IllegalArgumentException("server retries must not be negative");
      }
      this.maxServerRetries = retries;
      this.serverRetryWait = firstWait;
      return this;
    }

    /** The service name, unique per router; {@code teams} by default. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The messaging endpoint's path; {@code /api/messages} by default. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new ConfigurationException("TeamsService path must start with '/' but was '" + path + "'");
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
     * Builds the service and starts fetching the Bot Connector's keys in the background.
     *
     * @throws ConfigurationException when the app id or password is missing, or a URL is not https (or
     *     http to a loopback address)
     */
    public TeamsService build() {
      if (appId == null || appId.isBlank()) {
        throw new ConfigurationException("TeamsService needs an appId (the Azure Bot's Microsoft App ID)");
      }
      if (appPassword == null || appPassword.isBlank()) {
        throw new ConfigurationException("TeamsService needs an appPassword (the app's client secret)");
      }
      if (tenantId != null && !tenantId.matches("[A-Za-z0-9.-]{1,100}")) {
        throw new ConfigurationException("TeamsService tenantId must be a tenant id (a GUID) or domain");
      }
      HttpUrl metadata = url(openIdMetadataUrl, "openIdMetadataUrl");
      String token = tokenUrl != null ? tokenUrl : tenantId != null
          ? "https://login.microsoftonline.com/" + tenantId + "/oauth2/v2.0/token" : DEFAULT_TOKEN_URL;
      HttpUrl tokenEndpoint = url(token, "tokenUrl");
      if (allowedTenants.isEmpty() && tenantId != null) {
        allowedTenants.add(tenantId);
      }
      return new TeamsService(this, metadata, tokenEndpoint);
    }

    private static HttpUrl url(String value, String what) {
      return Urls.allowed(value).orElseThrow(() -> new ConfigurationException("TeamsService " + what
          + " must be an https URL (or http to a loopback address) but was '" + value + "'"));
    }
  }
}
