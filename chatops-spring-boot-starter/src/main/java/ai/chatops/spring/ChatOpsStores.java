package ai.chatops.spring;

import ai.chatops.ConfigurationException;
import ai.chatops.store.Store;
import ai.chatops.store.datastore.DatastoreStore;
import ai.chatops.store.dynamodb.DynamoDbStore;
import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The shared stores {@code chatops.store} names, each when its module is on the class path and the context
 * has no {@link Store} bean of its own. A client bean of the application's ({@link DynamoDbClient},
 * {@link Datastore}) replaces the one built from the properties.
 */
@Configuration(proxyBeanMethods = false)
class ChatOpsStores {
  private static final Logger log = LoggerFactory.getLogger(ChatOpsStores.class);

  /** What {@code chatops.store} may say. */
  static final Set<String> KINDS = Set.of("memory", "dynamodb", "datastore");

  /**
   * Checks {@code chatops.store} for a router built without a {@link Store} bean: memory, or a module that is
   * missing from the class path.
   *
   * @throws ConfigurationException naming the property, the value and the fix
   */
  static void checkKind(String value, boolean haveStore) {
    String kind = value == null ? "memory" : value.trim().toLowerCase(Locale.ROOT);
    if (!KINDS.contains(kind)) {
      throw new ConfigurationException("chatops.store (CHATOPS_STORE) must be memory, dynamodb or datastore"
          + " (or declare a Store bean) but was '" + value + "'");
    }
    if (!haveStore && !kind.equals("memory")) {
      throw new ConfigurationException("chatops.store=" + kind + " needs ai.chatops:chatops-store-" + kind
          + " on the class path: add that dependency beside the starter");
    }
  }

  /** {@code chatops.store=dynamodb}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"ai.chatops.store.dynamodb.DynamoDbStore",
      "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
      "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient"})
  @ConditionalOnProperty(prefix = "chatops", name = "store", havingValue = "dynamodb")
  @ConditionalOnMissingBean(Store.class)
  static class DynamoDbStoreConfiguration {
    /** A client of the configured region or endpoint, with the AWS SDK's default credentials. */
    @Bean
    @ConditionalOnMissingBean(DynamoDbClient.class)
    DynamoDbClient chatopsDynamoDbClient(ChatOpsProperties properties, Environment environment) {
      ChatOpsProperties.DynamoDb settings = properties.getDynamodb();
      DynamoDbClientBuilder client = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.builder().build());
      URI endpoint = endpoint(settings.getEndpoint());
      String region = blankToNull(settings.getRegion());
      if (region != null) {
        client.region(Region.of(region));
      } else if (endpoint != null) {
        client.region(Region.US_EAST_1); // a local server accepts any region
      }
      if (endpoint != null) {
        client.endpointOverride(endpoint);
        if (!environment.containsProperty("AWS_ACCESS_KEY_ID") && !environment.containsProperty("aws.accessKeyId")) {
          // dynalite and other local DynamoDB servers accept any signature; without these the SDK's default
          // chain fails for want of credentials on a developer's machine.
          client.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        }
      }
      return client.build();
    }

    /** The store in {@code chatops.dynamodb.table}, created first when asked to (or with an endpoint). */
    @Bean
    DynamoDbStore chatopsDynamoDbStore(ChatOpsProperties properties, DynamoDbClient client) {
      ChatOpsProperties.DynamoDb settings = properties.getDynamodb();
      String table = blankToNull(settings.getTable());
      if (table == null) {
        throw new ConfigurationException("chatops.dynamodb.table (CHATOPS_DYNAMODB_TABLE) is required with"
            + " chatops.store=dynamodb: the name of the table (docs/stores.md says how to create it)");
      }
      DynamoDbStore store;
      try {
        store = DynamoDbStore.builder().client(client).table(table.trim()).build();
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("chatops.dynamodb.table: " + e.getMessage(), e);
      }
      boolean create = settings.getCreateTable() != null
          ? settings.getCreateTable() : blankToNull(settings.getEndpoint()) != null;
      if (create) {
        log.info("chatops.dynamodb.create-table: creating DynamoDB table \"{}\" unless it exists", table);
        store.createTableForDevelopment();
      }
      log.info("events are journalled in DynamoDB table \"{}\"", table);
      return store;
    }

    private static URI endpoint(String value) {
      String endpoint = blankToNull(value);
      if (endpoint == null) {
        return null;
      }
      try {
        URI uri = new URI(endpoint.trim());
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // reported below
      }
      throw new ConfigurationException("chatops.dynamodb.endpoint (CHATOPS_DYNAMODB_ENDPOINT) must be an http(s)"
          + " URL such as http://127.0.0.1:8000 but was '" + endpoint + "'");
    }
  }

  /** {@code chatops.store=datastore}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"ai.chatops.store.datastore.DatastoreStore",
      "com.google.cloud.datastore.Datastore"})
  @ConditionalOnProperty(prefix = "chatops", name = "store", havingValue = "datastore")
  @ConditionalOnMissingBean(Store.class)
  static class DatastoreStoreConfiguration {
    /** A client of the configured project and namespace, or of the emulator. */
    @Bean
    @ConditionalOnMissingBean(Datastore.class)
    Datastore chatopsDatastore(ChatOpsProperties properties) {
      ChatOpsProperties.Datastore settings = properties.getDatastore();
      DatastoreOptions.Builder options = DatastoreOptions.newBuilder();
      String project = blankToNull(settings.getProjectId());
      if (project != null) {
        options.setProjectId(project.trim());
      }
      String namespace = blankToNull(settings.getNamespace());
      if (namespace != null) {
        options.setNamespace(namespace.trim());
      }
      String emulator = blankToNull(settings.getEmulatorHost());
      if (emulator != null) {
        if (!emulator.trim().matches("[A-Za-z0-9.\\[\\]:-]+:[0-9]{1,5}")) {
          throw new ConfigurationException("chatops.datastore.emulator-host (CHATOPS_DATASTORE_EMULATOR_HOST) must"
              + " be host:port such as localhost:8081 but was '" + emulator + "'");
        }
        // The client's HTTP transport honours the emulator host (docs/stores.md).
        options.setHost("http://" + emulator.trim()).setCredentials(NoCredentials.getInstance());
      }
      DatastoreOptions built;
      try {
        built = options.build();
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("chatops.datastore.project-id (CHATOPS_DATASTORE_PROJECT_ID) is required"
            + " with chatops.store=datastore unless the environment names the project: " + e.getMessage(), e);
      }
      return built.getService();
    }

    /** The store in the client's project and namespace. */
    @Bean
    DatastoreStore chatopsDatastoreStore(Datastore datastore) {
      log.info("events are journalled in Datastore project {}{}", datastore.getOptions().getProjectId(),
          datastore.getOptions().getNamespace() == null || datastore.getOptions().getNamespace().isEmpty()
              ? "" : ", namespace " + datastore.getOptions().getNamespace());
      return DatastoreStore.builder().datastore(datastore).build();
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
