package ai.chatops.slack;

import ai.chatops.ConfigurationException;
import ai.chatops.http.ApiException;
import ai.chatops.http.ApiRequest;
import ai.chatops.http.ApiResponse;
import ai.chatops.http.Requester;
import ai.chatops.service.Reply;
import ai.chatops.slack.internal.ApiUrls;
import ai.chatops.slack.internal.BlockKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A small client of the Slack Web API for what a bot says: {@code chat.postMessage}, {@code chat.update},
 * and answers to a slash command's or a button's {@code response_url}. Built on the core
 * {@link Requester}: bearer token, JSON bodies, {@code 429} and {@code 503} retried after
 * {@code Retry-After}. An answer {@code {"ok": false}} becomes a {@link SlackApiException} with Slack's error
 * code; a failed HTTP exchange an {@link ApiException}.
 *
 * <pre>{@code
 * SlackApi slack = SlackApi.builder().botToken(System.getenv("SLACK_BOT_TOKEN")).build();
 * String ts = slack.postMessage("C123", Optional.empty(), Reply.text("build started"));
 * slack.update("C123", ts, Reply.text("build finished: SUCCESS"));
 * }</pre>
 *
 * <p>Immutable and thread-safe: build one per bot token and share it. Its HTTP client is created on the
 * first call, so a bot starts without loading OkHttp or TLS until it has something to say. The token never
 * appears in {@link #toString()}, messages or logs.
 */
public final class SlackApi {
  /** Slack's Web API base URL. */
  public static final String DEFAULT_API_URL = "https://slack.com/api/";

  private final String botToken;
  private final String apiUrl;
  private final int maxRetries;
  private final Duration maxBackoff;
  private final OkHttpClient okHttpClient;
  private final Object lock = new Object();
  private volatile Requesters requesters;

  /** The requester with the token (Web API) and without (response_url), sharing one connection pool. */
  private record Requesters(Requester plain, Requester api) {}

  private SlackApi(Builder b) {
    requirePrintable(b.botToken); // refuses a malformed token now, not on the first reply
    if (b.maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be 0 or more but was " + b.maxRetries);
    }
    if (b.maxBackoff.isNegative()) {
      throw new IllegalArgumentException("maxBackoff must not be negative but was " + b.maxBackoff);
    }
    this.botToken = b.botToken;
    this.maxRetries = b.maxRetries;
    this.maxBackoff = b.maxBackoff;
    this.okHttpClient = b.okHttpClient;
    // The usual URL is checked without OkHttp, whose URL parser loads Kotlin and IDN tables (about 200
    // classes of a cold start); any other is checked, and printed, by OkHttp as the requester will be.
    String canonical = ApiUrls.canonical(b.apiUrl);
    this.apiUrl = canonical != null ? canonical : okHttpCanonical(b.apiUrl);
  }

  private static String okHttpCanonical(String url) {
    Requester.builder().baseUrl(url); // its refusal names what is wrong with the URL
    HttpUrl parsed = HttpUrl.get(url);
    String path = parsed.encodedPath();
    return (path.endsWith("/") ? parsed : parsed.newBuilder().encodedPath(path + "/").build()).toString();
  }

  /** As {@code Requester.Builder.bearerToken} checks a token, without loading the requester. */
  private static void requirePrintable(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        // The token itself stays out of the message.
        throw new IllegalArgumentException(
            "bearerToken must be non-blank printable ASCII without spaces (" + token.length() + " characters given)");
      }
    }
  }

  /**
   * The requesters, created on first use: building an OkHttp client loads the JDK's trust store and TLS
   * classes (about half a second of a cold start), which a bot needs only once it has something to say.
   */
  private Requesters requesters() {
    Requesters r = requesters;
    if (r == null) {
      synchronized (lock) {
        r = requesters;
        if (r == null) {
          Requester.Builder settings = Requester.builder()
              .baseUrl(apiUrl)
              .maxRetries(maxRetries)
              .maxBackoff(maxBackoff)
              .userAgent("chatops-java-slack");
          if (okHttpClient != null) {
            settings.okHttpClient(okHttpClient);
          }
          Requester plain = settings.build();
          r = new Requesters(plain, plain.newBuilder().bearerToken(botToken).build());
          requesters = r;
        }
      }
    }
    return r;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The API base URL, ending in {@code /}. */
  public String apiUrl() {
    return apiUrl;
  }

  /**
   * Posts a reply with {@code chat.postMessage}, as Block Kit blocks with a plain-text fallback.
   *
   * @param thread the {@code ts} of the thread to answer in, if any
   * @return the {@code ts} of the new message, which {@link #update} takes
   */
  public String postMessage(String channel, Optional<String> thread, Reply reply) {
    ObjectNode body = message(reply, thread).put("channel", Objects.requireNonNull(channel, "channel"));
    thread.ifPresent(ts -> body.put("thread_ts", ts));
    return call("chat.postMessage", body).path("ts").asText();
  }

  /**
   * Posts a reply only {@code user} sees, with {@code chat.postEphemeral}, as Block Kit with a plain-text
   * fallback. Slack keeps no such message: it cannot be updated, and it is gone after a reload.
   *
   * @param thread the {@code ts} of the thread to answer in, if any
   */
  public void postEphemeral(String channel, String user, Optional<String> thread, Reply reply) {
    ObjectNode body = message(reply, thread).put("channel", Objects.requireNonNull(channel, "channel"))
        .put("user", Objects.requireNonNull(user, "user"));
    thread.ifPresent(ts -> body.put("thread_ts", ts));
    call("chat.postEphemeral", body);
  }

  /** Replaces the text and blocks of a message the bot posted, with {@code chat.update}. */
  public void update(String channel, String ts, Reply reply) {
    ObjectNode body = message(reply, Optional.empty())
        .put("channel", Objects.requireNonNull(channel, "channel"))
        .put("ts", Objects.requireNonNull(ts, "ts"));
    call("chat.update", body);
  }

  /**
   * Answers through a {@code response_url} (slash commands and buttons). No token is sent: the URL itself
   * is the credential.
   *
   * @param inChannel whether everyone in the channel sees the answer, rather than only the user
   * @param thread the conversation thread, carried by the buttons of the answer
   */
  public void respond(String responseUrl, Reply reply, boolean inChannel, Optional<String> thread) {
    respond(responseUrl, reply, inChannel, thread, false);
  }

  /**
   * Answers through a {@code response_url}, replacing the message posted last through it when
   * {@code replaceOriginal} is true (Slack's {@code replace_original}).
   */
  public void respond(
      String responseUrl, Reply reply, boolean inChannel, Optional<String> thread, boolean replaceOriginal) {
    ObjectNode body = message(reply, thread)
        .put("response_type", inChannel && !reply.ephemeral() ? "in_channel" : "ephemeral")
        .put("replace_original", replaceOriginal);
    // The requester's base URL always ends in '/', so the last segment of the URL goes in the request.
    int slash = responseUrl.lastIndexOf('/');
    if (slash < 0 || slash == responseUrl.length() - 1 || responseUrl.indexOf('?') >= 0) {
      throw new IllegalArgumentException("response_url must be an http(s) URL ending in a path segment");
    }
    Requester target;
    try {
      // The last segment is the secret: observers (traces) see the path without it.
      target = requesters().plain().newBuilder().baseUrl(responseUrl.substring(0, slash + 1)).secretPath(true)
          .build();
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException("response_url is not an http(s) URL", e);
    }
    String last = responseUrl.substring(slash + 1);
    ApiResponse response;
    try {
      response = target.execute(ApiRequest.post(last).jsonBody(body).build());
    } catch (ApiException e) {
      // The last segment of a response_url is its secret: report the URL without it.
      throw new ApiException(e.method(), target.baseUrl() + "...", e.status(),
          e.status() == 0 ? "no answer" : "HTTP " + e.status(), e.bodyExcerpt(), null);
    }
    // response_url answers "ok" as text, or JSON with ok=false on refusal.
    String text = response.bodyAsString().trim();
    if (text.startsWith("{")) {
      checkOk("response_url", response.json(), response, target.baseUrl() + "...");
    }
  }

  /**
   * Calls any Web API method with a JSON body and returns Slack's answer.
   *
   * @throws SlackApiException when Slack answers {@code ok: false}
   * @throws ApiException when the HTTP exchange fails
   */
  public JsonNode call(String method, ObjectNode body) {
    ApiResponse response = requesters().api().execute(ApiRequest.post(method).jsonBody(body).build());
    return checkOk(method, response.json(), response, apiUrl + method);
  }

  private static JsonNode checkOk(String method, JsonNode answer, ApiResponse response, String url) {
    if (!answer.path("ok").asBoolean(false)) {
      String error = answer.path("error").asText("");
      throw new SlackApiException(method, url, response.status(), error.isEmpty() ? "unknown_error" : error,
          response.bodyAsString());
    }
    return answer;
  }

  private static ObjectNode message(Reply reply, Optional<String> thread) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("text", BlockKit.fallback(reply));
    body.set("blocks", BlockKit.render(reply, thread));
    return body;
  }

  @Override
  public String toString() {
    return "SlackApi{" + apiUrl + "}";
  }

  /** Builds a {@link SlackApi}. Not thread-safe. */
  public static final class Builder {
    private String botToken;
    private String apiUrl = DEFAULT_API_URL;
    private int maxRetries = 3;
    private Duration maxBackoff = Duration.ofSeconds(60);
    private OkHttpClient okHttpClient;

    private Builder() {}

    /** The bot token ({@code xoxb-...}); required. */
    public Builder botToken(String botToken) {
      this.botToken = Objects.requireNonNull(botToken, "botToken");
      return this;
    }

    /** The Web API base URL; {@value SlackApi#DEFAULT_API_URL} by default, another for tests and proxies. */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
      return this;
    }

    /** How many times a 429 or 503 is retried after its {@code Retry-After}; 3 by default. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /** The longest wait before a retry, whatever {@code Retry-After} asks; 60 s by default. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /** Shares the connection pool and threads of an existing client. */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws ConfigurationException when the token is missing or the URL invalid
     */
    public SlackApi build() {
      if (botToken == null || botToken.isBlank()) {
        throw new ConfigurationException("SlackApi needs a botToken (xoxb-...)");
      }
      try {
        return new SlackApi(this);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("SlackApi botToken is not a valid token: " + e.getMessage(), e);
      }
    }
  }
}
