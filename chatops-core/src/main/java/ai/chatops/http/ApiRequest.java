package ai.chatops.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.MediaType;

/**
 * One call to a remote API, relative to a {@link Requester}'s base URL: method, path, query parameters,
 * headers and an optional body. Immutable and thread-safe; build one per call or keep it as a constant.
 *
 * <h2>Paths</h2>
 * The path is always relative to the base URL and keeps the base path: with base {@code
 * http://ci.example.com/jenkins/}, both {@code job/x/api/json} and {@code /job/x/api/json} mean {@code
 * http://ci.example.com/jenkins/job/x/api/json}. A leading slash is ignored rather than resolved against the
 * host root, so that an API mounted under a prefix keeps working. The path is taken as written: characters
 * that cannot appear in a URL path are percent-encoded and existing {@code %XX} escapes are kept. Put values
 * that come from users (job names, channel ids) in {@link Builder#pathSegment(String)}, which encodes every
 * character that has a meaning in a URL, including {@code /}, so that a value cannot reach another path.
 * {@code .} and {@code ..} segments, {@code ?}, {@code #} and absolute URLs are refused.
 *
 * <pre>{@code
 * ApiRequest job = ApiRequest.get("job").pathSegment(jobName).pathSegment("api").pathSegment("json").build();
 * ApiRequest request = ApiRequest.get("job/deploy/api/json").queryParam("tree", "color,lastBuild[number]").build();
 * ApiRequest post = ApiRequest.post("api/chat.postMessage").jsonBody(Map.of("channel", id, "text", text)).build();
 * }</pre>
 */
