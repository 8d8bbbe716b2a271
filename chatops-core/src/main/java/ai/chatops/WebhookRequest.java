package ai.chatops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A platform-neutral HTTP request, as the host application received it: method, path, query string,
 * headers and the raw body bytes exactly as they arrived (signatures are computed over them).
 *
 * <p>Header names are looked up case-insensitively. Instances are immutable and thread-safe; the body is
 * copied in and out.
 *
 * <pre>{@code
 * WebhookRequest request = WebhookRequest.builder("POST", "/slack/events")
 *     .header("Content-Type", "application/json")
 *     .body(exchange.getRequestBody(), router.maxBodyBytes())
 *     .build();
 * }</pre>
 */
public final class WebhookRequest {
  private final String method;
  private final String path;
  private final String query;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  private WebhookRequest(Builder builder) {
    this.method = builder.method;
    this.path = builder.path;
    this.query = builder.query;
    Map<String, List<String>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> header : builder.headers.entrySet()) {
      copy.put(header.getKey(), List.copyOf(header.getValue()));
    }
    this.headers = Collections.unmodifiableMap(copy);
    this.body = builder.body;
  }

  /** Starts a request with the given method (upper-cased) and path (without the query string). */
  public static Builder builder(String method, String path) {
    return new Builder(method, path);
  }

  /** The HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** The path, without the query string, for example {@code /slack/events}. */
  public String path() {
    return path;
  }

  /** The raw query string without the leading {@code ?}, or empty. */
  public String query() {
    return query;
  }

  /** All headers, keyed by lower-case name. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of the named header (case-insensitive), if present. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** A copy of the raw body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body length in bytes, without copying it. */
  public int bodyLength() {
    return body.length;
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Returns a builder initialised with this request's values. */
  public Builder newBuilder() {
    Builder builder = new Builder(method, path).query(query).body(body);
    headers.forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
    return builder;
  }

  @Override
  public String toString() {
    // Headers and body are left out: they may carry signatures and tokens.
    return "WebhookRequest{" + method + " " + path + ", " + body.length + " bytes}";
  }

  /** Builds a {@link WebhookRequest}. Not thread-safe. */
  public static final class Builder {
    private final String method;
    private final String path;
    private String query = "";
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];

    private Builder(String method, String path) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      this.method = method.toUpperCase(Locale.ROOT);
      this.path = path;
    }

    /** Sets the raw query string (without {@code ?}). */
    public Builder query(String query) {
      this.query = Objects.requireNonNull(query, "query");
      return this;
    }

    /** Adds a header value; names are case-insensitive. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      String key = name.toLowerCase(Locale.ROOT);
      List<String> values = headers.get(key);
      if (values == null) {
        values = new ArrayList<>();
        headers.put(key, values);
      }
      values.add(value);
      return this;
    }

    /** Sets the body; the array is copied. */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body").clone();
      return this;
    }

    /** Sets the body as UTF-8 text. */
    public Builder body(String body) {
      this.body = Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /**
     * Reads the body from a stream, reading at most {@code maxBytes + 1} bytes, so that an oversized body
     * is refused without being held in memory.
     *
     * @throws BadRequestException with status 413 when the stream holds more than {@code maxBytes}
     * @throws UncheckedIOException when the stream fails
     */
    public Builder body(InputStream in, int maxBytes) {
      Objects.requireNonNull(in, "in");
      try {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
          throw new BadRequestException(413, "request body exceeds the limit of " + maxBytes + " bytes");
        }
        this.body = bytes;
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the request body", e);
      }
      return this;
    }

    public WebhookRequest build() {
      return new WebhookRequest(this);
    }
  }
}
