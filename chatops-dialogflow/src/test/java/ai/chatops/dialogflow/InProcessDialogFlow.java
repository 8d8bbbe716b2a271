package ai.chatops.dialogflow;

import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** An in-process gRPC server with the given DialogFlow services, and a channel to it. Close after each test. */
final class InProcessDialogFlow implements AutoCloseable {
  private final Server server;
  private final ManagedChannel channel;

  InProcessDialogFlow(BindableService... services) throws IOException {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    for (BindableService service : services) {
      builder.addService(service);
    }
    server = builder.build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** A transport for the real clients' settings: every call goes to this server. */
  TransportChannelProvider transport() {
    return FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
