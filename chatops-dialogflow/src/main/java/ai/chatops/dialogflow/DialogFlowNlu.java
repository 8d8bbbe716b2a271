package ai.chatops.dialogflow;

import ai.chatops.ChatOpsException;
import ai.chatops.ConfigurationException;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.dialogflow.internal.ClientOptions;
import ai.chatops.dialogflow.internal.ContextMemory;
import ai.chatops.dialogflow.internal.Parameters;
import ai.chatops.dialogflow.internal.Routes;
import ai.chatops.dialogflow.internal.SessionIds;
import ai.chatops.dialogflow.internal.Texts;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.dialogflow.v2.DetectIntentRequest;
import com.google.cloud.dialogflow.v2.QueryInput;
import com.google.cloud.dialogflow.v2.QueryParameters;
import com.google.cloud.dialogflow.v2.QueryResult;
import com.google.cloud.dialogflow.v2.SessionName;
import com.google.cloud.dialogflow.v2.SessionsClient;
import com.google.cloud.dialogflow.v2.SessionsSettings;
import com.google.cloud.dialogflow.v2.TextInput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DialogFlow ES (API v2) as the {@link NluEngine}: each message is one {@code detectIntent} call in the
 * DialogFlow session of its conversation.
 *
 * <pre>{@code
 * DialogFlowNlu nlu = DialogFlowNlu.builder()
 *     .projectId("my-agent-project")
 *     .languageCode("en")
 *     .fallback(localNlu)            // optional: used when DialogFlow fails
 *     .build();                      // credentials: Google's application default credentials
 * EventRouter router = EventRouter.builder().nlu(nlu)...build();
 * }</pre>
 *
 * <p>How answers map: the intent's {@code action} is the route ({@code /v1/jenkins/build}, or the short form
 * {@code jenkins.build}); parameters become attributes ({@code job-param} → {@code JOB_PARAM}, lists joined
 * with {@code ,}, struct fields as {@code NAME_FIELD}); {@code intentDetectionConfidence} is the confidence. A
 * fallback intent, an empty action or {@code input.unknown} is "not understood" (empty). When a required
 * parameter is missing ({@code allRequiredParamsPresent} false) the route and the values DialogFlow did fill
 * are returned, and core's conversation step asks for the rest with the intent's prompts, the same prompts
 * the agent has; DialogFlow's own slot-filling contexts are dropped, so every engine asks the same way. See
 * {@code docs/dialogflow.md}.
 *
 * <p>Texts longer than DialogFlow's 256 characters are cut at the last word boundary that fits.
 *
 * <p>Failures: {@code UNAVAILABLE} and {@code DEADLINE_EXCEEDED} are retried (3 attempts by default, within
 * the total timeout); after that, and at once on any other error such as {@code PERMISSION_DENIED}, the
 * {@link Builder#fallback(NluEngine) fallback} engine is asked when there is one, and otherwise a
 * {@link ChatOpsException} is thrown, which the router turns into a plain "I can't understand free text right
 * now" reply.
 *
 * <p>Thread-safe. Build one per application and {@link #close()} it at shutdown; it closes the
 * {@link SessionsClient} it created, never one it was given.
 */
public final class DialogFlowNlu implements NluEngine, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DialogFlowNlu.class);
  private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9.:-]*");

  private final String projectId;
  private final String languageCode;
  private final SessionsClient client;
  private final boolean ownsClient;
  private final NluEngine fallback;
  private final ContextMemory contexts;

  private DialogFlowNlu(Builder b, String projectId, SessionsClient client, boolean ownsClient) {
    this.projectId = projectId;
    this.languageCode = b.languageCode;
    this.client = client;
    this.ownsClient = ownsClient;
    this.fallback = b.fallback;
    this.contexts = new ContextMemory(b.clock, b.maxSessions);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Asks DialogFlow what {@code query.text()} means in the session of its conversation.
   *
   * @return the route, attributes and confidence; empty for a fallback intent or an action that names no
   *     route
   * @throws ChatOpsException when DialogFlow fails and no fallback engine is configured
   */
  @Override
  public Optional<NluResult> understand(NluQuery query) {
    String text = Texts.fit(query.text().strip(), Texts.MAX_LENGTH);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.length() < query.text().strip().length()) {
      log.info("event {}/{}: message of {} characters cut to {} for DialogFlow", query.event().service(),
          query.event().id(), query.text().length(), text.length());
    }
    String session = SessionName.ofProjectSessionName(projectId, SessionIds.of(query.event())).toString();
    DetectIntentRequest request =
        DetectIntentRequest.newBuilder()
            .setSession(session)
            .setQueryInput(
                QueryInput.newBuilder()
                    .setText(TextInput.newBuilder().setText(text).setLanguageCode(languageCode)))
            .setQueryParams(
                QueryParameters.newBuilder().setResetContexts(true).addAllContexts(contexts.contexts(session)))
            .build();
    QueryResult result;
    try {
      result = client.detectIntent(request).getQueryResult();
    } catch (ApiException e) {
      return failed(query, e);
    }
    contexts.keep(session, result.getOutputContextsList());
    return map(result);
  }

  /**
   * The fallback engine's suggestions when one is configured (DialogFlow ranks nothing); otherwise none.
   */
  @Override
  public List<NluResult> closest(NluQuery query, int limit) {
    return fallback == null ? List.of() : fallback.closest(query, limit);
  }

  private Optional<NluResult> failed(NluQuery query, ApiException e) {
    StatusCode.Code code = e.getStatusCode().getCode();
    String what = "DialogFlow detectIntent failed with " + code + " for project " + projectId + hint(code);
    if (fallback != null) {
      log.warn("event {}/{}: {}; asking the fallback engine", query.event().service(), query.event().id(), what);
      return fallback.understand(query);
    }
    throw new ChatOpsException(what, e);
  }

  private static String hint(StatusCode.Code code) {
    switch (code) {
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
        return " (DialogFlow did not answer in time; retried)";
      case PERMISSION_DENIED:
      case UNAUTHENTICATED:
        return " (check the credentials: the account needs the Dialogflow API Client role on the project,"
            + " and the Dialogflow API must be enabled)";
      case NOT_FOUND:
        return " (is there a DialogFlow ES agent in this project?)";
      default:
        return "";
    }
  }

  static Optional<NluResult> map(QueryResult result) {
    if (result.getIntent().getIsFallback()) {
      return Optional.empty();
    }
    Optional<String> route = Routes.fromAction(result.getAction());
    if (route.isEmpty()) {
      return Optional.empty();
    }
    double confidence = Math.max(0, Math.min(1, result.getIntentDetectionConfidence()));
    return Optional.of(new NluResult(route.get(), Parameters.flatten(result.getParameters()), confidence));
  }

  /** Closes the {@link SessionsClient} this engine created; a client passed to the builder stays open. */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "DialogFlowNlu{project=" + projectId + ", language=" + languageCode + "}";
  }

  /** Configures a {@link DialogFlowNlu}. Not thread-safe. */
  public static final class Builder {
    private DialogFlowConnection.Builder connection = DialogFlowConnection.builder();
    private String languageCode = "en";
    private SessionsClient client;
    private Duration attemptTimeout = Duration.ofSeconds(5);
    private Duration totalTimeout = Duration.ofSeconds(12);
    private Duration initialRetryDelay = Duration.ofMillis(200);
    private int maxAttempts = 3;
    private NluEngine fallback;
    private Clock clock = Clock.systemUTC();
    private int maxSessions = 10_000;

    private Builder() {}

    /**
     * The agent's project, endpoint, credentials and transport, replacing those set before; the methods
     * below change one of them.
     */
    public Builder connection(DialogFlowConnection connection) {
      this.connection = Objects.requireNonNull(connection, "connection").newBuilder();
      return this;
    }

    /** The Google Cloud project of the DialogFlow ES agent. Required, here or in the connection. */
    public Builder projectId(String projectId) {
      connection.projectId(projectId);
      return this;
    }

    /** The language of the messages, such as {@code en} or {@code de}; {@code en} by default. */
    public Builder languageCode(String languageCode) {
      this.languageCode = Objects.requireNonNull(languageCode, "languageCode");
      return this;
    }

    /**
     * The DialogFlow endpoint, {@code dialogflow.googleapis.com:443} by default; for a regional agent use
     * the region's endpoint, such as {@code europe-west1-dialogflow.googleapis.com:443}.
     */
    public Builder endpoint(String endpoint) {
      connection.endpoint(endpoint);
      return this;
    }

    /**
     * A service account key file (JSON) to authenticate with, instead of Google's application default
     * credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's login, or the metadata server).
     */
    public Builder credentialsFile(Path keyFile) {
      connection.credentialsFile(keyFile);
      return this;
    }

    /** Where credentials come from, instead of application default credentials or a key file. */
    public Builder credentialsProvider(CredentialsProvider provider) {
      connection.credentialsProvider(provider);
      return this;
    }

    /** The gRPC transport, for tests and proxies; the default connects to the endpoint. */
    public Builder transportChannelProvider(TransportChannelProvider transport) {
      connection.transportChannelProvider(transport);
      return this;
    }

    /**
     * A ready client to use instead of building one; its own settings (endpoint, credentials, retries,
     * timeouts) apply and the endpoint, credentials, transport and timeout options here are ignored. The
     * caller closes it.
     */
    public Builder sessionsClient(SessionsClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** How long one {@code detectIntent} attempt may take; 5 s by default. */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = positive(timeout, "attemptTimeout");
      return this;
    }

    /** How long a message may take across all attempts; 12 s by default. */
    public Builder totalTimeout(Duration timeout) {
      this.totalTimeout = positive(timeout, "totalTimeout");
      return this;
    }

    /** The pause before the first retry, doubling up to 2 s; 200 ms by default. */
    public Builder initialRetryDelay(Duration delay) {
      this.initialRetryDelay = positive(delay, "initialRetryDelay");
      return this;
    }

    /** How many attempts on {@code UNAVAILABLE} or {@code DEADLINE_EXCEEDED}, the first included; 3 by default. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The engine to ask when DialogFlow fails, typically the local NLU; none by default. */
    public Builder fallback(NluEngine fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /** The clock that ages remembered contexts; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How many conversations' contexts to remember at most; 10 000 by default. */
    public Builder maxSessions(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxSessions must be at least 1 but was " + max);
      }
      this.maxSessions = max;
      return this;
    }

    /**
     * Builds the engine, creating its {@link SessionsClient} unless one was given.
     *
     * @throws ConfigurationException when the project id is missing or malformed, or the credentials
     *     cannot be read
     */
    public DialogFlowNlu build() {
      String projectId = connection.projectIdOrNull();
      if (projectId == null || projectId.isBlank() || !PROJECT_ID.matcher(projectId).matches()) {
        throw new ConfigurationException(
            "DialogFlow needs the Google Cloud project id of the agent (such as my-agent-123), but it was "
                + (projectId == null ? "not set" : "'" + projectId + "'")
                + "; call DialogFlowNlu.builder().projectId(...)");
      }
      if (languageCode.isBlank()) {
        throw new ConfigurationException("DialogFlow needs a language code such as en, but it was blank");
      }
      DialogFlowConnection agent = connection.build();
      if (client != null) {
        return new DialogFlowNlu(this, projectId, client, false);
      }
      try {
        SessionsSettings.Builder settings =
            ClientOptions.apply(agent, SessionsSettings.newBuilder(), SessionsSettings.getDefaultServiceScopes());
        settings
            .detectIntentSettings()
            .setRetryableCodes(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED)
            .setRetrySettings(
                RetrySettings.newBuilder()
                    .setInitialRetryDelayDuration(initialRetryDelay)
                    .setRetryDelayMultiplier(2.0)
                    .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                    .setInitialRpcTimeoutDuration(attemptTimeout)
                    .setRpcTimeoutMultiplier(1.0)
                    .setMaxRpcTimeoutDuration(attemptTimeout)
                    .setTotalTimeoutDuration(totalTimeout)
                    .setMaxAttempts(maxAttempts)
                    .build());
        return new DialogFlowNlu(this, projectId, SessionsClient.create(settings.build()), true);
      } catch (IOException e) {
        throw new ConfigurationException(
            "could not create the DialogFlow client for project " + projectId + ": " + e.getClass().getSimpleName()
                + " (check the credentials and the endpoint)", e);
      }
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + d);
      }
      return d;
    }
  }
}
