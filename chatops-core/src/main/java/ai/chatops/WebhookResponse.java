package ai.chatops;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host application writes back to the caller: a status, headers and a body. Immutable and
 * thread-safe.
 */
public final class WebhookResponse {
  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private WebhookResponse(int status, Map<String, String> headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599 but was " + status);
    }
    this.status = status;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body;
  }

  /** 200 with an empty body: the usual acknowledgement. */
  public static WebhookResponse ok() {
    return new WebhookResponse(200, Map.of(), new byte[0]);
  }

  /** A response with a plain-text body ({@code text/plain; charset=utf-8}). */
  public static WebhookResponse text(int status, String text) {
    return new WebhookResponse(
        status,
        Map.of("Content-Type", "text/plain; charset=utf-8"),
        text.getBytes(StandardCharsets.UTF_8));
  }

  /** A response with a JSON body ({@code application/json; charset=utf-8}). */
  public static WebhookResponse json(int status, String json) {
    return new WebhookResponse(
        status,
        Map.of("Content-Type", "application/json; charset=utf-8"),
        json.getBytes(StandardCharsets.UTF_8));
  }

  /** A response with the given status, headers and body (copied). */
  public static WebhookResponse of(int status, Map<String, String> headers, byte[] body) {
    return new WebhookResponse(
        status, Objects.requireNonNull(headers, "headers"), Objects.requireNonNull(body, "body").clone());
  }

  /** Returns a copy of this response with one more header. */
  public WebhookResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new WebhookResponse(status, copy, body);
  }

  public int status() {
    return status;
  }

  /** The headers, in the order they were set. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The named header, looked up case-insensitively. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "WebhookResponse{" + status + ", " + body.length + " bytes}";
  }
}
