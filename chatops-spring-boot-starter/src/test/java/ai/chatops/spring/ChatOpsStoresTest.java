package ai.chatops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.datastore.DatastoreEmulator;
import ai.chatops.store.datastore.DatastoreStore;
import ai.chatops.store.dynamodb.Dynalite;
import ai.chatops.store.dynamodb.DynamoDbStore;
import ai.chatops.test.RecordingService;
import com.google.cloud.datastore.Datastore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code chatops.store}: each kind builds its store from the properties (DynamoDB against dynalite, Datastore
 * against Google's emulator, as the store modules' own tests run them), a Store bean of the application's wins,
 * and a wrong value stops the start with a message naming the property.
 */
class ChatOpsStoresTest {
  private static final Path DYNAMODB_MODULE = Path.of("..", "chatops-store-dynamodb").toAbsolutePath().normalize();
  private static Dynalite.Server dynalite;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ChatOpsAutoConfiguration.class))
      .withBean(RecordingService.class, RecordingService::create);

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.Server.start(DYNAMODB_MODULE);
  }

  @AfterAll
  static void stopDynalite() throws IOException {
    dynalite.close();
  }

  @Test
  void journalsEventsInTheDynamoDbTableThePropertiesName() {
    runner.withPropertyValues("chatops.store=dynamodb", "chatops.dynamodb.table=chatops-starter",
        "chatops.dynamodb.endpoint=" + dynalite.endpoint()).run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(DynamoDbStore.class).hasSingleBean(DynamoDbClient.class);
          Store store = context.getBean(Store.class);
          EventRouter router = context.getBean(EventRouter.class);
          RecordingService chat = context.getBean(RecordingService.class);

          assertThat(router.handle(chat.request("U1", "bot ping")).status()).isEqualTo(200);
          assertThat(chat.nextReply(Duration.ofSeconds(20)).text()).contains("pong");

          assertThat(store.list("event/test/", null, 10).entries()).extracting(StoreEntry::key)
              .singleElement().asString().startsWith("event/test/");
        });
  }

  @Test
  void namesTheMissingTable() {
    runner.withPropertyValues("chatops.store=dynamodb", "chatops.dynamodb.endpoint=" + dynalite.endpoint())
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(ConfigurationException.class)
            .hasMessage("chatops.dynamodb.table (CHATOPS_DYNAMODB_TABLE) is required with chatops.store=dynamodb:"
                + " the name of the table (docs/stores.md says how to create it)"));
  }

  @Test
  void buildsTheDatastoreClientOfTheConfiguredProjectNamespaceAndEmulator() {
    runner.withPropertyValues("chatops.store=Datastore", "chatops.datastore.project-id=my-bot-123",
        "chatops.datastore.namespace=staging", "chatops.datastore.emulator-host=localhost:8081").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(DatastoreStore.class);
          Datastore client = context.getBean(Datastore.class);
          assertThat(client.getOptions().getProjectId()).isEqualTo("my-bot-123");
          assertThat(client.getOptions().getNamespace()).isEqualTo("staging");
          assertThat(client.getOptions().getHost()).isEqualTo("http://localhost:8081");
          assertThat(context.getBean(Store.class)).isSameAs(context.getBean(DatastoreStore.class));
        });
  }

  @Test
  void journalsEventsInTheDatastoreEmulatorThePropertiesName() {
    try (DatastoreEmulator emulator = DatastoreEmulator.start()) {
      runner.withPropertyValues("chatops.store=datastore", "chatops.datastore.project-id=" + DatastoreEmulator.PROJECT,
          "chatops.datastore.namespace=starter", "chatops.datastore.emulator-host=" + emulator.host())
          .run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DatastoreStore.class);
            Store store = context.getBean(Store.class);
            EventRouter router = context.getBean(EventRouter.class);
            RecordingService chat = context.getBean(RecordingService.class);

            assertThat(router.handle(chat.request("U1", "bot ping")).status()).isEqualTo(200);
            assertThat(chat.nextReply(Duration.ofSeconds(20)).text()).contains("pong");

            assertThat(store.list("event/test/", null, 10).entries()).extracting(StoreEntry::key)
                .singleElement().asString().startsWith("event/test/");
          });
    }
  }

  @Test
  void refusesAMalformedEmulatorHost() {
    runner.withPropertyValues("chatops.store=datastore", "chatops.datastore.project-id=my-bot-123",
        "chatops.datastore.emulator-host=http://localhost:8081/")
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(ConfigurationException.class)
            .hasMessage("chatops.datastore.emulator-host (CHATOPS_DATASTORE_EMULATOR_HOST) must be host:port such"
                + " as localhost:8081 but was 'http://localhost:8081/'"));
  }

  @Test
  void anApplicationsStoreBeanWinsOverTheProperties() {
    runner.withPropertyValues("chatops.store=dynamodb").withUserConfiguration(OwnStore.class).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(DynamoDbStore.class).doesNotHaveBean(DynamoDbClient.class);
      assertThat(context.getBean(Store.class)).isSameAs(context.getBean(OwnStore.class).store);
    });
  }

  @Test
  void namesTheStorePropertyWhenItsValueIsUnknown() {
    runner.withPropertyValues("chatops.store=mongodb")
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(ConfigurationException.class)
            .hasMessage("chatops.store (CHATOPS_STORE) must be memory, dynamodb or datastore (or declare a Store"
                + " bean) but was 'mongodb'"));
  }

  @Test
  void namesTheModuleAStoreKindNeedsWhenItIsMissing() {
    runner.withClassLoader(new FilteredClassLoader(DynamoDbStore.class))
        .withPropertyValues("chatops.store=dynamodb", "chatops.dynamodb.table=chatops")
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(ConfigurationException.class)
            .hasMessage("chatops.store=dynamodb needs ai.chatops:chatops-store-dynamodb on the class path: add"
                + " that dependency beside the starter"));
  }

  @Test
  void keepsEventsInMemoryByDefault() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(Store.class).hasSingleBean(EventRouter.class);
    });
  }

  @Test
  void namesTheAdminTokenWhenItIsTooShort() {
    runner.withPropertyValues("chatops.admin-token=short")
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(ConfigurationException.class)
            .hasMessage("chatops.admin-token (CHATOPS_ADMIN_TOKEN) must have at least 16 characters (e.g. openssl"
                + " rand -hex 32); it has 5"));
  }

  @Test
  void refusesKeysGivenTwice() {
    runner.withPropertyValues("chatops.keys=k1:" + "A".repeat(43) + "=", "chatops.keys-file=/etc/chatops/keys")
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(ConfigurationException.class)
            .hasMessage("set chatops.keys (CHATOPS_KEYS) or chatops.keys-file (CHATOPS_KEYS_FILE), not both"));
  }

  /** An application's own store. */
  @Configuration(proxyBeanMethods = false)
  static class OwnStore {
    final Store store = InMemoryStore.create();

    @Bean
    Store ownStore() {
      return store;
    }
  }
}
