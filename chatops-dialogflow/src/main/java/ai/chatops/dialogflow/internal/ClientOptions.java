package ai.chatops.dialogflow.internal;

import ai.chatops.ConfigurationException;
import ai.chatops.dialogflow.DialogFlowConnection;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.rpc.ClientSettings;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Applies a {@link DialogFlowConnection} to the settings of the clients this module builds. */
public final class ClientOptions {
  private ClientOptions() {}

  /**
   * Applies the connection to a settings builder: a key file or provider when given, else Google's
   * application default credentials (the settings' own default).
   *
   * @throws ConfigurationException when the key file cannot be read; the message names the path only
   */
  public static <S extends ClientSettings<S>, B extends ClientSettings.Builder<S, B>> B apply(
      DialogFlowConnection connection, B builder, List<String> scopes) {
    connection.endpoint().ifPresent(builder::setEndpoint);
    Optional<CredentialsProvider> provider = connection.credentialsProvider();
    if (provider.isPresent()) {
      builder.setCredentialsProvider(provider.get());
    } else {
      connection.credentialsFile().ifPresent(file ->
          builder.setCredentialsProvider(FixedCredentialsProvider.create(readKey(file, scopes))));
    }
    connection.transportChannelProvider().ifPresent(builder::setTransportChannelProvider);
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
