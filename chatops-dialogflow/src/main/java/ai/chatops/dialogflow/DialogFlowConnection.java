package ai.chatops.dialogflow;

import ai.chatops.ConfigurationException;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach a DialogFlow ES agent: its Google Cloud project, the endpoint, the credentials and
 * the gRPC transport. {@link DialogFlowNlu} and {@link AgentSync} both accept it, so a host that answers with
 * an agent and also keeps its training in sync configures the agent once:
 *
 * <pre>{@code
 * DialogFlowConnection agent = DialogFlowConnection.builder()
 *     .projectId("my-agent-project")
 *     .endpoint("europe-west1-dialogflow.googleapis.com:443")  // a regional agent
 *     .build();                                                 // credentials: application default
 * DialogFlowNlu nlu = DialogFlowNlu.builder().connection(agent).fallback(localNlu).build();
 * AgentSync sync = AgentSync.builder().connection(agent).add(jenkins.trainingSet().get()).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #newBuilder()} makes a variant. It opens nothing: each builder that
 * takes it creates its own clients. Its {@code toString} names where credentials come from, never more.
 */
public final class DialogFlowConnection {
  private final String projectId;
  private final String endpoint;
  private final Path credentialsFile;
  private final CredentialsProvider credentialsProvider;
  private final TransportChannelProvider transport;

  private DialogFlowConnection(Builder b) {
    this.projectId = b.projectId;
    this.endpoint = b.endpoint;
    this.credentialsFile = b.credentialsFile;
    this.credentialsProvider = b.credentialsProvider;
    this.transport = b.transport;
  }

  /** A new builder with no project and every other setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this connection's settings, to make a variant. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.projectId = projectId;
    b.endpoint = endpoint;
    b.credentialsFile = credentialsFile;
    b.credentialsProvider = credentialsProvider;
    b.transport = transport;
    return b;
  }

  /** The Google Cloud project of the agent. */
  public String projectId() {
    return projectId;
  }

  /** The endpoint ({@code host:port}); empty for DialogFlow's global {@code dialogflow.googleapis.com:443}. */
  public Optional<String> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** The service account key file; empty when the credentials come from a provider or the defaults. */
  public Optional<Path> credentialsFile() {
    return Optional.ofNullable(credentialsFile);
  }

  /** Where credentials come from; empty when they come from a key file or the defaults. */
  public Optional<CredentialsProvider> credentialsProvider() {
    return Optional.ofNullable(credentialsProvider);
  }

  /** The gRPC transport; empty for the default, which connects to the endpoint. */
  public Optional<TransportChannelProvider> transportChannelProvider() {
    return Optional.ofNullable(transport);
  }

  @Override
  public String toString() {
    String credentials = credentialsFile != null ? "key file " + credentialsFile
        : credentialsProvider != null ? "a provider" : "application default";
    return "DialogFlowConnection{project=" + projectId + ", endpoint="
        + (endpoint == null ? "default" : endpoint) + ", credentials=" + credentials
        + (transport == null ? "" : ", transport=custom") + "}";
  }

  /** Configures a {@link DialogFlowConnection}. Not thread-safe. */
  public static final class Builder {
    private String projectId;
    private String endpoint;
    private Path credentialsFile;
    private CredentialsProvider credentialsProvider;
    private TransportChannelProvider transport;

    private Builder() {}

    /** The Google Cloud project of the DialogFlow ES agent. Required. */
    public Builder projectId(String projectId) {
      this.projectId = Objects.requireNonNull(projectId, "projectId");
      return this;
    }

    /**
     * The DialogFlow endpoint, {@code dialogflow.googleapis.com:443} by default; for a regional agent use
     * the region's endpoint, such as {@code europe-west1-dialogflow.googleapis.com:443}.
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * A service account key file (JSON) to authenticate with, instead of Google's application default
     * credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's login, or the metadata server). Replaces
     * a credentials provider set before.
     */
    public Builder credentialsFile(Path keyFile) {
      this.credentialsFile = Objects.requireNonNull(keyFile, "keyFile");
      this.credentialsProvider = null;
      return this;
    }

    /**
     * Where credentials come from, instead of application default credentials or a key file. Replaces a key
     * file set before.
     */
    public Builder credentialsProvider(CredentialsProvider provider) {
      this.credentialsProvider = Objects.requireNonNull(provider, "provider");
      this.credentialsFile = null;
      return this;
    }

    /** The gRPC transport, for tests and proxies; the default connects to the endpoint. */
    public Builder transportChannelProvider(TransportChannelProvider transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** The project set so far, or null; for the builders that take a connection and word their own error. */
    String projectIdOrNull() {
      return projectId;
    }

    /**
     * Creates the connection. It makes no call: a wrong project or endpoint shows on the first request.
     *
     * @throws ConfigurationException when the project id is missing or blank
     */
    public DialogFlowConnection build() {
      if (projectId == null || projectId.isBlank()) {
        throw new ConfigurationException("a DialogFlow connection needs the Google Cloud project id of the"
            + " agent, but it was " + (projectId == null ? "not set" : "blank")
            + "; call DialogFlowConnection.builder().projectId(...)");
      }
      return new DialogFlowConnection(this);
    }
  }
}
