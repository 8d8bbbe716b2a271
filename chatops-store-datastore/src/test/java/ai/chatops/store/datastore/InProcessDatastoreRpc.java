package ai.chatops.store.datastore;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.spi.v1.DatastoreRpc;
import com.google.cloud.datastore.v1.stub.DatastoreStubSettings;
import com.google.cloud.datastore.v1.stub.GrpcDatastoreStub;
import com.google.datastore.v1.AllocateIdsRequest;
import com.google.datastore.v1.AllocateIdsResponse;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.BeginTransactionResponse;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.ReserveIdsRequest;
import com.google.datastore.v1.ReserveIdsResponse;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.RollbackResponse;
import com.google.datastore.v1.RunAggregationQueryRequest;
import com.google.datastore.v1.RunAggregationQueryResponse;
import com.google.datastore.v1.RunQueryRequest;
import com.google.datastore.v1.RunQueryResponse;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The client's gRPC layer, over a channel of our choosing: the generated {@link GrpcDatastoreStub} with the
 * client's retry settings, as the client's own {@code GrpcDatastoreRpc} builds it.
 *
 * <p>Why not {@code GrpcDatastoreRpc} itself: in google-cloud-datastore 2.33.0 it replaces any channel it
 * was given (a custom channel provider, or the emulator's host) by a new channel to the production endpoint
 * (googleapis/java-datastore#2022, fixed upstream after this release). Everything above this class (the
 * {@code Datastore} client, its transactions, retries and error translation) and below it (gax and gRPC)
 * is the real client.
 */
final class InProcessDatastoreRpc implements DatastoreRpc {
  private final GrpcDatastoreStub stub;

  InProcessDatastoreRpc(DatastoreOptions options, ManagedChannel channel) {
    DatastoreStubSettings.Builder settings = DatastoreStubSettings.newBuilder()
        .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(options.getCredentials() instanceof NoCredentials
            ? NoCredentialsProvider.create()
            : FixedCredentialsProvider.create(options.getCredentials()));
    settings.applyToAllUnaryMethods(method -> {
      method.setRetrySettings(options.getRetrySettings());
      return null;
    });
    try {
      stub = GrpcDatastoreStub.create(settings.build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public AllocateIdsResponse allocateIds(AllocateIdsRequest request) {
    return stub.allocateIdsCallable().call(request);
  }

  @Override
  public BeginTransactionResponse beginTransaction(BeginTransactionRequest request) {
    return stub.beginTransactionCallable().call(request);
  }

  @Override
  public CommitResponse commit(CommitRequest request) {
    return stub.commitCallable().call(request);
  }

  @Override
  public LookupResponse lookup(LookupRequest request) {
    return stub.lookupCallable().call(request);
  }

  @Override
  public ReserveIdsResponse reserveIds(ReserveIdsRequest request) {
    return stub.reserveIdsCallable().call(request);
  }

  @Override
  public RollbackResponse rollback(RollbackRequest request) {
    return stub.rollbackCallable().call(request);
  }

  @Override
  public RunQueryResponse runQuery(RunQueryRequest request) {
    return stub.runQueryCallable().call(request);
  }

  @Override
  public RunAggregationQueryResponse runAggregationQuery(RunAggregationQueryRequest request) {
    return stub.runAggregationQueryCallable().call(request);
  }

  @Override
  public void close() {
    stub.shutdownNow();
    try {
      stub.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isClosed() {
    return stub.isShutdown();
  }
}
