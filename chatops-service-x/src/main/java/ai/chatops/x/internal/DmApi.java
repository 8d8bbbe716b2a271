package ai.chatops.x.internal;

import ai.chatops.http.ApiException;
import ai.chatops.http.ApiRequest;
import ai.chatops.http.Requester;
import ai.chatops.toolkit.JsonLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * X API v2 direct messages: {@code POST {api}/2/dm_conversations/with/{participant_id}/messages} with the
 * bot's OAuth 2.0 user-context token (the {@link Requester}'s bearer token). 429 and 503 are retried by the
 * requester after {@code Retry-After}; 500, 502 and 504 are retried here, {@code maxServerRetries} times with
 * a doubling wait. Thread-safe.
 */
public final class DmApi {
  /** Characters in one direct message. */
  public static final int MAX_TEXT = 10_000;
  private static final Logger log = LoggerFactory.getLogger(DmApi.class);
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private final Requester requester;
  private final int maxServerRetries;
  private final Duration serverRetryWait;

  public DmApi(Requester requester, int maxServerRetries, Duration serverRetryWait) {
    this.requester = requester;
    this.maxServerRetries = maxServerRetries;
    this.serverRetryWait = serverRetryWait;
  }

  /**
   * Sends one direct message to {@code participantId}.
   *
   * @throws ApiException when X refuses it or cannot be reached after the retries
   */
  public void send(String participantId, String text) {
    ApiRequest request = ApiRequest.post("2/dm_conversations/with").pathSegment(participantId)
        .pathSegment("messages").jsonBody(JSON.createObjectNode().put("text", text)).build();
    for (int attempt = 0; ; attempt++) {
      try {
        requester.execute(request);
        return;
      } catch (ApiException e) {
        boolean serverError = e.status() == 500 || e.status() == 502 || e.status() == 504;
        if (!serverError || attempt >= maxServerRetries) {
          throw e;
        }
        Duration wait = serverRetryWait.multipliedBy(1L << Math.min(attempt, 10));
        log.info("{} {} answered {}; retrying in {} ms", e.method(), e.url(), e.status(), wait.toMillis());
        if (!wait.isZero()) {
          try {
            Thread.sleep(wait.toMillis());
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }
  }
}
