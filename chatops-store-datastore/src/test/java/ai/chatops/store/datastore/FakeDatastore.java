package ai.chatops.store.datastore;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.BeginTransactionResponse;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.DatastoreGrpc;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.EntityResult;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.MutationResult;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.PropertyOrder;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch;
import com.google.datastore.v1.ReadOptions;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.RollbackResponse;
import com.google.datastore.v1.RunQueryRequest;
import com.google.datastore.v1.RunQueryResponse;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory implementation of the Datastore v1 gRPC service, for the real google-cloud-datastore client
 * to talk to in tests: lookup, commit, runQuery, beginTransaction and rollback, for root entities named by
 * strings, and queries of one kind filtered by {@code __key__} ranges.
 *
 * <p>Transactions are optimistic: a transaction remembers the version of every entity it looked up, and its
 * commit fails with {@code ABORTED} if any of them changed since, which is what a conflicting transaction
 * gets from the production service (the client then retries it). Errors carry production's statuses and
 * messages: {@code NOT_FOUND} for another project, {@code UNAUTHENTICATED} for a wrong token,
 * {@code INVALID_ARGUMENT} for names over 1500 bytes, reserved names and entities over 1 MiB. Anything else
 * the fake does not implement fails with {@code UNIMPLEMENTED}, never silently.
 *
 * <p>Thread-safe: one lock guards the data.
 */
