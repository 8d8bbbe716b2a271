package ai.chatops.teams.internal;

import ai.chatops.http.ApiException;
import ai.chatops.http.ApiRequest;
import ai.chatops.http.ApiResponse;
import ai.chatops.http.Requester;
import ai.chatops.toolkit.LogSafe;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bot Connector REST API, as far as a bot that answers needs it: send to a conversation, reply to an
 * activity, update an activity. Each call carries the bot's access token; a 401 fetches a new token and
 * tries once more. 429 and 503 are retried by the {@link Requester} after {@code Retry-After}; 500, 502 and
 * 504 are retried here, {@code maxServerRetries} times with a doubling wait. The token goes only to a
 * {@code serviceUrl} passed in, which the callers take from validated activities. Thread-safe.
 */
public final class Connector {
  private static final Logger log = LoggerFactory.getLogger(Connector.class);
  /** Distinct service URLs whose requesters are kept; Teams uses a handful per region. */
  private static final int MAX_REQUESTERS = 64;

  private final Requester base;
  private final AccessTokens tokens;
  private final int maxServerRetries;
  private final Duration serverRetryWait;
  private final Map<String, Requester> byServiceUrl = new LinkedHashMap<>(16, 0.75f, true);

  public Connector(Requester base, AccessTokens tokens, int maxServerRetries, Duration serverRetryWait) {
    this.base = base;
    this.tokens = tokens;
    this.maxServerRetries = maxServerRetries;
    this.serverRetryWait = serverRetryWait;
  }

  /**
   * Posts a message into a conversation: as a reply to {@code replyToId} when given, else as a new message.
   *
   * @return the id of the new activity, or empty when the connector did not say
   * @throws ApiException when the connector refuses or cannot be reached
   */
  public Optional<String> post(String serviceUrl, String conversationId, Optional<String> replyToId,
      ObjectNode activity) {
    ApiRequest.Builder request = ApiRequest.post("v3/conversations").pathSegment(conversationId)
        .pathSegment("activities");
    replyToId.ifPresent(id -> {
      request.pathSegment(id);
      activity.put("replyToId", id);
    });
    activity.putObject("conversation").put("id", conversationId);
    ApiResponse response = call(serviceUrl, request.jsonBody(activity).build());
    String id = response.bodyAsString().isBlank() ? "" : response.json().path("id").asText("");
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  /**
   * Replaces an activity the bot sent.
   *
   * @throws ApiException when the connector refuses (404: the message is gone) or cannot be reached
   */
  public void update(String serviceUrl, String conversationId, String activityId, ObjectNode activity) {
    activity.put("id", activityId);
    activity.putObject("conversation").put("id", conversationId);
    call(serviceUrl, ApiRequest.put("v3/conversations").pathSegment(conversationId).pathSegment("activities")
        .pathSegment(activityId).jsonBody(activity).build());
  }

  private ApiResponse call(String serviceUrl, ApiRequest request) {
    Requester requester = requester(serviceUrl);
    boolean renewed = false;
    for (int attempt = 0; ; attempt++) {
      String token = tokens.token();
      try {
        return requester.execute(request.newBuilder().header("Authorization", "Bearer " + token).build());
      } catch (ApiException e) {
        if (e.status() == 401 && !renewed) {
          renewed = true;
          tokens.invalidate(token);
          log.info("{} {} answered 401; fetching a new access token and trying once more", e.method(), e.url());
          attempt--;
          continue;
        }
        boolean serverError = e.status() == 500 || e.status() == 502 || e.status() == 504;
        if (!serverError || attempt >= maxServerRetries) {
          throw e;
        }
        Duration wait = serverRetryWait.multipliedBy(1L << Math.min(attempt, 10));
        log.info("{} {} answered {}; retrying in {} ms", e.method(), e.url(), e.status(), wait.toMillis());
        pause(wait, e);
      }
    }
  }

  private static void pause(Duration wait, ApiException cause) {
    if (wait.isZero()) {
      return;
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }

  private synchronized Requester requester(String serviceUrl) {
    Requester r = byServiceUrl.get(serviceUrl);
    if (r == null) {
      HttpUrl url = Urls.allowed(serviceUrl).orElseThrow(() -> new IllegalArgumentException(
          "serviceUrl must be https (or http to loopback) but was " + LogSafe.clean(serviceUrl, 100)));
      String path = url.encodedPath();
      r = base.newBuilder().baseUrl(url.newBuilder().query(null).fragment(null)
          .encodedPath(path.endsWith("/") ? path : path + "/").build().toString()).build();
      byServiceUrl.put(serviceUrl, r);
      if (byServiceUrl.size() > MAX_REQUESTERS) {
        byServiceUrl.remove(byServiceUrl.keySet().iterator().next());
      }
    }
    return r;
  }
}
