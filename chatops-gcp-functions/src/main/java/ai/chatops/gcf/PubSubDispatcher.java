package ai.chatops.gcf;

import ai.chatops.ChatOpsException;
import ai.chatops.toolkit.QueuedEventJson;
import ai.chatops.service.ChatEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Publishes each accepted event to a Google Cloud Pub/Sub topic, for the acknowledging function of a Cloud
 * Functions deployment: pass it to {@code EventRouter.Builder.dispatcher}, and let a {@link PubSubPushWorker}
 * behind a push subscription process them. Uses Pub/Sub's REST API ({@code topics.publish}).
 *
 * <pre>{@code
 * PubSubDispatcher dispatcher = PubSubDispatcher.builder()
 *     .project(System.getenv("GOOGLE_CLOUD_PROJECT"))
 *     .topic("chatops-events")
 *     .accessToken(tokens)             // e.g. Google's auth library: application default credentials
 *     .build();
 * EventRouter ack = EventRouter.builder().service(slack).store(datastoreStore).dispatcher(dispatcher).build();
 * }</pre>
 *
 * <p>The message data is the event as versioned JSON (the format the Lambda module's queue uses too). A
 * publish that fails throws {@link ChatOpsException}: the router then forgets the event and answers 503, so the
 * platform delivers it again. Against the Pub/Sub emulator, set {@link Builder#endpoint} to
 * {@code http://} and {@code PUBSUB_EMULATOR_HOST}, and no access token.
 *
 * <p>Immutable and thread-safe; share one per topic. The access token supplier is called for every publish
 * and should cache its token.
 */
public final class PubSubDispatcher implements Consumer<ChatEvent> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final String publishUrl;
  private final String topicName;
  private final Supplier<String> accessToken;

  private PubSubDispatcher(Builder b) {
    this.http = b.http;
    this.topicName = "projects/" + b.project + "/topics/" + b.topic;
    this.publishUrl = b.endpoint.toString().replaceAll("/+$", "") + "/v1/" + topicName + ":publish";
    this.accessToken = b.accessToken;
  }

  /** A builder; {@link Builder#project} and {@link Builder#topic} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Publishes the event.
   *
   * @throws ChatOpsException when Pub/Sub refuses the message or cannot be reached
   */
  @Override
  public void accept(ChatEvent event) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode message = body.putArray("messages").addObject();
    message.put("data", Base64.getEncoder().encodeToString(
        QueuedEventJson.write(event).getBytes(StandardCharsets.UTF_8)));
    message.putObject("attributes").put("chatops-event", "v" + QueuedEventJson.VERSION);
    Request.Builder request = new Request.Builder().url(publishUrl)
        .post(RequestBody.create(body.toString(), JSON));
    if (accessToken != null) {
      request.header("Authorization", "Bearer " + accessToken.get());
    }
    try (Response response = http.newCall(request.build()).execute()) {
      if (!response.isSuccessful()) {
        String detail = response.body().string();
        throw new ChatOpsException("could not publish event " + event.service() + "/" + event.id() + " to "
            + topicName + ": HTTP " + response.code() + " " + (detail.length() > 200 ? detail.substring(0, 200) : detail));
      }
    } catch (IOException e) {
      throw new ChatOpsException("could not publish event " + event.service() + "/" + event.id() + " to "
          + topicName + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "PubSubDispatcher{" + topicName + "}";
  }

  /** Configures a {@link PubSubDispatcher}. Not thread-safe. */
  public static final class Builder {
    private URI endpoint = URI.create("https://pubsub.googleapis.com");
    private String project;
    private String topic;
    private Supplier<String> accessToken;
    private OkHttpClient http;

    private Builder() {}

    /** Pub/Sub's REST endpoint; {@code https://pubsub.googleapis.com} by default. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The Google Cloud project of the topic. Required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The topic's short name ({@code chatops-events}). Required. */
    public Builder topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /** OAuth access tokens with the {@code pubsub} scope, sent as a bearer token; none for the emulator. */
    public Builder accessToken(Supplier<String> accessToken) {
      this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
      return this;
    }

    /** The HTTP client; by default one with 10-second timeouts. */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /**
     * Builds the dispatcher.
     *
     * @throws ai.chatops.ConfigurationException naming the missing project or topic
     */
    public PubSubDispatcher build() {
      if (project == null || project.isBlank()) {
        throw new ai.chatops.ConfigurationException("PubSubDispatcher needs project(...): the topic's project");
      }
      if (topic == null || topic.isBlank()) {
        throw new ai.chatops.ConfigurationException("PubSubDispatcher needs topic(...): the topic's short name");
      }
      if (http == null) {
        http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
      }
      return new PubSubDispatcher(this);
    }
  }
}
