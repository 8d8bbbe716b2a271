package ai.chatops.teams.internal;

import ai.chatops.http.ApiException;
import ai.chatops.http.ApiRequest;
import ai.chatops.http.Requester;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.HttpUrl;

/**
 * The bot's access token for the Bot Connector, by the client-credentials grant of the Microsoft identity
 * platform (scope {@value #SCOPE}), cached until {@link #MARGIN} before it expires. A connector's 401 throws
 * the cached token away ({@link #invalidate}) so that the next call fetches a new one. Callers on many worker
 * threads share one fetch. The password and the tokens never appear in logs, messages or {@link #toString()}.
 * Thread-safe.
 */
public final class AccessTokens {
  public static final String SCOPE = "https://api.botframework.com/.default";
  /** A token is renewed this long before it expires (or at half its life, if that is shorter). */
  public static final Duration MARGIN = Duration.ofMinutes(5);

  private final Requester requester;
  private final String path;
  private final String appId;
  private final String appPassword;
  private final Clock clock;
  private String token;
  private Instant renewAt = Instant.MIN;

  /** @param tokenUrl the token endpoint, already checked with {@link Urls#allowed} */
  public AccessTokens(Requester requester, HttpUrl tokenUrl, String appId, String appPassword, Clock clock) {
    this.requester = requester.newBuilder().baseUrl(Urls.base(tokenUrl)).build();
    this.path = Urls.lastSegment(tokenUrl);
    this.appId = appId;
    this.appPassword = appPassword;
    this.clock = clock;
  }

  /**
   * A token valid for a while yet, fetched when none is cached.
   *
   * @throws ApiException when the identity platform refuses (wrong password: 400/401) or cannot be reached
   */
  public synchronized String token() {
    Instant now = clock.instant();
    if (token != null && now.isBefore(renewAt)) {
      return token;
    }
    JsonNode answer = requester.execute(ApiRequest.post(path)
        .formField("grant_type", "client_credentials")
        .formField("client_id", appId)
        .formField("client_secret", appPassword)
        .formField("scope", SCOPE)
        .build()).json();
    String fresh = answer.path("access_token").asText("");
    long expiresIn = answer.path("expires_in").asLong(0);
    if (fresh.isEmpty() || expiresIn <= 0) {
      throw new ApiException("POST", requester.baseUrl() + path, 200,
          "the token endpoint answered without access_token and expires_in", "", null);
    }
    Duration life = Duration.ofSeconds(expiresIn);
    Duration margin = life.dividedBy(2).compareTo(MARGIN) < 0 ? life.dividedBy(2) : MARGIN;
    token = fresh;
    renewAt = now.plus(life).minus(margin);
    return token;
  }

  /** Forgets the token if it is still {@code rejected}, so that the next {@link #token()} fetches anew. */
  public synchronized void invalidate(String rejected) {
    if (rejected.equals(token)) {
      token = null;
      renewAt = Instant.MIN;
    }
  }

  @Override
  public String toString() {
    return "AccessTokens{" + requester.baseUrl() + path + ", app " + appId + "}";
  }
}
