package ai.chatops.http;

import ai.chatops.ConfigurationException;
import ai.chatops.RouterObserver;
import ai.chatops.http.internal.ReasonPhrases;
import ai.chatops.http.internal.Redaction;
import ai.chatops.http.internal.RetryAfter;
import ai.chatops.http.internal.Sleeper;
import ai.chatops.http.internal.Tls;
import ai.chatops.internal.Observers;
import ai.chatops.toolkit.JsonLimits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.UnknownServiceException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one remote HTTP API (a Jenkins server, the Slack Web API): a base URL with its authentication, trusted
 * certificates, timeouts and retry policy, on OkHttp.
 *
 * <pre>{@code
 * Requester jenkins = Requester.builder()
 *     .baseUrl("https://ci.example.com/jenkins/")
 *     .basicAuth(BasicAuth.of(user, apiToken))
 *     .caCertificatePem(companyRootPem)
 *     .build();
 * Job job = jenkins.json(ApiRequest.get("job").pathSegment(name).pathSegment("api").pathSegment("json").build(), Job.class);
 * }</pre>
 *
 * <h2>Results</h2>
 * {@link #execute} returns the response when the status is 2xx and throws {@link ApiException} for any other
 * status, and when no response arrives ({@link ApiException#status()} is 0). Bodies are read into memory up
 * to {@code maxResponseBytes}; a longer body is an {@code ApiException}.
 *
 * <h2>Retries</h2>
 * A request is sent at most {@code 1 + maxRetries} times. It is sent again after:
 * <ul>
 *   <li>a {@code 429 Too Many Requests} or {@code 503 Service Unavailable} response, for every method (the
 *       server says it did not act on the request);</li>
 *   <li>a network failure (connection refused or reset, timeout) only for the idempotent methods {@code GET,
 *       HEAD, PUT, DELETE, OPTIONS}: a {@code POST} or {@code PATCH} may have reached the server, and sending
 *       it twice could, say, start two builds. TLS certificate failures are never retried.</li>
 * </ul>
 * The wait before retry {@code n} (1-based) is the response's {@code Retry-After} (delta-seconds or HTTP
 * date) when present, otherwise {@code initialBackoff * 2^(n-1)}; either way at most {@code maxBackoff}. The
 * call timeout applies to each attempt, not to the whole sequence. When the last attempt fails, its status
 * (or 0) is reported as {@code ApiException}.
 *
 * <h2>Sharing</h2>
 * Immutable and thread-safe: build one per remote API and share it. Use {@link #newBuilder()} for a variant
 * (another base URL, other credentials); variants share the connection pool and threads of the original.
 * To share them across unrelated requesters, pass one {@link OkHttpClient} to {@link
 * Builder#okHttpClient(OkHttpClient)}.
 *
 * <h2>Observers</h2>
 * While the router processes an event on this thread, each attempt is reported to the router's observers
 * ({@link RouterObserver#outboundCompleted}): method, host, path without the query, status and time, never
 * headers, query or bodies; a tracing observer makes it a client span of the event's trace. A requester whose
 * paths hold a credential says so with {@link Builder#secretPath(boolean)}.
 *
 * <p>Credentials never appear in messages, logs or {@link #toString()}.
 */
public final class Requester {
  private static final Logger LOG = LoggerFactory.getLogger(Requester.class);
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");
  private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT");
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final HttpUrl baseUrl;
  private final BasicAuth basicAuth;
  private final String bearerToken;
  private final String caCertificatePem;
  private final List<X509Certificate> caCertificates;
  private final boolean sslVerify;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final long maxResponseBytes;
  private final String userAgent;
  private final boolean secretPath;
  private final ObjectMapper objectMapper;
  private final Sleeper sleeper;
  private final Clock clock;
  private final OkHttpClient sharedClient;
  private final OkHttpClient client;

  private Requester(Builder builder) {
    this.baseUrl = builder.baseUrl;
    this.basicAuth = builder.basicAuth;
    this.bearerToken = builder.bearerToken;
    this.caCertificatePem = builder.caCertificatePem;
    this.caCertificates = builder.caCertificates;
    this.sslVerify = builder.sslVerify;
    this.connectTimeout = builder.connectTimeout;
    this.readTimeout = builder.readTimeout;
    this.callTimeout = builder.callTimeout;
    this.maxRetries = builder.maxRetries;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.maxResponseBytes = builder.maxResponseBytes;
    this.userAgent = builder.userAgent;
    this.secretPath = builder.secretPath;
    this.objectMapper = builder.objectMapper != null ? builder.objectMapper : defaultObjectMapper();
    this.sleeper = builder.sleeper;
    this.clock = builder.clock;
    this.sharedClient = builder.okHttpClient != null ? builder.okHttpClient : new OkHttpClient();

    OkHttpClient.Builder okBuilder =
        sharedClient
            .newBuilder()
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .writeTimeout(readTimeout)
            .callTimeout(callTimeout);
    if (!sslVerify) {
      X509TrustManager trustAll = Tls.trustAll();
      okBuilder.sslSocketFactory(Tls.socketFactory(trustAll), trustAll).hostnameVerifier(Tls.ANY_HOST);
    } else if (caCertificates != null) {
      X509TrustManager trustOnly = Tls.trustOnly(caCertificates);
      okBuilder.sslSocketFactory(Tls.socketFactory(trustOnly), trustOnly);
    }
    this.client = okBuilder.build();
  }

  /** Starts a builder with the defaults listed on each setting; {@code baseUrl} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this requester's settings; the requester it builds shares this one's pool. */
  public Builder newBuilder() {
    Builder builder = new Builder();
    builder.baseUrl = baseUrl;
    builder.basicAuth = basicAuth;
    builder.bearerToken = bearerToken;
    builder.caCertificatePem = caCertificatePem;
    builder.caCertificates = caCertificates;
    builder.sslVerify = sslVerify;
    builder.connectTimeout = connectTimeout;
    builder.readTimeout = readTimeout;
    builder.callTimeout = callTimeout;
    builder.maxRetries = maxRetries;
    builder.initialBackoff = initialBackoff;
    builder.maxBackoff = maxBackoff;
    builder.maxResponseBytes = maxResponseBytes;
    builder.userAgent = userAgent;
    builder.secretPath = secretPath;
    builder.objectMapper = objectMapper;
    builder.sleeper = sleeper;
    builder.clock = clock;
    builder.okHttpClient = sharedClient;
    return builder;
  }

  /** The base URL, always ending in {@code /}. */
  public String baseUrl() {
    return baseUrl.toString();
  }

  /** The mapper used for JSON request and response bodies. */
  public ObjectMapper objectMapper() {
    return objectMapper;
  }

  /**
   * Sends the request, retrying as the class documentation describes, and returns the 2xx response.
   *
   * @throws ApiException for any other status after the last attempt, a body over {@code maxResponseBytes},
   *     or no response at all (status 0)
   */
  public ApiResponse execute(ApiRequest request) {
    Objects.requireNonNull(request, "request");
    HttpUrl url = resolve(request);
    Request okRequest = toOkHttp(request, url);
    String method = request.method();
    int attempts = maxRetries + 1;
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt == attempts;
      Call call = client.newCall(okRequest);
      Duration wait;
      String reason;
      boolean observing = Observers.observing();
      long started = observing ? System.nanoTime() : 0;
      int observed = 0;
      try (Response response = call.execute()) {
        int status = response.code();
        observed = status;
        if ((status == 429 || status == 503) && !last) {
          wait = backoff(attempt, response.header("Retry-After"));
          reason = ReasonPhrases.describe(status, response.message());
        } else {
          return finish(method, url, response, attempt);
        }
      } catch (IOException e) {
        if (last || !IDEMPOTENT.contains(method) || !retryable(e)) {
          throw new ApiException(
              method, url.toString(), 0, describe(e) + attempts(attempt), "", e);
        }
        wait = backoff(attempt, null);
        reason = describe(e);
      } finally {
        if (observing) {
          observe(method, url, observed, attempt, started);
        }
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "{} {} attempt {} of {}: {}; retrying in {} ms",
            method, Redaction.url(url), attempt, attempts, reason, wait.toMillis());
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(
            method, url.toString(), 0, "interrupted while waiting to retry after " + reason, "", e);
      }
    }
  }

  /** Tells the observers of the event being processed about one attempt; never throws. */
  private void observe(String method, HttpUrl url, int status, int attempt, long started) {
    Observers.outbound(outboundCall(method, url, status, attempt, started));
  }

  private RouterObserver.OutboundCall outboundCall(String method, HttpUrl url, int status, int attempt,
      long started) {
    String path = url.encodedPath();
    if (secretPath) {
      String base = baseUrl.encodedPath();
      path = (base.endsWith("/") ? base : base + "/") + "{secret}";
    }
    return new RouterObserver.OutboundCall(method, url.host(), path, status, attempt,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Sends the request without holding the calling thread (OkHttp's {@code enqueue}), with the same retries,
   * limits and failures as {@link #execute}: the stage completes with the 2xx response, or fails with an
   * {@link ApiException}. It completes on one of OkHttp's threads; continue elsewhere before doing slow work.
   * Retries wait without a thread ({@link CompletableFuture#delayedExecutor}). Cancelling the returned future
   * cancels the call in flight and sends no further attempt.
   *
   * <p>Calls in flight at once are limited by the OkHttp client's {@link okhttp3.Dispatcher} (64, and 5 per
   * host, by default); further calls wait in its queue. For more, pass a client with a larger dispatcher to
   * {@link Builder#okHttpClient}.
   */
  public CompletableFuture<ApiResponse> executeAsync(ApiRequest request) {
    Objects.requireNonNull(request, "request");
    HttpUrl url = resolve(request);
    Request okRequest = toOkHttp(request, url);
    CompletableFuture<ApiResponse> result = new CompletableFuture<>();
    AtomicReference<Call> current = new AtomicReference<>();
    Attempts observed = Observers.observing() ? new Attempts(Observers.continuation()) : null;
    result.whenComplete((response, failure) -> {
      Call inFlight = current.get();
      if (result.isCancelled() && inFlight != null) {
        inFlight.cancel();
      }
      if (observed != null) {
        observed.finish(() -> { }); // cancelled: the event's processing is left all the same
      }
    });
    attempt(request.method(), url, okRequest, 1, result, current, observed);
    return result;
  }

  /**
   * The attempts of one asynchronous call, reported when it ends to the observers of the event that started it,
   * in the rest of that event's processing on the thread that ends the call; what the caller chains on the
   * call (its next call, for one) runs there too, so it is observed as part of the event.
   */
  private final class Attempts {
    private final RouterObserver.Continuation rest;
    private final List<RouterObserver.OutboundCall> calls = new ArrayList<>();
    private boolean reported;

    Attempts(RouterObserver.Continuation rest) {
      this.rest = rest;
    }

    synchronized void add(String method, HttpUrl url, int status, int attempt, long started) {
      calls.add(outboundCall(method, url, status, attempt, started));
    }

    /** Reports the attempts and runs {@code completion}, in the event's processing; once. */
    void finish(Runnable completion) {
      List<RouterObserver.OutboundCall> done;
      synchronized (this) {
        if (reported) {
          completion.run();
          return;
        }
        reported = true;
        done = List.copyOf(calls);
      }
      RouterObserver.Scope scope = rest.open();
      try {
        done.forEach(Observers::outbound);
        completion.run();
      } finally {
        scope.close();
      }
    }
  }

  private static void complete(Attempts observed, Runnable completion) {
    if (observed == null) {
      completion.run();
    } else {
      observed.finish(completion);
    }
  }

  /**
   * Sends the request as {@link #executeAsync} does and maps the 2xx response body to {@code type}; the
   * mapping runs on the thread that completes the call.
   */
  public <T> CompletableFuture<T> jsonAsync(ApiRequest request, Class<T> type) {
    return executeAsync(request).thenApply(response -> response.json(type));
  }

  /** Sends attempt {@code attempt} of an asynchronous call, and the next one after a retryable failure. */
  private void attempt(String method, HttpUrl url, Request okRequest, int attempt,
      CompletableFuture<ApiResponse> result, AtomicReference<Call> current, Attempts observed) {
    if (result.isDone()) {
      return; // cancelled
    }
    int attempts = maxRetries + 1;
    boolean last = attempt == attempts;
    Call call = client.newCall(okRequest);
    current.set(call);
    if (result.isCancelled()) {
      return;
    }
    long started = observed != null ? System.nanoTime() : 0;
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        try (response) {
          int status = response.code();
          if (observed != null) {
            observed.add(method, url, status, attempt, started);
          }
          if ((status == 429 || status == 503) && !last) {
            retry(ReasonPhrases.describe(status, response.message()),
                backoff(attempt, response.header("Retry-After")));
            return;
          }
          ApiResponse done = finish(method, url, response, attempt);
          complete(observed, () -> result.complete(done));
        } catch (RuntimeException e) {
          complete(observed, () -> result.completeExceptionally(e));
        }
      }

      @Override
      public void onFailure(Call c, IOException e) {
        if (observed != null) {
          observed.add(method, url, 0, attempt, started);
        }
        if (last || !IDEMPOTENT.contains(method) || !retryable(e) || c.isCanceled()) {
          ApiException failure = new ApiException(method, url.toString(), 0, describe(e) + attempts(attempt), "", e);
          complete(observed, () -> result.completeExceptionally(failure));
          return;
        }
        retry(describe(e), backoff(attempt, null));
      }

      private void retry(String reason, Duration wait) {
        if (LOG.isDebugEnabled()) {
          LOG.debug("{} {} attempt {} of {}: {}; retrying in {} ms",
              method, Redaction.url(url), attempt, attempts, reason, wait.toMillis());
        }
        Executor later = CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
        later.execute(() -> attempt(method, url, okRequest, attempt + 1, result, current, observed));
      }
    });
  }

  /**
   * Sends the request and maps the 2xx response body to {@code type}.
   *
   * @throws ApiException as {@link #execute} does, and when the body cannot be mapped
   */
  public <T> T json(ApiRequest request, Class<T> type) {
    return execute(request).json(type);
  }

  /**
   * Sends the request and maps the 2xx response body to a generic type.
   *
   * @throws ApiException as {@link #execute} does, and when the body cannot be mapped
   */
  public <T> T json(ApiRequest request, TypeReference<T> type) {
    return execute(request).json(type);
  }

  private ApiResponse finish(String method, HttpUrl url, Response response, int attempt) {
    int status = response.code();
    String described = ReasonPhrases.describe(status, response.message());
    byte[] body;
    try {
      body = readCapped(response.body());
    } catch (IOException e) {
      throw new ApiException(
          method, url.toString(), status, described + ", but reading the body failed: " + describe(e), "", e);
    }
    if (body == null) {
      throw new ApiException(
          method,
          url.toString(),
          status,
          described + ", but the body exceeds maxResponseBytes (" + maxResponseBytes + " bytes)",
          "",
          null);
    }
    if (status < 200 || status > 299) {
      throw new ApiException(
          method, url.toString(), status, described + attempts(attempt), new String(body, StandardCharsets.UTF_8), null);
    }
    return new ApiResponse(method, url.toString(), status, response.headers().toMultimap(), body, objectMapper);
  }

  /** Reads at most {@code maxResponseBytes}; {@code null} when the body is longer. */
  private byte[] readCapped(ResponseBody body) throws IOException {
    long declared = body.contentLength();
    if (declared > maxResponseBytes) {
      return null;
    }
    BufferedSource source = body.source();
    if (source.request(maxResponseBytes + 1)) {
      return null;
    }
    return source.readByteArray();
  }

  private Duration backoff(int attempt, String retryAfter) {
    Optional<Duration> asked = RetryAfter.parse(retryAfter, clock.instant());
    Duration wait;
    if (asked.isPresent()) {
      wait = asked.get();
    } else {
      int doublings = Math.min(attempt - 1, 30);
      wait = initialBackoff.multipliedBy(1L << doublings);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  private static boolean retryable(IOException e) {
    // The server answered in a way that another attempt will not change.
    return !(e instanceof SSLHandshakeException
        || e instanceof SSLPeerUnverifiedException
        || e instanceof ProtocolException
        || e instanceof UnknownServiceException);
  }

  private static String attempts(int attempt) {
    return attempt > 1 ? " (after " + attempt + " attempts)" : "";
  }

  private static String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    String message = e.getMessage();
    return message == null || message.isBlank() ? kind : kind + ": " + Redaction.excerpt(message);
  }

  private HttpUrl resolve(ApiRequest request) {
    HttpUrl.Builder url = baseUrl.newBuilder();
    if (!request.path().isEmpty()) {
      url.addEncodedPathSegments(request.path());
    }
    for (Map.Entry<String, String> parameter : request.queryParameters()) {
      url.addQueryParameter(parameter.getKey(), parameter.getValue());
    }
    return url.build();
  }

  private Request toOkHttp(ApiRequest request, HttpUrl url) {
    Request.Builder okRequest = new Request.Builder().url(url);
    boolean hasAuthorization = false;
    boolean hasUserAgent = false;
    for (Map.Entry<String, String> header : request.headers()) {
      okRequest.addHeader(header.getKey(), header.getValue());
      hasAuthorization |= header.getKey().equalsIgnoreCase("Authorization");
      hasUserAgent |= header.getKey().equalsIgnoreCase("User-Agent");
    }
    if (!hasAuthorization && basicAuth != null) {
      okRequest.header("Authorization", basicAuth.headerValue());
    }
    if (!hasAuthorization && bearerToken != null) {
      okRequest.header("Authorization", "Bearer " + bearerToken);
    }
    if (!hasUserAgent) {
      okRequest.header("User-Agent", userAgent);
    }
    okRequest.method(request.method(), body(request));
    return okRequest.build();
  }

  private RequestBody body(ApiRequest request) {
    if (request.body() != null) {
      return RequestBody.create(request.body(), request.contentType());
    }
    if (request.hasJsonBody()) {
      try {
        return RequestBody.create(objectMapper.writeValueAsBytes(request.jsonBody()), JSON);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "jsonBody of " + request + " cannot be written as JSON: " + e.getOriginalMessage(), e);
      }
    }
    if (!request.formFields().isEmpty()) {
      FormBody.Builder form = new FormBody.Builder(StandardCharsets.UTF_8);
      request.formFields().forEach(field -> form.add(field.getKey(), field.getValue()));
      return form.build();
    }
    return BODY_REQUIRED.contains(request.method()) ? RequestBody.create(new byte[0], null) : null;
  }

  private static ObjectMapper defaultObjectMapper() {
    // Remote APIs add fields over time; a client that maps the fields it needs should not break on them.
    // Read limits (nesting, string and number lengths) as for every stranger's JSON: see JsonLimits.
    return JsonMapper.builder(JsonLimits.factory())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  }

  /** The base URL and the kind of authentication; never the credentials. */
  @Override
  public String toString() {
    String auth = basicAuth != null ? "basic(" + basicAuth.user() + ")" : bearerToken != null ? "bearer" : "none";
    return "Requester{" + baseUrl + ", auth=" + auth + ", sslVerify=" + sslVerify
        + (caCertificatePem != null ? ", caCertificatePem" : "") + "}";
  }

  /** Builds a {@link Requester}. Not thread-safe. */
  public static final class Builder {
    private HttpUrl baseUrl;
    private BasicAuth basicAuth;
    private String bearerToken;
    private String caCertificatePem;
    private List<X509Certificate> caCertificates;
    private boolean sslVerify = true;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofSeconds(60);
    private int maxRetries = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private long maxResponseBytes = 16L * 1024 * 1024;
    private String userAgent = "chatops-java";
    private boolean secretPath;
    private ObjectMapper objectMapper;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Clock clock = Clock.systemUTC();
    private OkHttpClient okHttpClient;

    private Builder() {}

    /**
     * Sets the base URL every {@link ApiRequest} path is relative to (required). A {@code /} is added to its
     * path when missing, so {@code https://h/jenkins} and {@code https://h/jenkins/} are the same.
     *
     * @throws ConfigurationException when it is not an absolute {@code http} or {@code https} URL, or holds
     *     user info, a query or a fragment
     */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      HttpUrl parsed = HttpUrl.parse(baseUrl);
      if (parsed == null) {
        throw new ConfigurationException(
            "baseUrl must be an absolute http:// or https:// URL such as https://ci.example.com/ but was '"
                + Redaction.url(baseUrl) + "'");
      }
      if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
        throw new ConfigurationException(
            "baseUrl must not contain user info (user:password@); use basicAuth(...) instead: '"
                + Redaction.url(parsed) + "'");
      }
      if (parsed.query() != null || parsed.fragment() != null) {
        throw new ConfigurationException(
            "baseUrl must not contain a query or fragment (add query parameters to each ApiRequest) but was '"
                + Redaction.url(parsed) + "'");
      }
      String path = parsed.encodedPath();
      this.baseUrl = path.endsWith("/") ? parsed : parsed.newBuilder().encodedPath(path + "/").build();
      return this;
    }

    /** Authenticates every request with HTTP Basic authentication. Cannot be combined with a bearer token. */
    public Builder basicAuth(BasicAuth basicAuth) {
      this.basicAuth = Objects.requireNonNull(basicAuth, "basicAuth");
      return this;
    }

    /**
     * Authenticates every request with {@code Authorization: Bearer <token>}. Cannot be combined with basic
     * authentication.
     *
     * @throws IllegalArgumentException when the token is blank or holds whitespace or control characters
     */
    public Builder bearerToken(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        // The token itself stays out of the message.
        throw new IllegalArgumentException(
            "bearerToken must be non-blank printable ASCII without spaces (" + token.length() + " characters given)");
      }
      this.bearerToken = token;
      return this;
    }

    /**
     * Trusts exactly the certificates in this PEM text (one or more {@code CERTIFICATE} blocks) as roots for
     * https, instead of the JVM's trusted roots. Host names are still verified.
     *
     * @throws ConfigurationException when the text holds no certificate or a certificate cannot be read
     */
    public Builder caCertificatePem(String pem) {
      this.caCertificates = Tls.parseCertificates(pem, "caCertificatePem");
      this.caCertificatePem = pem;
      return this;
    }

    /**
     * Whether to verify the server's certificate and host name; {@code true} by default. {@code false}
     * accepts any certificate for any host, which lets anyone on the network read and change the traffic,
     * credentials included; {@link #build()} logs a warning. Prefer {@link #caCertificatePem(String)}.
     */
    public Builder sslVerify(boolean sslVerify) {
      this.sslVerify = sslVerify;
      return this;
    }

    /** Sets the time to establish a connection; 10 seconds by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Sets the longest pause between bytes while reading or writing; 30 seconds by default. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /** Sets the time one attempt may take from start to the end of the body; 60 seconds by default. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /** Sets how many times a request is sent again after a retryable failure; 3 by default, 0 disables. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be 0 or more but was " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** Sets the wait before the first retry when the server gives no {@code Retry-After}; 500 ms by default. */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = notNegative(backoff, "initialBackoff");
      return this;
    }

    /** Sets the longest wait between attempts, also for {@code Retry-After}; 30 seconds by default. */
    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = notNegative(backoff, "maxBackoff");
      return this;
    }

    /** Sets the largest response body read into memory; 16 MiB by default. */
    public Builder maxResponseBytes(long maxResponseBytes) {
      if (maxResponseBytes < 0 || maxResponseBytes == Long.MAX_VALUE) {
        throw new IllegalArgumentException("maxResponseBytes must be 0 or more but was " + maxResponseBytes);
      }
      this.maxResponseBytes = maxResponseBytes;
      return this;
    }

    /** Sets the {@code User-Agent} header; {@code chatops-java} by default. */
    public Builder userAgent(String userAgent) {
      Objects.requireNonNull(userAgent, "userAgent");
      if (userAgent.isBlank()) {
        throw new IllegalArgumentException("userAgent must not be blank");
      }
      this.userAgent = userAgent;
      return this;
    }

    /**
     * Whether the paths of this requester's requests hold a credential, as a Slack {@code response_url}'s last
     * segment does; false by default. When true, observers ({@link RouterObserver#outboundCompleted}) see the
     * base URL's path followed by {@code {secret}} instead of the request's path.
     */
    public Builder secretPath(boolean secretPath) {
      this.secretPath = secretPath;
      return this;
    }

    /**
     * Sets the mapper for JSON bodies. By default a {@link JsonMapper} that ignores unknown properties and
     * refuses documents nested deeper than 64 levels or with a string over 1,000,000 characters, a name over
     * 1,000 or a number over 100 (the limits in SECURITY.md); a mapper given here brings its own limits.
     */
    public Builder objectMapper(ObjectMapper objectMapper) {
      this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
      return this;
    }

    /**
     * Derives the HTTP client from this one (with {@link OkHttpClient#newBuilder()}), sharing its connection
     * pool, dispatcher and interceptors; this requester's timeouts and TLS settings replace the client's.
     * By default each requester built with {@link Requester#builder()} has its own client.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Replaces how the requester waits between attempts; for tests. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Replaces the clock that {@code Retry-After} dates are measured against; for tests. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the requester.
     *
     * @throws ConfigurationException when {@code baseUrl} is missing, both basic authentication and a bearer
     *     token are set, or {@code caCertificatePem} is combined with {@code sslVerify(false)}
     */
    public Requester build() {
      if (baseUrl == null) {
        throw new ConfigurationException("baseUrl is required, for example https://ci.example.com/");
      }
      if (basicAuth != null && bearerToken != null) {
        throw new ConfigurationException(
            "basicAuth and bearerToken cannot both be set for " + baseUrl + "; choose one");
      }
      if (!sslVerify && caCertificatePem != null) {
        throw new ConfigurationException(
            "caCertificatePem has no effect with sslVerify(false) for " + baseUrl + "; remove one of them");
      }
      Requester requester = new Requester(this);
      if (!sslVerify) {
        LOG.warn(
            "TLS certificate and host name verification is disabled (sslVerify=false) for {}; anyone on the "
                + "network can read and change this traffic. Use caCertificatePem to trust a private CA instead.",
            requester.baseUrl);
      }
      return requester;
    }

    private static Duration positive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + duration);
      }
      return duration;
    }

    private static Duration notNegative(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative but was " + duration);
      }
      return duration;
    }
  }
}
