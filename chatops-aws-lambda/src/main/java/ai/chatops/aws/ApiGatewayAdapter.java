package ai.chatops.aws;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Maps Amazon API Gateway events to the router and back: the REST API's proxy integration (payload format
 * 1.0, {@link APIGatewayProxyRequestEvent}) and the HTTP API's (payload format 2.0,
 * {@link APIGatewayV2HTTPEvent}).
 *
 * <pre>{@code
 * public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
 *   private static final ApiGatewayAdapter ADAPTER = ApiGatewayAdapter.create(Bot.ROUTER::get);
 *
 *   public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
 *     return ADAPTER.handle(event);
 *   }
 * }
 * }</pre>
 *
 * <p>Bodies that API Gateway base64-encoded are decoded to the exact bytes that were sent, so signatures
 * verify. Header names arrive in any case and are matched case-insensitively; multi-value headers (payload
 * 1.0) keep every value; payload 2.0 joins repeated headers with commas, and its cookies are passed as one
 * {@code Cookie} header. Response bodies that are not text are base64-encoded.
 *
 * <p>Immutable and thread-safe. The router is looked up through the supplier on each event, so it can be
 * built on the first event (see {@link LazyRouter}).
 */
public final class ApiGatewayAdapter {
  private final Supplier<EventRouter> router;
  private final String basePath;

  private ApiGatewayAdapter(Supplier<EventRouter> router, String basePath) {
    this.router = router;
    this.basePath = basePath;
  }

  /** An adapter that hands every event to the router the supplier returns. */
  public static ApiGatewayAdapter create(Supplier<EventRouter> router) {
    return new ApiGatewayAdapter(Objects.requireNonNull(router, "router"), "");
  }

  /**
   * Returns an adapter that removes {@code prefix} from request paths before routing: the stage name that
   * payload 2.0 puts in {@code rawPath} for stages other than {@code $default} ({@code /prod}), or a custom
   * domain's base path.
   */
  public ApiGatewayAdapter withBasePath(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw new IllegalArgumentException("a base path must start with / and not end with / but was " + prefix);
    }
    return new ApiGatewayAdapter(router, prefix);
  }

  /** Handles a REST API proxy event (payload format 1.0). */
  public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event) {
    WebhookResponse response = router.get().handle(toRequest(event));
    Body body = Body.of(response);
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(response.status())
        .withHeaders(new LinkedHashMap<>(response.headers()))
        .withBody(body.text)
        .withIsBase64Encoded(body.base64);
  }

  /** Handles an HTTP API event (payload format 2.0). */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    WebhookResponse response = router.get().handle(toRequest(event));
    Body body = Body.of(response);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.status())
        .withHeaders(new LinkedHashMap<>(response.headers()))
        .withBody(body.text)
        .withIsBase64Encoded(body.base64)
        .build();
  }

  /** The request a REST API proxy event (payload format 1.0) stands for. */
  public WebhookRequest toRequest(APIGatewayProxyRequestEvent event) {
    String method = event.getHttpMethod() == null ? "GET" : event.getHttpMethod();
    String path = event.getPath() == null ? "/" : event.getPath();
    WebhookRequest.Builder b = WebhookRequest.builder(method, stripBase(path));
    Map<String, List<String>> multi = event.getMultiValueHeaders();
    // Loops, not forEach lambdas: this runs in the acknowledging function's cold start.
    if (multi != null && !multi.isEmpty()) {
      for (Map.Entry<String, List<String>> header : multi.entrySet()) {
        if (header.getValue() == null) {
          continue;
        }
        for (String value : header.getValue()) {
          if (value != null) {
            b.header(header.getKey(), value);
          }
        }
      }
    } else if (event.getHeaders() != null) {
      addHeaders(b, event.getHeaders());
    }
    b.query(query(event.getMultiValueQueryStringParameters(), event.getQueryStringParameters()));
    b.body(decode(event.getBody(), Boolean.TRUE.equals(event.getIsBase64Encoded())));
    return b.build();
  }

  private static void addHeaders(WebhookRequest.Builder b, Map<String, String> headers) {
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getValue() != null) {
        b.header(header.getKey(), header.getValue());
      }
    }
  }

  /** The request an HTTP API event (payload format 2.0) stands for. */
  public WebhookRequest toRequest(APIGatewayV2HTTPEvent event) {
    String method = "GET";
    if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null
        && event.getRequestContext().getHttp().getMethod() != null) {
      method = event.getRequestContext().getHttp().getMethod();
    }
    String path = event.getRawPath() == null ? "/" : event.getRawPath();
    WebhookRequest.Builder b = WebhookRequest.builder(method, stripBase(path));
    if (event.getHeaders() != null) {
      addHeaders(b, event.getHeaders());
    }
    if (event.getCookies() != null && !event.getCookies().isEmpty()) {
      b.header("Cookie", String.join("; ", event.getCookies()));
    }
    b.query(event.getRawQueryString() == null ? "" : event.getRawQueryString());
    b.body(decode(event.getBody(), event.getIsBase64Encoded()));
    return b.build();
  }

  private String stripBase(String path) {
    if (!basePath.isEmpty() && (path.equals(basePath) || path.startsWith(basePath + "/"))) {
      String rest = path.substring(basePath.length());
      return rest.isEmpty() ? "/" : rest;
    }
    return path;
  }

  private static byte[] decode(String body, boolean base64) {
    if (body == null) {
      return new byte[0];
    }
    if (base64) {
      try {
        return Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        // API Gateway never sends this; a hand-made test event might. Refused by the handler as a bad body.
        return body.getBytes(StandardCharsets.UTF_8);
      }
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** Payload 1.0 parses the query string; it is rebuilt, URL-encoded, in the order API Gateway gave it. */
  private static String query(Map<String, List<String>> multi, Map<String, String> single) {
    StringJoiner joiner = new StringJoiner("&");
    if (multi != null && !multi.isEmpty()) {
      multi.forEach((name, values) -> {
        if (values != null) {
          values.forEach(v -> joiner.add(encode(name) + "=" + encode(v)));
        }
      });
    } else if (single != null) {
      single.forEach((name, value) -> joiner.add(encode(name) + "=" + encode(value)));
    }
    return joiner.toString();
  }

  private static String encode(String s) {
    return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A response body as API Gateway takes it: text as is, anything else base64-encoded. */
  private static final class Body {
    final String text;
    final boolean base64;

    private Body(String text, boolean base64) {
      this.text = text;
      this.base64 = base64;
    }

    static Body of(WebhookResponse response) {
      byte[] bytes = response.body();
      String type = response.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      boolean text = bytes.length == 0 || type.startsWith("text/") || type.contains("json")
          || type.contains("xml") || type.contains("x-www-form-urlencoded") || type.contains("javascript");
      return text
          ? new Body(new String(bytes, StandardCharsets.UTF_8), false)
          : new Body(Base64.getEncoder().encodeToString(bytes), true);
    }
  }
}
