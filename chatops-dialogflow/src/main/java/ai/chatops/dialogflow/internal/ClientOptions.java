package ai.chatops.dialogflow.internal;

import ai.chatops.ConfigurationException;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Endpoint, credentials and transport shared by the clients this module builds. */
public final class ClientOptions {
  private String endpoint;
  private Path credentialsFile;
  private CredentialsProvider credentialsProvider;
  private TransportChannelProvider transport;

  public void endpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public void credentialsFile(Path file) {
    this.credentialsFile = file;
    this.credentialsProvider = null;
  }

  public void credentialsProvider(CredentialsProvider provider) {
    this.credentialsProvider = provider;
    this.credentialsFile = null;
  }

  public void transport(TransportChannelProvider transport) {
    this.transport = transport;
  }

  /**
   * Applies the options to a settings builder: a key file or provider when given, else Google's application
   * default credentials (the settings' own default).
   *
   * @throws ConfigurationException when the key file cannot be read; the message names the path only
   */
  public <S extends ClientSettings<S>, B extends ClientSettings.Builder<S, B>> B apply(
      B builder, List<String> scopes) {
    if (endpoint != null) {
      builder.setEndpoint(endpoint);
    }
    if (credentialsProvider != null) {
      builder.setCredentialsProvider(credentialsProvider);
    } else if (credentialsFile != null) {
      builder.setCredentialsProvider(FixedCredentialsProvider.create(readKey(credentialsFile, scopes)));
    }
    if (transport != null) {
      builder.setTransportChannelProvider(transport);
    }
    return builder;
  }

  private static GoogleCredentials readKey(Path file, List<String> scopes) {
    try (InputStream in = Files.newInputStream(file)) {
      return GoogleCredentials.fromStream(in).createScoped(scopes);
    } catch (IOException e) {
      throw new ConfigurationException(
          "could not read the Google credentials file " + file
              + ": expected a service account key (JSON) readable by this process ("
              + e.getClass().getSimpleName() + ")");
    }
  }
}
