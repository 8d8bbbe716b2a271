package ai.chatops.gcf;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.StoreUnavailableException;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.toolkit.QueuedEventJson;
import ai.chatops.service.ChatEvent;
import ai.chatops.toolkit.JsonLimits;
import ai.chatops.toolkit.LogSafe;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes the events a {@link PubSubDispatcher} published: the worker of a Cloud Functions deployment,
 * reached by a Pub/Sub push subscription whose endpoint is this function's URL with {@code ?token=} and the
 * verification token.
 *
 * <pre>{@code
 * public final class Worker implements HttpFunction {
 *   private static final PubSubPushWorker WORKER = PubSubPushWorker.create(Routers.WORKER::get,
 *       System.getenv("PUBSUB_VERIFICATION_TOKEN"));
 *
 *   public void service(HttpRequest request, HttpResponse response) throws IOException {
 *     WORKER.service(request, response);
 *   }
 * }
 * }</pre>
 *
 * <p>Each push carries one message; its event is processed with {@link EventRouter#process} before the
 * answer, so the work is over when the function returns. The answer tells Pub/Sub what to do:
 *
 * <ul>
 *   <li>204: done (or done before: a redelivery is processed once, the store deduplicates); acknowledged;
 *   <li>400: not a push of a queued event (malformed envelope, data not an event of a known service); Pub/Sub
 *       delivers it again until the subscription's {@code maxDeliveryAttempts}, then to its dead-letter topic;
 *   <li>401: the verification token is missing or wrong;
 *   <li>409: another worker is processing the event now; delivered again in case that worker dies;
 *   <li>503: the store or the plugin run failed; delivered again after the subscription's backoff.
 * </ul>
 *
 * <p>Immutable and thread-safe; the router is looked up through the supplier on each push.
 */
public final class PubSubPushWorker {
  private static final Logger log = LoggerFactory.getLogger(PubSubPushWorker.class);
  private static final ObjectMapper MAPPER = JsonLimits.mapper();
  /** A push envelope holds one message of at most 10 MB, base64-encoded; events are far smaller. */
  static final int MAX_PUSH_BYTES = 1024 * 1024;

  private final Supplier<EventRouter> router;
  private final HttpFunctionAdapter adapter;
  private final byte[] token;

  private PubSubPushWorker(Supplier<EventRouter> router, byte[] token) {
    this.router = router;
    this.adapter = HttpFunctionAdapter.create(router);
    this.token = token;
  }

  /**
   * A worker that accepts pushes carrying {@code verificationToken} in their {@code token} query parameter.
   *
   * @throws IllegalArgumentException when the token is shorter than 16 characters
   */
  public static PubSubPushWorker create(Supplier<EventRouter> router, String verificationToken) {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(verificationToken, "verificationToken");
    if (verificationToken.length() < 16) {
      throw new IllegalArgumentException("the verification token must have at least 16 characters but had "
          + verificationToken.length() + ": use a random one, for example openssl rand -hex 16");
    }
    return new PubSubPushWorker(router, verificationToken.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads one push from the Functions runtime, processes it, and writes the answer. */
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    WebhookResponse answer;
    try {
      answer = handle(adapter.toRequest(request, MAX_PUSH_BYTES));
    } catch (BadRequestException e) {
      answer = WebhookResponse.text(e.status(), e.getMessage());
    } catch (UncheckedIOException e) {
      answer = WebhookResponse.text(400, "the request body could not be read");
    }
    response.setStatusCode(answer.status());
    answer.header("Content-Type").ifPresent(response::setContentType);
    byte[] body = answer.body();
    if (body.length > 0) {
      OutputStream out = response.getOutputStream();
      out.write(body);
      out.flush();
    }
  }

  /** Processes one push request and answers with the status Pub/Sub acts on (see the class doc). */
  public WebhookResponse handle(WebhookRequest request) {
    if (!request.method().equals("POST")) {
      return WebhookResponse.text(405, "a Pub/Sub push is a POST").withHeader("Allow", "POST");
    }
    if (!MessageDigest.isEqual(token, queryToken(request.query()))) {
      log.warn("refused a Pub/Sub push to {}: missing or wrong verification token", LogSafe.clean(request.path()));
      return WebhookResponse.text(401, "missing or wrong verification token");
    }
    if (request.bodyLength() > MAX_PUSH_BYTES) {
      return WebhookResponse.text(413, "request body exceeds the limit of " + MAX_PUSH_BYTES + " bytes");
    }
    String messageId;
    ChatEvent event;
    try {
      JsonNode envelope = MAPPER.readTree(request.body());
      JsonNode message = envelope == null ? null : envelope.get("message");
      if (message == null || !message.isObject()) {
        throw new BadRequestException(400, "a Pub/Sub push must be a JSON object with a \"message\" object");
      }
      messageId = message.path("messageId").asText("");
      JsonNode data = message.get("data");
      if (data == null || !data.isTextual()) {
        throw new BadRequestException(400, "the pushed message has no \"data\" text");
      }
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(data.textValue());
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(400, "the pushed message's \"data\" is not base64: " + e.getMessage());
      }
      event = QueuedEventJson.read(new String(decoded, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      return poison("?", "a Pub/Sub push must be JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return poison("?", "the push could not be read: " + e.getMessage());
    } catch (BadRequestException e) {
      return poison("?", e.getMessage());
    }
    EventRouter r = router.get();
    try {
      switch (r.process(event)) {
        case IN_PROGRESS_ELSEWHERE:
          log.info("Pub/Sub message {}: event {} is being processed by another worker; Pub/Sub will deliver it"
              + " again", LogSafe.clean(messageId), LogSafe.ref(event.service(), event.id()));
          return WebhookResponse.text(409, "the event is being processed by another worker");
        case ALREADY_DONE:
          log.info("Pub/Sub message {}: event {} was done already", LogSafe.clean(messageId),
              LogSafe.ref(event.service(), event.id()));
          return WebhookResponse.text(204, "");
        default:
          return WebhookResponse.text(204, "");
      }
    } catch (IllegalArgumentException e) {
      return poison(messageId, e.getMessage());
    } catch (StoreUnavailableException e) {
      log.error("Pub/Sub message {}: event {}: {}; Pub/Sub will deliver it again", LogSafe.clean(messageId),
          LogSafe.ref(event.service(), event.id()), LogSafe.clean(e.getMessage()));
      return WebhookResponse.text(503, "the store is unavailable; deliver again later");
    } catch (RuntimeException e) {
      log.error("Pub/Sub message {}: event {} failed; Pub/Sub will deliver it again", LogSafe.clean(messageId),
          LogSafe.ref(event.service(), event.id()), e);
      return WebhookResponse.text(503, "the event could not be processed; deliver again later");
    }
  }

  private static WebhookResponse poison(String messageId, String why) {
    log.error("Pub/Sub message {}: not a queued event ({}); leaving it to the dead-letter topic",
        LogSafe.clean(messageId), LogSafe.clean(why));
    return WebhookResponse.text(400, "not a queued event: " + LogSafe.clean(why));
  }

  private static byte[] queryToken(String query) {
    if (query == null) {
      return new byte[0];
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("token=")) {
        try {
          return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return new byte[0];
        }
      }
    }
    return new byte[0];
  }

  @Override
  public String toString() {
    return "PubSubPushWorker{token=***}";
  }
}