final class FakeDatastore extends DatastoreGrpc.DatastoreImplBase {
  static final String ABORTED_MESSAGE = "Aborted due to cross-transaction contention. This occurs when"
      + " multiple transactions attempt to access the same data, requiring Firestore to abort at least one in"
      + " order to enforce serializability.";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    // Datastore orders names by their UTF-8 bytes, which is code point order (String.compareTo is UTF-16's).
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  };

  private final String projectId;
  private final String acceptedToken;
  private final Object lock = new Object();
  /** Entities by partition ("database/namespace/kind"), then by name. */
  private final Map<String, NavigableMap<String, Stored>> partitions = new HashMap<>();
  private final Map<ByteString, Transaction> transactions = new HashMap<>();
  private long commits;
  private long transactionIds;
  private final AtomicInteger aborts = new AtomicInteger();
  private volatile Hold hold;

  /**
   * A service for {@code projectId}.
   *
   * @param acceptedToken the OAuth token every call must carry, or null to accept calls without one
   */
  FakeDatastore(String projectId, String acceptedToken) {
    this.projectId = projectId;
    this.acceptedToken = acceptedToken;
  }

  /** How many commits this service has aborted because of a conflict. */
  int aborts() {
    return aborts.get();
  }

  /**
   * Makes the next transactional commits wait until {@code lookups} transactional lookups have happened
   * (at most 30 s), so that that many transactions surely read before any of them writes.
   */
  void holdCommitsUntilLookups(int lookups) {
    hold = new Hold(new CountDownLatch(lookups));
  }

  /** Checks the caller's token, as Google's front end does before the service sees the call. */
  ServerInterceptor authentication() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        if (acceptedToken != null && !("Bearer " + acceptedToken).equals(headers.get(AUTHORIZATION))) {
          call.close(Status.UNAUTHENTICATED.withDescription("Request had invalid authentication credentials."
              + " Expected OAuth 2 access token, login cookie or other valid authentication credential."),
              new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }

  @Override
  public void lookup(LookupRequest request, StreamObserver<LookupResponse> response) {
    answer(response, () -> {
      checkProject(request.getProjectId());
      LookupResponse.Builder out = LookupResponse.newBuilder();
      Hold holding = hold;
      synchronized (lock) {
        Transaction transaction = transactionFor(request.getReadOptions(), out::setTransaction);
        for (Key key : request.getKeysList()) {
          EntityKey id = EntityKey.of(key, request.getDatabaseId());
          Stored stored = partition(id).get(id.name);
          if (transaction != null) {
            transaction.reads.put(id, stored == null ? 0 : stored.version);
          }
          if (stored == null) {
            out.addMissing(EntityResult.newBuilder().setEntity(Entity.newBuilder().setKey(key)).setVersion(commits));
          } else {
            out.addFound(EntityResult.newBuilder().setEntity(stored.entity).setVersion(stored.version));
          }
        }
        if (transaction != null && holding != null) {
          holding.lookups.countDown();
        }
      }
      return out.setReadTime(now()).build();
    });
  }

  @Override
  public void beginTransaction(BeginTransactionRequest request,
      StreamObserver<BeginTransactionResponse> response) {
    answer(response, () -> {
      checkProject(request.getProjectId());
      synchronized (lock) {
        return BeginTransactionResponse.newBuilder().setTransaction(newTransaction()).build();
      }
    });
  }

  @Override
  public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> response) {
    answer(response, () -> {
      checkProject(request.getProjectId());
      synchronized (lock) {
        transactions.remove(request.getTransaction());
      }
      return RollbackResponse.getDefaultInstance();
    });
  }

  @Override
  public void commit(CommitRequest request, StreamObserver<CommitResponse> response) {
    answer(response, () -> {
      checkProject(request.getProjectId());
      Hold holding = hold;
      if (request.getMode() == CommitRequest.Mode.TRANSACTIONAL && holding != null) {
        if (!holding.lookups.await(30, TimeUnit.SECONDS)) {
          throw Status.DEADLINE_EXCEEDED.withDescription("the held commit waited 30 s for lookups")
              .asRuntimeException();
        }
        hold = null;
      }
      synchronized (lock) {
        if (request.getMode() == CommitRequest.Mode.TRANSACTIONAL) {
          if (request.hasSingleUseTransaction()) {
            throw unimplemented("single-use transactions");
          }
          Transaction transaction = transactions.remove(request.getTransaction());
          if (transaction == null) {
            throw Status.INVALID_ARGUMENT
                .withDescription("The referenced transaction has expired or is no longer valid.")
                .asRuntimeException();
          }
          for (Map.Entry<EntityKey, Long> read : transaction.reads.entrySet()) {
            Stored now = partition(read.getKey()).get(read.getKey().name);
            if ((now == null ? 0 : now.version) != read.getValue()) {
              aborts.incrementAndGet();
              throw Status.ABORTED.withDescription(ABORTED_MESSAGE).asRuntimeException();
            }
          }
        }
        // Check every mutation before applying any: a commit is all or nothing.
        List<EntityKey> ids = new ArrayList<>();
        for (Mutation mutation : request.getMutationsList()) {
          ids.add(check(mutation, request.getDatabaseId()));
        }
        long version = ++commits;
        CommitResponse.Builder out = CommitResponse.newBuilder().setCommitTime(now());
        for (int i = 0; i < ids.size(); i++) {
          Mutation mutation = request.getMutations(i);
          EntityKey id = ids.get(i);
          if (mutation.hasDelete()) {
            partition(id).remove(id.name);
          } else {
            partition(id).put(id.name, new Stored(entityOf(mutation), version));
          }
          out.addMutationResults(MutationResult.newBuilder().setVersion(version));
        }
        return out.build();
      }
    });
  }

  @Override
  public void runQuery(RunQueryRequest request, StreamObserver<RunQueryResponse> response) {
    answer(response, () -> {
      checkProject(request.getProjectId());
      if (!request.hasQuery()) {
        throw unimplemented("GQL queries");
      }
      if (request.getReadOptions().hasTransaction() || request.getReadOptions().hasNewTransaction()) {
        throw unimplemented("queries in transactions");
      }
      Query query = request.getQuery();
      if (query.getKindCount() != 1 || query.getOffset() != 0 || !query.getEndCursor().isEmpty()
          || query.getProjectionCount() > 0 || query.getDistinctOnCount() > 0) {
        throw unimplemented("queries other than of one kind, without offset, end cursor or projection");
      }
      for (PropertyOrder order : query.getOrderList()) {
        if (!order.getProperty().getName().equals("__key__")
            || order.getDirection() == PropertyOrder.Direction.DESCENDING) {
          throw unimplemented("orders other than __key__ ascending");
        }
      }
      Predicate<String> filter = filterOf(query.getFilter());
      int limit = query.hasLimit() ? query.getLimit().getValue() : Integer.MAX_VALUE;
      PartitionId partitionId = request.getPartitionId();
      String partition = partitionName(request.getDatabaseId(), partitionId.getNamespaceId(),
          query.getKind(0).getName());
      QueryResultBatch.Builder batch = QueryResultBatch.newBuilder()
          .setEntityResultType(EntityResult.ResultType.FULL)
          .setMoreResults(QueryResultBatch.MoreResultsType.NO_MORE_RESULTS)
          .setEndCursor(query.getStartCursor());
      synchronized (lock) {
        NavigableMap<String, Stored> entities = partitions.getOrDefault(partition, new TreeMap<>(CODE_POINT_ORDER));
        NavigableMap<String, Stored> rest = query.getStartCursor().isEmpty() ? entities
            : entities.tailMap(query.getStartCursor().toString(UTF_8), false);
        int returned = 0;
        for (Map.Entry<String, Stored> e : rest.entrySet()) {
          if (!filter.test(e.getKey())) {
            continue;
          }
          if (returned == limit) {
            break;
          }
          ByteString cursor = ByteString.copyFromUtf8(e.getKey());
          batch.addEntityResults(EntityResult.newBuilder().setEntity(e.getValue().entity)
              .setVersion(e.getValue().version).setCursor(cursor));
          batch.setEndCursor(cursor);
          returned++;
        }
        if (returned == limit) {
          // As production: reaching the limit says "maybe more", without looking further.
          batch.setMoreResults(QueryResultBatch.MoreResultsType.MORE_RESULTS_AFTER_LIMIT);
        }
        batch.setSnapshotVersion(commits).setReadTime(now());
      }
      return RunQueryResponse.newBuilder().setBatch(batch).setQuery(query).build();
    });
  }

  // ---------------------------------------------------------------- helpers

  private Transaction transactionFor(ReadOptions options, java.util.function.Consumer<ByteString> begun) {
    if (options.hasTransaction()) {
      Transaction transaction = transactions.get(options.getTransaction());
      if (transaction == null) {
        throw Status.INVALID_ARGUMENT
            .withDescription("The referenced transaction has expired or is no longer valid.")
            .asRuntimeException();
      }
      return transaction;
    }
    if (options.hasNewTransaction()) {
      ByteString id = newTransaction();
      begun.accept(id);
      return transactions.get(id);
    }
    return null;
  }

  private ByteString newTransaction() {
    ByteString id = ByteString.copyFromUtf8("tx-" + (++transactionIds));
    transactions.put(id, new Transaction());
    return id;
  }

  private EntityKey check(Mutation mutation, String databaseId) {
    if (mutation.hasBaseVersion() || mutation.hasUpdateTime() || mutation.getPropertyTransformsCount() > 0) {
      throw unimplemented("conditional mutations and property transforms");
    }
    if (mutation.hasDelete()) {
      return EntityKey.of(mutation.getDelete(), databaseId);
    }
    Entity entity = entityOf(mutation);
    EntityKey id = EntityKey.of(entity.getKey(), databaseId);
    if (entity.getSerializedSize() > 1_048_572) {
      throw Status.INVALID_ARGUMENT.withDescription("entity is too big").asRuntimeException();
    }
    boolean exists = partition(id).containsKey(id.name);
    if (mutation.hasInsert() && exists) {
      throw Status.ALREADY_EXISTS.withDescription("entity already exists: " + entity.getKey())
          .asRuntimeException();
    }
    if (mutation.hasUpdate() && !exists) {
      throw Status.NOT_FOUND.withDescription("no entity to update: " + entity.getKey()).asRuntimeException();
    }
    return id;
  }

  private static Entity entityOf(Mutation mutation) {
    if (mutation.hasInsert()) {
      return mutation.getInsert();
    }
    if (mutation.hasUpdate()) {
      return mutation.getUpdate();
    }
    if (mutation.hasUpsert()) {
      return mutation.getUpsert();
    }
    throw unimplemented("mutation " + mutation.getOperationCase());
  }

  private static Predicate<String> filterOf(com.google.datastore.v1.Filter filter) {
    switch (filter.getFilterTypeCase()) {
      case FILTERTYPE_NOT_SET:
        return name -> true;
      case PROPERTY_FILTER:
        return keyFilter(filter.getPropertyFilter());
      case COMPOSITE_FILTER:
        if (filter.getCompositeFilter().getOp() != com.google.datastore.v1.CompositeFilter.Operator.AND) {
          throw unimplemented("OR filters");
        }
        Predicate<String> all = name -> true;
        for (com.google.datastore.v1.Filter part : filter.getCompositeFilter().getFiltersList()) {
          all = all.and(filterOf(part));
        }
        return all;
      default:
        throw unimplemented("filter " + filter.getFilterTypeCase());
    }
  }

  private static Predicate<String> keyFilter(PropertyFilter filter) {
    if (!filter.getProperty().getName().equals("__key__") || !filter.getValue().hasKeyValue()) {
      throw unimplemented("filters other than on __key__");
    }
    Key key = filter.getValue().getKeyValue();
    String bound = key.getPath(key.getPathCount() - 1).getName();
    switch (filter.getOp()) {
      case GREATER_THAN:
        return name -> CODE_POINT_ORDER.compare(name, bound) > 0;
      case GREATER_THAN_OR_EQUAL:
        return name -> CODE_POINT_ORDER.compare(name, bound) >= 0;
      case LESS_THAN:
        return name -> CODE_POINT_ORDER.compare(name, bound) < 0;
      case LESS_THAN_OR_EQUAL:
        return name -> CODE_POINT_ORDER.compare(name, bound) <= 0;
      default:
        throw unimplemented("__key__ filter " + filter.getOp());
    }
  }

  private NavigableMap<String, Stored> partition(EntityKey id) {
    return partitions.computeIfAbsent(partitionName(id.database, id.namespace, id.kind),
        p -> new TreeMap<>(CODE_POINT_ORDER));
  }

  private static String partitionName(String database, String namespace, String kind) {
    return database + "/" + namespace + "/" + kind;
  }

  private void checkProject(String requested) {
    if (!projectId.equals(requested)) {
      throw Status.NOT_FOUND.withDescription("The project " + requested + " does not exist or it does not"
          + " contain an active Cloud Datastore or Cloud Firestore database. Please visit"
          + " http://console.cloud.google.com to create a project or"
          + " https://console.cloud.google.com/datastore/setup?project=" + requested
          + " to add a Cloud Datastore or Cloud Firestore database. Note that Cloud Datastore or Cloud"
          + " Firestore always have an associated App Engine app and this app must not be disabled.")
          .asRuntimeException();
    }
  }

  private static Timestamp now() {
    long millis = System.currentTimeMillis();
    return Timestamp.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
  }

  private static StatusRuntimeException unimplemented(String what) {
    return Status.UNIMPLEMENTED.withDescription("the fake Datastore does not implement " + what)
        .asRuntimeException();
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  private static <T> void answer(StreamObserver<T> response, Call<T> call) {
    T result;
    try {
      result = call.run();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.onError(Status.CANCELLED.withCause(e).asRuntimeException());
      return;
    } catch (Exception e) {
      response.onError(Status.INTERNAL.withDescription(e.toString()).withCause(e).asRuntimeException());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }

  /** A root entity's identity. */
  private static final class EntityKey {
    final String database;
    final String namespace;
    final String kind;
    final String name;

    private EntityKey(String database, String namespace, String kind, String name) {
      this.database = database;
      this.namespace = namespace;
      this.kind = kind;
      this.name = name;
    }

    static EntityKey of(Key key, String databaseId) {
      if (key.getPathCount() != 1 || !key.getPath(0).hasName()) {
        throw unimplemented("keys other than a root element with a name: " + key);
      }
      String name = key.getPath(0).getName();
      if (name.getBytes(UTF_8).length > 1500) {
        throw Status.INVALID_ARGUMENT.withDescription("The key path element name is longer than 1500 bytes.")
            .asRuntimeException();
      }
      if (name.startsWith("__") && name.endsWith("__") && name.length() >= 4) {
        throw Status.INVALID_ARGUMENT.withDescription("The key path element name \"" + name
            + "\" is reserved.").asRuntimeException();
      }
      return new EntityKey(databaseId, key.getPartitionId().getNamespaceId(), key.getPath(0).getKind(), name);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof EntityKey)) {
        return false;
      }
      EntityKey that = (EntityKey) o;
      return database.equals(that.database) && namespace.equals(that.namespace) && kind.equals(that.kind)
          && name.equals(that.name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(database, namespace, kind, name);
    }
  }

  private static final class Stored {
    final Entity entity;
    final long version;

    Stored(Entity entity, long version) {
      this.entity = entity;
      this.version = version;
    }
  }

  private static final class Transaction {
    final Map<EntityKey, Long> reads = new HashMap<>();
  }

  private static final class Hold {
    final CountDownLatch lookups;

    Hold(CountDownLatch lookups) {
      this.lookups = lookups;
    }
  }
}
