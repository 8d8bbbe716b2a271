package ai.chatops.http;

import ai.chatops.http.internal.ReasonPhrases;
import ai.chatops.http.internal.Redaction;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;

/**
 * A successful (2xx) response, read fully into memory: status, headers and body bytes, with helpers to read the
 * body as text or map it with the requester's {@code ObjectMapper}. Immutable and thread-safe.
 */
public final class ApiResponse {
  private final String method;
  private final String url;
  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final ObjectMapper mapper;

  ApiResponse(String method, String url, int status, Map<String, List<String>> headers, byte[] body, ObjectMapper mapper) {
    this.method = method;
    this.url = url;
    this.status = status;
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body;
    this.mapper = mapper;
  }

  /** The HTTP status, 200 to 299. */
  public int status() {
    return status;
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

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded with the charset of its {@code Content-Type}, UTF-8 when none is given. */
  public String bodyAsString() {
    Charset charset = StandardCharsets.UTF_8;
    MediaType type = header("Content-Type").map(MediaType::parse).orElse(null);
    if (type != null) {
      charset = type.charset(StandardCharsets.UTF_8);
    }
    return new String(body, charset);
  }

  /**
   * The body parsed as a JSON tree; an empty body gives a missing node.
   *
   * @throws ApiException when the body is not JSON
   */
  public JsonNode json() {
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw notMappable("JSON", e);
    }
  }

  /**
   * The body mapped to {@code type}.
   *
   * @throws ApiException when the body cannot be mapped
   */
  public <T> T json(Class<T> type) {
    return json(mapper.constructType(type));
  }

  /**
   * The body mapped to a generic type, for example {@code new TypeReference<List<Job>>() {}}.
   *
   * @throws ApiException when the body cannot be mapped
   */
  public <T> T json(TypeReference<T> type) {
    return json(mapper.getTypeFactory().constructType(type));
  }

  private <T> T json(JavaType type) {
    try {
      return mapper.readValue(body, type);
    } catch (IOException e) {
      throw notMappable(type.toCanonical(), e);
    }
  }

  private ApiException notMappable(String target, IOException e) {
    String detail = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
    return new ApiException(
        method,
        url,
        status,
        ReasonPhrases.describe(status, null) + ", but the body is not " + target + " (" + Redaction.excerpt(detail) + ")",
        new String(body, StandardCharsets.UTF_8),
        e);
  }

  @Override
  public String toString() {
    return "ApiResponse{" + status + ", " + body.length + " bytes}";
  }
}
