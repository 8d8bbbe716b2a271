package ai.chatops.dialogflow.internal;

import ai.chatops.plugin.EntityDefinition;
import ai.chatops.plugin.IntentDefinition;
import ai.chatops.plugin.IntentParameter;
import ai.chatops.plugin.TrainingPhrase;
import com.google.cloud.dialogflow.v2.EntityType;
import com.google.cloud.dialogflow.v2.Intent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plugin training material as DialogFlow ES intents and entity types, and the comparison of what the agent
 * has with what the plugins declare. Only the fields the training files carry are compared: display name,
 * action, parameters (name, entity type, required, prompts), training phrases (their parts' text and alias,
 * in any order), and entity values with their synonyms (in any order).
 */
public final class AgentModel {
  private AgentModel() {}

  /** The intent's display name in the agent: {@code <plugin>.<intent>}, such as {@code jenkins.build}. */
  public static String displayName(String plugin, IntentDefinition intent) {
    return plugin + "." + intent.name();
  }

  /** The DialogFlow intent for {@code intent} of {@code plugin}, without a resource name. */
  public static Intent intent(String plugin, IntentDefinition intent) {
    Intent.Builder b = Intent.newBuilder().setDisplayName(displayName(plugin, intent)).setAction(intent.route());
    for (IntentParameter p : intent.parameters()) {
      b.addParameters(
          Intent.Parameter.newBuilder()
              .setDisplayName(p.name())
              .setValue("$" + p.name())
              .setEntityTypeDisplayName(p.dataType())
              .setMandatory(p.required())
              .addAllPrompts(p.prompts()));
    }
    for (TrainingPhrase phrase : intent.phrases()) {
      Intent.TrainingPhrase.Builder tp = Intent.TrainingPhrase.newBuilder().setType(Intent.TrainingPhrase.Type.EXAMPLE);
      for (TrainingPhrase.Part part : phrase.parts()) {
        Intent.TrainingPhrase.Part.Builder pb = Intent.TrainingPhrase.Part.newBuilder().setText(part.text());
        part.attribute().ifPresent(attribute -> {
          pb.setAlias(attribute).setUserDefined(true);
          intent.parameter(attribute).ifPresent(p -> pb.setEntityType(p.dataType()));
        });
        tp.addParts(pb);
      }
      b.addTrainingPhrases(tp);
    }
    return b.build();
  }

  /** The DialogFlow entity type for {@code entity}: a map entity whose synonyms include its value. */
  public static EntityType entityType(EntityDefinition entity) {
    EntityType.Builder b =
        EntityType.newBuilder().setDisplayName(entity.name()).setKind(EntityType.Kind.KIND_MAP);
    for (EntityDefinition.Entry entry : entity.entries()) {
      Set<String> synonyms = new LinkedHashSet<>();
      synonyms.add(entry.value());
      synonyms.addAll(entry.synonyms());
      b.addEntities(EntityType.Entity.newBuilder().setValue(entry.value()).addAllSynonyms(synonyms));
    }
    return b.build();
  }

  /** What differs between two intents, such as {@code [parameters, training phrases]}; empty when none. */
  public static List<String> differences(Intent remote, Intent wanted) {
    List<String> out = new ArrayList<>();
    if (!remote.getDisplayName().equals(wanted.getDisplayName())) {
      out.add("display name");
    }
    if (!remote.getAction().equals(wanted.getAction())) {
      out.add("action");
    }
    if (!parameters(remote).equals(parameters(wanted))) {
      out.add("parameters");
    }
    if (!phrases(remote).equals(phrases(wanted))) {
      out.add("training phrases");
    }
    return out;
  }

  /** What differs between two entity types; empty when none. */
  public static List<String> differences(EntityType remote, EntityType wanted) {
    List<String> out = new ArrayList<>();
    if (remote.getKind() != wanted.getKind()) {
      out.add("kind");
    }
    if (!entries(remote).equals(entries(wanted))) {
      out.add("entries");
    }
    return out;
  }

  private static List<String> parameters(Intent intent) {
    return intent.getParametersList().stream()
        .map(p -> p.getDisplayName() + "|" + p.getValue() + "|" + p.getEntityTypeDisplayName() + "|"
            + p.getMandatory() + "|" + p.getPromptsList())
        .sorted()
        .collect(Collectors.toList());
  }

  private static List<String> phrases(Intent intent) {
    return intent.getTrainingPhrasesList().stream()
        .map(t -> t.getPartsList().stream()
            .map(p -> p.getText() + "\u0000" + p.getAlias() + "\u0000" + (p.getAlias().isEmpty() ? "" : p.getEntityType()))
            .collect(Collectors.joining("\u0001")))
        .sorted()
        .collect(Collectors.toList());
  }

  private static List<String> entries(EntityType type) {
    return type.getEntitiesList().stream()
        .sorted(Comparator.comparing(EntityType.Entity::getValue))
        .map(e -> e.getValue() + "=" + e.getSynonymsList().stream().sorted().collect(Collectors.toList()))
        .collect(Collectors.toList());
  }
}
