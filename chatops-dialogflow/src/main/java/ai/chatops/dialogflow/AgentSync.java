package ai.chatops.dialogflow;

import ai.chatops.ChatOpsException;
import ai.chatops.ConfigurationException;
import ai.chatops.dialogflow.internal.AgentModel;
import ai.chatops.dialogflow.internal.ClientOptions;
import ai.chatops.dialogflow.internal.Routes;
import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.TrainingSet;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.dialogflow.v2.AgentName;
import com.google.cloud.dialogflow.v2.CreateEntityTypeRequest;
import com.google.cloud.dialogflow.v2.CreateIntentRequest;
import com.google.cloud.dialogflow.v2.DeleteEntityTypeRequest;
import com.google.cloud.dialogflow.v2.DeleteIntentRequest;
import com.google.cloud.dialogflow.v2.EntityType;
import com.google.cloud.dialogflow.v2.EntityTypesClient;
import com.google.cloud.dialogflow.v2.EntityTypesSettings;
import com.google.cloud.dialogflow.v2.Intent;
import com.google.cloud.dialogflow.v2.IntentView;
import com.google.cloud.dialogflow.v2.IntentsClient;
import com.google.cloud.dialogflow.v2.IntentsSettings;
import com.google.cloud.dialogflow.v2.ListEntityTypesRequest;
import com.google.cloud.dialogflow.v2.ListIntentsRequest;
import com.google.cloud.dialogflow.v2.UpdateEntityTypeRequest;
import com.google.cloud.dialogflow.v2.UpdateIntentRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Uploads plugins' training material (their {@code intents/} and {@code entities/}, the files the local NLU
 * trains on) to a DialogFlow ES agent: creates what the agent lacks, updates what differs and, only when
 * asked, deletes what no plugin declares any more.
 *
 * <pre>{@code
 * try (AgentSync sync = AgentSync.builder().projectId("my-agent").add(jenkins.trainingSet().get()).build()) {
 *   System.out.print(sync.plan().render(false));   // dry run: the difference
 *   sync.apply(false);                              // create and update; keep what plugins dropped
 * }
 * }</pre>
 *
 * <p>What is synced: an intent per plugin intent, named {@code <plugin>.<intent>} ({@code jenkins.build}), its
 * action the route ({@code /v1/jenkins/build}), with the parameters (named as the attributes, such as
 * {@code ID}), their prompts and the training phrases; an entity type per plugin entity (a map entity, named
 * as the file). The agent's intents are matched to the plugins' by route: an intent whose action is a route
 * path ({@code /v1/...}) or names a declared route is the sync's; any other intent (the default welcome and
 * fallback intents, small talk) is never touched. Entity types are matched by name; with
 * {@code deleteMissing}, an entity type no plugin declares is deleted unless an intent the sync leaves alone
 * uses it. Entity types are written before intents and deleted after them, so references always resolve.
 *
 * <p>{@link AgentSyncMain} runs it from the command line. Not thread-safe; {@link #close()} closes the
 * clients it created, never clients it was given.
 */
public final class AgentSync implements AutoCloseable {
  private final String projectId;
  private final String languageCode;
  private final IntentsClient intents;
  private final EntityTypesClient entityTypes;
  private final boolean ownsClients;
  private final Map<String, Intent> wantedIntents; // by route
  private final Map<String, EntityType> wantedEntities; // by display name

  private AgentSync(Builder b, String projectId, IntentsClient intents, EntityTypesClient entityTypes,
      boolean owns) {
    this.projectId = projectId;
    this.languageCode = b.languageCode;
    this.intents = intents;
    this.entityTypes = entityTypes;
    this.ownsClients = owns;
    this.wantedIntents = b.wantedIntents;
    this.wantedEntities = b.wantedEntities;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Compares the agent with the plugins' material. Reads the agent; changes nothing.
   *
   * @return every change {@link #apply} would make with {@code deleteMissing} true; with false, the
   *     deletions are left out
   * @throws ChatOpsException when the agent cannot be read
   */
  public Plan plan() {
    Map<String, EntityType> remoteEntities = new LinkedHashMap<>();
    List<Intent> remoteIntents = new ArrayList<>();
    String agent = AgentName.ofProjectName(projectId).toString();
    try {
      for (EntityType e : entityTypes.listEntityTypes(ListEntityTypesRequest.newBuilder().setParent(agent)
          .setLanguageCode(languageCode).build()).iterateAll()) {
        remoteEntities.put(e.getDisplayName(), e);
      }
      for (Intent i : intents.listIntents(ListIntentsRequest.newBuilder().setParent(agent)
          .setLanguageCode(languageCode).setIntentView(IntentView.INTENT_VIEW_FULL).build()).iterateAll()) {
        remoteIntents.add(i);
      }
    } catch (ApiException e) {
      throw failure("read the agent", e);
    }
    List<Change> changes = new ArrayList<>();
    Set<String> usedByOthers = new HashSet<>();
    entityChanges(remoteEntities, changes);
    intentChanges(remoteIntents, usedByOthers, changes);
    remoteEntities.forEach((name, remote) -> {
      if (!wantedEntities.containsKey(name) && !usedByOthers.contains("@" + name)) {
        changes.add(new Change(Change.Kind.ENTITY_TYPE, Change.Op.DELETE, name, remote.getName(), List.of(), null));
      }
    });
    return new Plan(changes);
  }

  /** The entity types to create or update. */
  private void entityChanges(Map<String, EntityType> remoteEntities, List<Change> changes) {
    wantedEntities.forEach((name, wanted) -> {
      EntityType remote = remoteEntities.get(name);
      if (remote == null) {
        changes.add(new Change(Change.Kind.ENTITY_TYPE, Change.Op.CREATE, name, "", List.of(), wanted));
      } else {
        List<String> diff = AgentModel.differences(remote, wanted);
        if (!diff.isEmpty()) {
          changes.add(new Change(Change.Kind.ENTITY_TYPE, Change.Op.UPDATE, name, remote.getName(), diff,
              wanted.toBuilder().setName(remote.getName()).build()));
        }
      }
    });
  }

  /**
   * The intents to create, update or delete: ours are those whose action is a route; the entity types that
   * other intents use are collected in {@code usedByOthers}, so they are never deleted.
   */
  private void intentChanges(List<Intent> remoteIntents, Set<String> usedByOthers, List<Change> changes) {
    Map<String, Intent> managed = new LinkedHashMap<>();
    for (Intent remote : remoteIntents) {
      String route = Routes.fromAction(remote.getAction()).orElse(null);
      boolean ours = route != null && (remote.getAction().startsWith("/v1/") || wantedIntents.containsKey(route));
      if (ours && !managed.containsKey(route)) {
        managed.put(route, remote);
      } else if (ours) {
        // A second agent intent for the same route: the first is kept in step, this one goes.
        managed.put(route + "#" + remote.getName(), remote);
      } else {
        remote.getParametersList().forEach(p -> usedByOthers.add(p.getEntityTypeDisplayName()));
      }
    }
    wantedIntents.forEach((route, wanted) -> {
      Intent remote = managed.get(route);
      if (remote == null) {
        changes.add(new Change(Change.Kind.INTENT, Change.Op.CREATE, wanted.getDisplayName() + " (" + route + ")",
            "", List.of(), wanted));
      } else {
        List<String> diff = AgentModel.differences(remote, wanted);
        if (!diff.isEmpty()) {
          changes.add(new Change(Change.Kind.INTENT, Change.Op.UPDATE, wanted.getDisplayName() + " (" + route + ")",
              remote.getName(), diff, wanted.toBuilder().setName(remote.getName()).build()));
        }
      }
    });
    managed.forEach((key, remote) -> {
      if (!wantedIntents.containsKey(key)) {
        changes.add(new Change(Change.Kind.INTENT, Change.Op.DELETE,
            remote.getDisplayName() + " (" + remote.getAction() + ")", remote.getName(), List.of(), null));
      }
    });
  }

  /**
   * Makes the agent match the plugins: creates and updates, and deletes only when {@code deleteMissing}.
   *
   * @return the plan that was carried out (deletions included only when {@code deleteMissing})
   * @throws ChatOpsException when DialogFlow refuses a change; the message names it and how many changes were
   *     made before it
   */
  public Plan apply(boolean deleteMissing) {
    Plan plan = plan().withDeletions(deleteMissing);
    List<Change> order = new ArrayList<>();
    plan.changes().stream().filter(c -> c.kind() == Change.Kind.ENTITY_TYPE && c.op() != Change.Op.DELETE)
        .forEach(order::add);
    plan.changes().stream().filter(c -> c.kind() == Change.Kind.INTENT).forEach(order::add);
    plan.changes().stream().filter(c -> c.kind() == Change.Kind.ENTITY_TYPE && c.op() == Change.Op.DELETE)
        .forEach(order::add);
    String agent = AgentName.ofProjectName(projectId).toString();
    int done = 0;
    for (Change c : order) {
      try {
        run(agent, c);
      } catch (ApiException e) {
        throw failure(c.op().name().toLowerCase(java.util.Locale.ROOT) + " " + c.describeTarget()
            + " (after " + done + " of " + order.size() + " changes)", e);
      }
      done++;
    }
    return plan;
  }

  private void run(String agent, Change c) {
    switch (c.kind()) {
      case ENTITY_TYPE:
        switch (c.op()) {
          case CREATE:
            entityTypes.createEntityType(CreateEntityTypeRequest.newBuilder().setParent(agent)
                .setEntityType((EntityType) c.wanted).setLanguageCode(languageCode).build());
            break;
          case UPDATE:
            entityTypes.updateEntityType(UpdateEntityTypeRequest.newBuilder()
                .setEntityType((EntityType) c.wanted).setLanguageCode(languageCode).build());
            break;
          default:
            entityTypes.deleteEntityType(DeleteEntityTypeRequest.newBuilder().setName(c.resourceName()).build());
        }
        break;
      default:
        switch (c.op()) {
          case CREATE:
            intents.createIntent(CreateIntentRequest.newBuilder().setParent(agent).setIntent((Intent) c.wanted)
                .setLanguageCode(languageCode).build());
            break;
          case UPDATE:
            intents.updateIntent(UpdateIntentRequest.newBuilder().setIntent((Intent) c.wanted)
                .setLanguageCode(languageCode).build());
            break;
          default:
            intents.deleteIntent(DeleteIntentRequest.newBuilder().setName(c.resourceName()).build());
        }
    }
  }

  private ChatOpsException failure(String what, ApiException e) {
    return new ChatOpsException("DialogFlow agent sync could not " + what + " in project " + projectId + ": "
        + e.getStatusCode().getCode(), e);
  }

  /** Closes the clients this sync created; clients given to the builder stay open. */
  @Override
  public void close() {
    if (ownsClients) {
      intents.close();
      entityTypes.close();
    }
  }

  /**
   * The difference between the agent and the plugins, in the order it is printed: entity types and intents
   * to create, to update, then to delete. Immutable.
   */
  public static final class Plan {
    private final List<Change> changes;

    Plan(List<Change> changes) {
      List<Change> sorted = new ArrayList<>(changes);
      sorted.sort(java.util.Comparator.comparing(Change::op).thenComparing(Change::kind));
      this.changes = List.copyOf(sorted);
    }

    /** Every change, creations first, then updates, then deletions. */
    public List<Change> changes() {
      return changes;
    }

    /** Whether the agent already matches the plugins (deletions counted). */
    public boolean isEmpty() {
      return changes.isEmpty();
    }

    Plan withDeletions(boolean deletions) {
      return deletions ? this : new Plan(changes.stream().filter(c -> c.op() != Change.Op.DELETE)
          .collect(Collectors.toList()));
    }

    /**
     * The plan as text, one change a line ({@code + } create, {@code ~ } update with what differs,
     * {@code - } delete), then a summary line. Without {@code deleteMissing}, deletions are listed as kept.
     */
    public String render(boolean deleteMissing) {
      StringBuilder out = new StringBuilder();
      int create = 0;
      int update = 0;
      int delete = 0;
      for (Change c : changes) {
        switch (c.op()) {
          case CREATE:
            create++;
            out.append("+ ").append(c.describeTarget()).append('\n');
            break;
          case UPDATE:
            update++;
            out.append("~ ").append(c.describeTarget()).append(": ").append(String.join(", ", c.differences()))
                .append('\n');
            break;
          default:
            if (deleteMissing) {
              delete++;
              out.append("- ").append(c.describeTarget()).append('\n');
            } else {
              out.append("  ").append(c.describeTarget()).append(": no plugin declares it; kept (delete with --delete)")
                  .append('\n');
            }
        }
      }
      if (create + update + delete == 0) {
        out.append("The agent matches the plugins.\n");
      } else {
        out.append(create).append(" to create, ").append(update).append(" to update, ").append(delete)
            .append(" to delete.\n");
      }
      return out.toString();
    }

    @Override
    public String toString() {
      return render(true);
    }
  }

  /**
   * One change to the agent.
   */
  public static final class Change {
    /** What is changed. */
    public enum Kind {
      ENTITY_TYPE,
      INTENT
    }

    /** How. */
    public enum Op {
      CREATE,
      UPDATE,
      DELETE
    }

    private final Kind kind;
    private final Op op;
    private final String name;
    private final String resourceName;
    private final List<String> differences;
    private final Object wanted;

    Change(Kind kind, Op op, String name, String resourceName, List<String> differences, Object wanted) {
      this.kind = kind;
      this.op = op;
      this.name = name;
      this.resourceName = resourceName;
      this.differences = List.copyOf(differences);
      this.wanted = wanted;
    }

    /** Entity type or intent. */
    public Kind kind() {
      return kind;
    }

    /** Create, update or delete. */
    public Op op() {
      return op;
    }

    /** The display name: {@code branch}, or {@code jenkins.build (/v1/jenkins/build)} for an intent. */
    public String name() {
      return name;
    }

    /** The agent's resource name of what is updated or deleted; empty for a creation. */
    public String resourceName() {
      return resourceName;
    }

    /** For an update, what differs, such as {@code [parameters, training phrases]}; otherwise empty. */
    public List<String> differences() {
      return differences;
    }

    String describeTarget() {
      return (kind == Kind.INTENT ? "intent " : "entity type ") + name;
    }

    @Override
    public String toString() {
      return op + " " + describeTarget() + (differences.isEmpty() ? "" : " " + differences);
    }
  }

  /** Configures an {@link AgentSync}. Not thread-safe. */
  public static final class Builder {
    private DialogFlowConnection.Builder connection = DialogFlowConnection.builder();
    private String languageCode = "en";
    private IntentsClient intentsClient;
    private EntityTypesClient entityTypesClient;
    private final Map<String, Intent> wantedIntents = new LinkedHashMap<>();
    private final Map<String, EntityType> wantedEntities = new LinkedHashMap<>();
    private final Map<String, String> entityOwners = new LinkedHashMap<>();

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

    /** The language of the training phrases and entries; {@code en} by default. */
    public Builder languageCode(String languageCode) {
      this.languageCode = Objects.requireNonNull(languageCode, "languageCode");
      return this;
    }

    /** The DialogFlow endpoint; {@code dialogflow.googleapis.com:443} by default. */
    public Builder endpoint(String endpoint) {
      connection.endpoint(endpoint);
      return this;
    }

    /** A service account key file (JSON), instead of Google's application default credentials. */
    public Builder credentialsFile(Path keyFile) {
      connection.credentialsFile(keyFile);
      return this;
    }

    /** Where credentials come from, instead of application default credentials or a key file. */
    public Builder credentialsProvider(CredentialsProvider provider) {
      connection.credentialsProvider(provider);
      return this;
    }

    /** The gRPC transport, for tests and proxies. */
    public Builder transportChannelProvider(TransportChannelProvider transport) {
      connection.transportChannelProvider(transport);
      return this;
    }

    /** Ready clients to use instead of building them (their settings apply; the caller closes them). */
    public Builder clients(IntentsClient intents, EntityTypesClient entityTypes) {
      this.intentsClient = Objects.requireNonNull(intents, "intents");
      this.entityTypesClient = Objects.requireNonNull(entityTypes, "entityTypes");
      return this;
    }

    /**
     * Adds a plugin's training material.
     *
     * @throws ConfigurationException when another plugin added an entity of the same name with other entries
     *     (the agent has one entity type per name)
     */
    public Builder add(TrainingSet training) {
      Objects.requireNonNull(training, "training");
      for (EntityDefinition entity : training.entities()) {
        EntityType type = AgentModel.entityType(entity);
        EntityType before = wantedEntities.get(entity.name());
        if (before != null && !AgentModel.differences(before, type).isEmpty()) {
          throw new ConfigurationException("plugins '" + entityOwners.get(entity.name()) + "' and '"
              + training.plugin() + "' both define entity '" + entity.name() + "' with different entries;"
              + " a DialogFlow agent has one entity type per name, so rename one of them");
        }
        wantedEntities.put(entity.name(), type);
        entityOwners.putIfAbsent(entity.name(), training.plugin());
      }
      for (IntentDefinition intent : training.intents()) {
        wantedIntents.put(intent.route(), AgentModel.intent(training.plugin(), intent));
      }
      return this;
    }

    /**
     * Builds the sync, creating its clients unless they were given.
     *
     * @throws ConfigurationException when the project id is missing or the credentials cannot be read
     */
    public AgentSync build() {
      String projectId = connection.projectIdOrNull();
      if (projectId == null || projectId.isBlank()) {
        throw new ConfigurationException("the agent sync needs the Google Cloud project id of the agent; call"
            + " AgentSync.builder().projectId(...) or pass --project");
      }
      DialogFlowConnection agent = connection.build();
      if (intentsClient != null) {
        return new AgentSync(this, projectId, intentsClient, entityTypesClient, false);
      }
      IntentsClient i = null;
      try {
        i = IntentsClient.create(ClientOptions.apply(agent, IntentsSettings.newBuilder(),
            IntentsSettings.getDefaultServiceScopes()).build());
        EntityTypesClient e = EntityTypesClient.create(ClientOptions.apply(agent, EntityTypesSettings.newBuilder(),
            EntityTypesSettings.getDefaultServiceScopes()).build());
        return new AgentSync(this, projectId, i, e, true);
      } catch (IOException e) {
        if (i != null) {
          i.close();
        }
        throw new ConfigurationException("could not create the DialogFlow clients for project " + projectId + ": "
            + e.getClass().getSimpleName() + " (check the credentials and the endpoint)", e);
      }
    }
  }
}
