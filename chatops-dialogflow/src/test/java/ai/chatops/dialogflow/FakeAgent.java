package ai.chatops.dialogflow;

import com.google.cloud.dialogflow.v2.CreateEntityTypeRequest;
import com.google.cloud.dialogflow.v2.CreateIntentRequest;
import com.google.cloud.dialogflow.v2.DeleteEntityTypeRequest;
import com.google.cloud.dialogflow.v2.DeleteIntentRequest;
import com.google.cloud.dialogflow.v2.EntityType;
import com.google.cloud.dialogflow.v2.EntityTypesGrpc;
import com.google.cloud.dialogflow.v2.Intent;
import com.google.cloud.dialogflow.v2.IntentsGrpc;
import com.google.cloud.dialogflow.v2.ListEntityTypesRequest;
import com.google.cloud.dialogflow.v2.ListEntityTypesResponse;
import com.google.cloud.dialogflow.v2.ListIntentsRequest;
import com.google.cloud.dialogflow.v2.ListIntentsResponse;
import com.google.cloud.dialogflow.v2.UpdateEntityTypeRequest;
import com.google.cloud.dialogflow.v2.UpdateIntentRequest;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DialogFlow agent's Intents and EntityTypes services over an in-memory agent: lists answer in pages of
 * two, writes change the agent, every request is recorded.
 */
final class FakeAgent {
  final Map<String, Intent> intents = new LinkedHashMap<>();
  final Map<String, EntityType> entityTypes = new LinkedHashMap<>();
  final List<Object> requests = new ArrayList<>();
  Status failWrites;
  private int ids;

  synchronized String addIntent(Intent intent) {
    String name = "projects/my-agent/agent/intents/i" + ++ids;
    intents.put(name, intent.toBuilder().setName(name).build());
    return name;
  }

  synchronized String addEntityType(EntityType type) {
    String name = "projects/my-agent/agent/entityTypes/e" + ++ids;
    entityTypes.put(name, type.toBuilder().setName(name).build());
    return name;
  }

  synchronized List<Object> writes() {
    return requests.stream()
        .filter(r -> !(r instanceof ListIntentsRequest) && !(r instanceof ListEntityTypesRequest)).toList();
  }

  private synchronized <T> boolean record(Object request, StreamObserver<T> response) {
    requests.add(request);
    if (failWrites != null && !(request instanceof ListIntentsRequest)
        && !(request instanceof ListEntityTypesRequest)) {
      response.onError(failWrites.asRuntimeException());
      return false;
    }
    return true;
  }

  private static int page(String token) {
    return token.isEmpty() ? 0 : Integer.parseInt(token);
  }

  final IntentsGrpc.IntentsImplBase intentsService = new IntentsGrpc.IntentsImplBase() {
    @Override
    public void listIntents(ListIntentsRequest request, StreamObserver<ListIntentsResponse> response) {
      synchronized (FakeAgent.this) {
        record(request, response);
        List<Intent> all = new ArrayList<>(intents.values());
        int from = page(request.getPageToken());
        int to = Math.min(all.size(), from + 2);
        response.onNext(ListIntentsResponse.newBuilder().addAllIntents(all.subList(from, to))
            .setNextPageToken(to < all.size() ? Integer.toString(to) : "").build());
      }
      response.onCompleted();
    }

    @Override
    public void createIntent(CreateIntentRequest request, StreamObserver<Intent> response) {
      if (record(request, response)) {
        String name = addIntent(request.getIntent());
        response.onNext(intents.get(name));
        response.onCompleted();
      }
    }

    @Override
    public void updateIntent(UpdateIntentRequest request, StreamObserver<Intent> response) {
      if (record(request, response)) {
        synchronized (FakeAgent.this) {
          intents.put(request.getIntent().getName(), request.getIntent());
        }
        response.onNext(request.getIntent());
        response.onCompleted();
      }
    }

    @Override
    public void deleteIntent(DeleteIntentRequest request, StreamObserver<Empty> response) {
      if (record(request, response)) {
        synchronized (FakeAgent.this) {
          intents.remove(request.getName());
        }
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
      }
    }
  };

  final EntityTypesGrpc.EntityTypesImplBase entityTypesService = new EntityTypesGrpc.EntityTypesImplBase() {
    @Override
    public void listEntityTypes(ListEntityTypesRequest request, StreamObserver<ListEntityTypesResponse> response) {
      synchronized (FakeAgent.this) {
        record(request, response);
        List<EntityType> all = new ArrayList<>(entityTypes.values());
        int from = page(request.getPageToken());
        int to = Math.min(all.size(), from + 2);
        response.onNext(ListEntityTypesResponse.newBuilder().addAllEntityTypes(all.subList(from, to))
            .setNextPageToken(to < all.size() ? Integer.toString(to) : "").build());
      }
      response.onCompleted();
    }

    @Override
    public void createEntityType(CreateEntityTypeRequest request, StreamObserver<EntityType> response) {
      if (record(request, response)) {
        String name = addEntityType(request.getEntityType());
        response.onNext(entityTypes.get(name));
        response.onCompleted();
      }
    }

    @Override
    public void updateEntityType(UpdateEntityTypeRequest request, StreamObserver<EntityType> response) {
      if (record(request, response)) {
        synchronized (FakeAgent.this) {
          entityTypes.put(request.getEntityType().getName(), request.getEntityType());
        }
        response.onNext(request.getEntityType());
        response.onCompleted();
      }
    }

    @Override
    public void deleteEntityType(DeleteEntityTypeRequest request, StreamObserver<Empty> response) {
      if (record(request, response)) {
        synchronized (FakeAgent.this) {
          entityTypes.remove(request.getName());
        }
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
      }
    }
  };
}
