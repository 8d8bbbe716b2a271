package ai.chatops.store.datastore;

import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.spi.DatastoreRpcFactory;
import com.google.cloud.grpc.GrpcTransportOptions;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FakeDatastore} served in this JVM with gRPC's in-process transport, and real google-cloud-datastore
 * clients of it (see {@link InProcessDatastoreRpc} for the one layer replaced, and why).
 */
final class InProcessDatastore implements AutoCloseable {
  static final String PROJECT = "chatops-test";

  private final FakeDatastore service;
  private final Server server;
  private final String name;

  private InProcessDatastore(FakeDatastore service, Server server, String name) {
    this.service = service;
    this.server = server;
    this.name = name;
  }

  /**
   * Starts a service of {@link #PROJECT} in this JVM.
   *
   * @param acceptedToken the OAuth token every call must carry, or null to accept calls without one
   */
  static InProcessDatastore start(String acceptedToken) {
    FakeDatastore service = new FakeDatastore(PROJECT, acceptedToken);
    String name = InProcessServerBuilder.generateName();
    try {
      Server server = InProcessServerBuilder.forName(name)
          .addService(ServerInterceptors.intercept(service, service.authentication()))
          .build()
          .start();
      return new InProcessDatastore(service, server, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FakeDatastore service() {
    return service;
  }

  /**
   * A client of {@link #PROJECT} without credentials, retrying as by default but after milliseconds rather
   * than a second: the contract's races abort a transaction in nearly every round.
   */
  Datastore client() {
    return client(name, PROJECT, NoCredentials.getInstance(), false);
  }

  /** A client of this service, for {@code project}, with {@code credentials}; {@code noRetries} for fast failures. */
  Datastore client(String project, Credentials credentials, boolean noRetries) {
    return client(name, project, credentials, noRetries);
  }

  /** A client of the in-process server called {@code serverName}, which may not exist. */
  static Datastore client(String serverName, String project, Credentials credentials, boolean noRetries) {
    DatastoreOptions.Builder options = DatastoreOptions.newBuilder()
        .setProjectId(project)
        .setCredentials(credentials)
        .setTransportOptions(GrpcTransportOptions.newBuilder().build())
        .setServiceRpcFactory((DatastoreRpcFactory) o ->
            new InProcessDatastoreRpc(o, InProcessChannelBuilder.forName(serverName).build()));
    if (noRetries) {
      options.setRetrySettings(ServiceOptions.getNoRetrySettings());
    } else {
      options.setRetrySettings(ServiceOptions.getDefaultRetrySettings().toBuilder()
          .setInitialRetryDelayDuration(Duration.ofMillis(2))
          .setMaxRetryDelayDuration(Duration.ofMillis(50))
          .build());
    }
    return options.build().getService();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
