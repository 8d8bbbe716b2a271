package ai.chatops.messenger.internal;

import ai.chatops.http.ApiException;
import ai.chatops.http.ApiRequest;
import ai.chatops.http.Requester;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Send API ({@code POST {api}/me/messages}) with the page token, which the {@link Requester} sends as
 * {@code Authorization: Bearer}, so it is never part of a URL that a log or an exception could quote.
 * 429 and 503 are retried by the requester after {@code Retry-After}; 500, 502 and 504 are retried here,
 * {@code maxServerRetries} times with a doubling wait. Typing indicators are sent once, without retries:
 * they are worth nothing late. Thread-safe.
 */
public final class SendApi {
  private static final Logger log = LoggerFactory.getLogger(SendApi.class);

  private final Requester requester;
  private final Requester once;
  private final int maxServerRetries;
  private final Duration serverRetryWait;

  /** @param requester the Graph API's base URL with the page token */
  public SendApi(Requester requester, int maxServerRetries, Duration serverRetryWait) {
    this.requester = requester;
    this.once = requester.newBuilder().maxRetries(0).build();
    this.maxServerRetries = maxServerRetries;
    this.serverRetryWait = serverRetryWait;
  }

  /** The API's base URL, for messages. */
  public String baseUrl() {
    return requester.baseUrl();
  }

  /**
   * Sends one message or sender action.
   *
   * @throws ApiException when the Graph API refuses it or cannot be reached after the retries
   */
  public void send(ObjectNode body) {
    ApiRequest request = ApiRequest.post("me/messages").jsonBody(body).build();
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
        pause(wait, e);
      }
    }
  }

  /** Sends a sender action ({@code typing_on}) once; a failure is only logged. */
  public void senderAction(ObjectNode body) {
    try {
      once.execute(ApiRequest.post("me/messages").jsonBody(body).build());
    } catch (ApiException e) {
      log.debug("a typing indicator was not sent: {}", e.getMessage());
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
}