public final class ApiRequest {
  private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z0-9_-]*");
  private static final Pattern ABSOLUTE_URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);

  private final String method;
  private final String path;
  private final List<Map.Entry<String, String>> queryParameters;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final MediaType contentType;
  private final Object jsonBody;
  private final boolean hasJsonBody;
  private final List<Map.Entry<String, String>> formFields;

  private ApiRequest(Builder builder) {
    this.method = builder.method;
    this.path = builder.path.toString();
    this.queryParameters = List.copyOf(builder.queryParameters);
    this.headers = List.copyOf(builder.headers);
    this.body = builder.body;
    this.contentType = builder.contentType;
    this.jsonBody = builder.jsonBody;
    this.hasJsonBody = builder.hasJsonBody;
    this.formFields = List.copyOf(builder.formFields);
  }

  /** Starts a request with the given method (upper-cased) and a path relative to the base URL. */
  public static Builder builder(String method, String path) {
    return new Builder(method, path);
  }

  /** Starts a {@code GET} request. */
  public static Builder get(String path) {
    return new Builder("GET", path);
  }

  /** Starts a {@code POST} request; without a body it sends an empty one. */
  public static Builder post(String path) {
    return new Builder("POST", path);
  }

  /** Starts a {@code PUT} request; without a body it sends an empty one. */
  public static Builder put(String path) {
    return new Builder("PUT", path);
  }

  /** Starts a {@code PATCH} request; without a body it sends an empty one. */
  public static Builder patch(String path) {
    return new Builder("PATCH", path);
  }

  /** Starts a {@code DELETE} request. */
  public static Builder delete(String path) {
    return new Builder("DELETE", path);
  }

  /** The HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** The path relative to the base URL, without a leading slash, with user segments already encoded. */
  public String path() {
    return path;
  }

  /** The query parameters in the order they were added, not yet encoded. */
  public List<Map.Entry<String, String>> queryParameters() {
    return queryParameters;
  }

  /** Whether the request carries a body (bytes, JSON or form fields). */
  public boolean hasBody() {
    return body != null || hasJsonBody || !formFields.isEmpty();
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }

  byte[] body() {
    return body;
  }

  MediaType contentType() {
    return contentType;
  }

  boolean hasJsonBody() {
    return hasJsonBody;
  }

  Object jsonBody() {
    return jsonBody;
  }

  List<Map.Entry<String, String>> formFields() {
    return formFields;
  }

  /** Returns a builder holding this request's values. */
  public Builder newBuilder() {
    Builder builder = new Builder(method, path);
    builder.queryParameters.addAll(queryParameters);
    builder.headers.addAll(headers);
    builder.body = body;
    builder.contentType = contentType;
    builder.jsonBody = jsonBody;
    builder.hasJsonBody = hasJsonBody;
    builder.formFields.addAll(formFields);
    return builder;
  }

  /** The method and path only: header values, query values and the body may hold secrets. */
  @Override
  public String toString() {
    return "ApiRequest{" + method + " " + path + "}";
  }

  /** Builds an {@link ApiRequest}. Not thread-safe. */
  public static final class Builder {
    private final String method;
    private final StringBuilder path = new StringBuilder();
    private final List<Map.Entry<String, String>> queryParameters = new ArrayList<>();
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body;
    private MediaType contentType;
    private Object jsonBody;
    private boolean hasJsonBody;
    private final List<Map.Entry<String, String>> formFields = new ArrayList<>();

    private Builder(String method, String path) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      this.method = method.toUpperCase(Locale.ROOT);
      if (!METHOD.matcher(this.method).matches()) {
        throw new IllegalArgumentException("method must be an HTTP method name such as GET but was '" + method + "'");
      }
      if (ABSOLUTE_URL.matcher(path).matches()) {
        throw new IllegalArgumentException(
            "path must be relative to the requester's base URL but was the absolute URL '" + path + "'");
      }
      if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
        throw new IllegalArgumentException(
            "path must not contain '?' or '#' (use queryParam for the query) but was '" + path + "'");
      }
      String relative = path;
      while (relative.startsWith("/")) {
        relative = relative.substring(1);
      }
      for (String segment : relative.split("/", -1)) {
        if (isDotSegment(segment)) {
          throw new IllegalArgumentException(
              "path must not contain '.' or '..' segments (they would leave the base path) but was '" + path + "'");
        }
      }
      this.path.append(relative);
    }

    /**
     * Appends one path segment taken literally: every character with a meaning in a URL, {@code /} included,
     * is percent-encoded, so values from users cannot change the path's structure.
     *
     * @throws IllegalArgumentException when the segment is empty, {@code .} or {@code ..}
     */
    public Builder pathSegment(String segment) {
      Objects.requireNonNull(segment, "segment");
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("path segment must not be empty, '.' or '..' but was '" + segment + "'");
      }
      if (path.length() > 0 && path.charAt(path.length() - 1) != '/') {
        path.append('/');
      }
      path.append(encodeSegment(segment));
      return this;
    }

    /** Adds a query parameter; name and value are encoded when the URL is built. Repeats are kept. */
    public Builder queryParam(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      queryParameters.add(Map.entry(name, value));
      return this;
    }

    /**
     * Adds a header. An {@code Authorization} or {@code User-Agent} header set here replaces the requester's
     * for this request.
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      headers.add(Map.entry(name, value));
      return this;
    }

    /**
     * Sets the body to these bytes (copied) with the given content type, replacing any JSON body.
     *
     * @throws IllegalArgumentException when {@code contentType} is not a media type
     */
    public Builder body(byte[] bytes, String contentType) {
      Objects.requireNonNull(bytes, "bytes");
      Objects.requireNonNull(contentType, "contentType");
      MediaType mediaType = MediaType.parse(contentType);
      if (mediaType == null) {
        throw new IllegalArgumentException(
            "contentType must be a media type such as text/plain; charset=utf-8 but was '" + contentType + "'");
      }
      this.body = bytes.clone();
      this.contentType = mediaType;
      this.jsonBody = null;
      this.hasJsonBody = false;
      return this;
    }

    /** Sets the body to this text, UTF-8 encoded, with the given content type. */
    public Builder body(String text, String contentType) {
      Objects.requireNonNull(text, "text");
      return body(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /**
     * Sets the body to this value as JSON ({@code application/json; charset=utf-8}), replacing any byte body.
     * The requester's {@code ObjectMapper} serialises it each time the request is executed; {@code null} sends
     * {@code null}.
     */
    public Builder jsonBody(Object value) {
      this.jsonBody = value;
      this.hasJsonBody = true;
      this.body = null;
      this.contentType = null;
      return this;
    }

    /** Adds a form field; the body becomes {@code application/x-www-form-urlencoded}. */
    public Builder formField(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      formFields.add(Map.entry(name, value));
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalStateException when form fields are combined with another body, or a {@code GET} or
     *     {@code HEAD} request has a body
     */
    public ApiRequest build() {
      boolean otherBody = body != null || hasJsonBody;
      if (!formFields.isEmpty() && otherBody) {
        throw new IllegalStateException(
            "a request has one body: form fields cannot be combined with "
                + (hasJsonBody ? "jsonBody" : "body") + " (" + method + " " + path + ")");
      }
      if ((method.equals("GET") || method.equals("HEAD")) && (otherBody || !formFields.isEmpty())) {
        throw new IllegalStateException(method + " requests cannot have a body (" + method + " " + path + ")");
      }
      return new ApiRequest(this);
    }
  }

  private static boolean isDotSegment(String segment) {
    String lower = segment.toLowerCase(Locale.ROOT);
    return lower.equals(".") || lower.equals("..") || lower.equals("%2e") || lower.equals("%2e%2e")
        || lower.equals(".%2e") || lower.equals("%2e.");
  }

  /** Percent-encodes everything except RFC 3986 unreserved characters, as UTF-8. */
  private static String encodeSegment(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
