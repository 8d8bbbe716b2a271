package ai.chatops.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.PluginResources;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetTest {
  static final String AT = "chatops/plugins/ops/";

  @TempDir Path temp;

  @Test
  void readsDialogFlowIntentsWithParametersAndPrompts() {
    TrainingSet set = new PluginFolder(temp).complete().load();

    assertThat(set.plugin()).isEqualTo("ops");
    assertThat(set.intents()).extracting(IntentDefinition::name).containsExactly("deploy", "jobs", "scale");
    IntentDefinition deploy = set.intentFor("/v1/ops/deploy").orElseThrow();
    assertThat(deploy.parameters()).containsExactly(
        new IntentParameter("ID", "@sys.any", true, List.of("Which service?")),
        new IntentParameter("ENV", "@env", true, List.of("Where to?")));
    assertThat(deploy.requiredParameters()).extracting(IntentParameter::name).containsExactly("ID", "ENV");
    assertThat(set.intentFor("/v1/ops/scale").orElseThrow().parameter("COUNT").orElseThrow().dataType())
        .isEqualTo("@sys.number");
  }

  @Test
  void readsUsersaysPartsAndSkipsOtherLanguages() {
    IntentDefinition deploy = new PluginFolder(temp).complete().load().intentFor("/v1/ops/deploy").orElseThrow();

    assertThat(deploy.phrases().get(0).parts()).containsExactly(
        TrainingPhrase.Part.text("deploy "), TrainingPhrase.Part.value("api-server", "ID"),
        TrainingPhrase.Part.text(" to "), TrainingPhrase.Part.value("production", "ENV"));
    assertThat(deploy.phrases()).extracting(TrainingPhrase::text).doesNotContain("verteile alles");
  }

  @Test
  void readsDataSentencesWithInlineMarksSkippingCommentsAndBlankLines() {
    IntentDefinition deploy = new PluginFolder(temp).complete().load().intentFor("/v1/ops/deploy").orElseThrow();

    assertThat(deploy.phrases()).hasSize(7);
    assertThat(deploy.phrases().get(1).parts()).containsExactly(
        TrainingPhrase.Part.text("ship "), TrainingPhrase.Part.value("payments.v2", "ID"),
        TrainingPhrase.Part.text(" to "), TrainingPhrase.Part.value("staging", "ENV"));
    assertThat(deploy.phrases().get(3).parts().get(1)).isEqualTo(TrainingPhrase.Part.value("team/search", "ID"));
  }

  @Test
  void aDataFileAloneDefinesAnIntentForTheRouteOfItsName() {
    IntentDefinition jobs = new PluginFolder(temp).complete().load().intentFor("/v1/ops/jobs").orElseThrow();

    assertThat(jobs.name()).isEqualTo("jobs");
    assertThat(jobs.parameters()).isEmpty();
    assertThat(jobs.phrases()).extracting(TrainingPhrase::text).contains("list the jobs");
  }

  @Test
  void readsEntitiesWithSynonyms() {
    TrainingSet set = new PluginFolder(temp).complete().load();

    assertThat(set.entities()).containsExactly(new EntityDefinition("env", List.of(
        new EntityDefinition.Entry("production", List.of("production", "prod", "live")),
        new EntityDefinition.Entry("staging", List.of("staging", "stage", "pre-prod")))));
  }

  @Test
  void readsTheBuiltInBotPlugin() {
    TrainingSet bot = ai.chatops.plugin.BotPlugin.create().trainingSet().orElseThrow();

    assertThat(bot.intents()).extracting(IntentDefinition::route)
        .containsExactly("/v1/bot/echo", "/v1/bot/ping", "/v1/bot/status");
    assertThat(bot.intentFor("/v1/bot/echo").orElseThrow().parameters())
        .containsExactly(new IntentParameter("TEXT", "@sys.any", true, List.of("What should I repeat?")));
    assertThat(bot.intents()).allSatisfy(i -> assertThat(i.phrases()).hasSizeGreaterThanOrEqualTo(20));
  }

  @Test
  void rejectsAnActionThatIsNotADeclaredRoute() {
    PluginFolder folder = new PluginFolder(temp)
        .write("intents/deploy.json", "{\"name\": \"deploy\", \"responses\": [{\"action\": \"/v1/ops/ship\"}]}");

    assertThatThrownBy(folder::load).isInstanceOf(ConfigurationException.class).hasMessage(AT
        + "intents/deploy.json: responses[0].action: expected a route of plugin 'ops' declared in its"
        + " config.yaml (/v1/ops/deploy, /v1/ops/scale, /v1/ops/jobs), but was '/v1/ops/ship'");
  }

  @Test
  void rejectsAnIntentWithoutAnAction() {
    PluginFolder folder = new PluginFolder(temp).write("intents/deploy.json", "{\"name\": \"deploy\"}");

    assertThatThrownBy(folder::load).hasMessage(AT + "intents/deploy.json: responses[0].action: expected the"
        + " route this intent serves, such as /v1/ops/deploy, but it is missing");
  }

  @Test
  void rejectsAParameterTheRouteDoesNotDeclare() {
    PluginFolder folder = new PluginFolder(temp).write("intents/scale.json", "{\"name\": \"scale\","
        + " \"responses\": [{\"action\": \"/v1/ops/scale\", \"parameters\": [{\"name\": \"env\", \"dataType\":"
        + " \"@sys.any\"}]}]}");

    assertThatThrownBy(folder::load).hasMessage(AT + "intents/scale.json: responses[0].parameters[0].name:"
        + " expected an attribute of route /v1/ops/scale in config.yaml, but 'env' (attribute ENV) is not;"
        + " its attributes: ID, COUNT");
  }

  @Test
  void rejectsADataTypeNamingAnUnknownEntity() {
    PluginFolder folder = new PluginFolder(temp).write("intents/deploy.json", "{\"name\": \"deploy\","
        + " \"responses\": [{\"action\": \"/v1/ops/deploy\", \"parameters\": [{\"name\": \"env\", \"dataType\":"
        + " \"@environment\"}]}]}");

    assertThatThrownBy(folder::load).hasMessage(AT + "intents/deploy.json: responses[0].parameters[0].dataType:"
        + " expected @sys.any, @sys.number or an entity of plugin 'ops' (it defines none), but was"
        + " '@environment'");
  }

  @Test
  void rejectsAWronglyTypedField() {
    PluginFolder folder = new PluginFolder(temp).write("intents/deploy.json", "{\"name\": \"deploy\","
        + " \"responses\": [{\"action\": \"/v1/ops/deploy\", \"parameters\": [{\"name\": \"id\", \"dataType\":"
        + " \"@sys.any\", \"required\": \"yes\"}]}]}");

    assertThatThrownBy(folder::load).hasMessage(AT + "intents/deploy.json: responses[0].parameters[0].required:"
        + " expected true or false, but was a string");
  }

  @Test
  void rejectsInvalidJsonNamingLineAndColumn() {
    PluginFolder folder = new PluginFolder(temp).write("entities/env.json", "{\"name\": \"env\",\n  oops}");

    assertThatThrownBy(folder::load).isInstanceOf(ConfigurationException.class)
        .hasMessage(AT + "entities/env.json: expected valid JSON but found an error at line 2 column 3:"
            + " Unexpected character ('o' (code 111)): was expecting double-quote to start field name");
  }

  @Test
  void rejectsAUsersaysPartWhoseAliasIsNotAParameter() {
    PluginFolder folder = new PluginFolder(temp).complete()
        .write("intents/deploy_usersays_en.json", "[{\"data\": [{\"text\": \"deploy \"}, {\"text\": \"x\","
            + " \"alias\": \"branch\"}]}]");

    assertThatThrownBy(folder::load).hasMessage(AT + "intents/deploy_usersays_en.json: [0].data[1].alias:"
        + " expected a parameter of intent 'deploy' (ID, ENV), but was 'branch'");
  }

  @Test
  void rejectsAUsersaysFileWithoutItsIntent() {
    PluginFolder folder = new PluginFolder(temp)
        .write("intents/deploy_usersays_en.json", "[{\"data\": [{\"text\": \"deploy\"}]}]");

    assertThatThrownBy(folder::load).hasMessage(AT + "intents/deploy_usersays_en.json: expected a matching"
        + " intents/deploy.json defining the intent, but there is none");
  }

  @Test
  void rejectsEntriesWithoutAValue() {
    PluginFolder folder = new PluginFolder(temp).write("entities/env.json", "{\"name\": \"env\"}")
        .write("entities/env_entries_en.json", "[{\"synonyms\": [\"prod\"]}]");

    assertThatThrownBy(folder::load).hasMessage(AT + "entities/env_entries_en.json: [0].value: expected a"
        + " string, but it is missing");
  }

  @Test
  void rejectsADataMarkNamingAnUnknownParameter() {
    PluginFolder folder = new PluginFolder(temp).complete()
        .write("data/scale.txt", "scale [api](ID) to [3](COUNT)\nscale [api](ID) on [main](BRANCH)\n");

    assertThatThrownBy(folder::load).hasMessage(AT + "data/scale.txt: line 2: expected [value](ATTRIBUTE)"
        + " naming a parameter of intent 'scale' (ID, COUNT), but was 'BRANCH'");
  }

  @Test
  void rejectsAMalformedDataMark() {
    PluginFolder folder = new PluginFolder(temp).complete().write("data/jobs.txt", "list [the jobs] (ID)\n");

    assertThatThrownBy(folder::load).hasMessage(AT + "data/jobs.txt: line 1: expected values marked as"
        + " [value](ATTRIBUTE), but found a malformed mark in 'list [the jobs] (ID)'");
  }

  @Test
  void rejectsADataFileNamingNeitherAnIntentNorARoute() {
    PluginFolder folder = new PluginFolder(temp).write("data/restart.txt", "restart everything\n");

    assertThatThrownBy(folder::load).hasMessage(AT + "data/restart.txt: expected the name of an intent in"
        + " intents/ or of a route of plugin 'ops' (deploy, scale, jobs), but 'restart' is neither");
  }

  @Test
  void rejectsTwoIntentsForOneRoute() {
    PluginFolder folder = new PluginFolder(temp)
        .write("intents/a.json", "{\"name\": \"a\", \"action\": \"ops.jobs\"}")
        .write("intents/b.json", "{\"name\": \"b\", \"action\": \"/v1/ops/jobs\"}");

    assertThatThrownBy(folder::load).hasMessage(AT + "intents/b.json: responses[0].action: expected one intent"
        + " per route, but intents 'a' and 'b' both serve /v1/ops/jobs");
  }

  @Test
  void aPluginWithoutTrainingMaterialHasNoIntents() {
    TrainingSet set = new PluginFolder(temp).load();

    assertThat(set.intents()).isEmpty();
    assertThat(set.intentFor("/v1/ops/jobs")).isEqualTo(Optional.empty());
  }
}
