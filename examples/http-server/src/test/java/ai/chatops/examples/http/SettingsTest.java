package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.dialogflow.DialogFlowNlu;
import ai.chatops.plugin.BotPlugin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store, NLU and recovery variables: defaults, and a start-up error naming each invalid one. */
class SettingsTest {
  @TempDir Path dir;

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("SLACK_SIGNING_SECRET", "secret");
    env.put("SLACK_BOT_TOKEN", "xoxb-test");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static void refused(Map<String, String> env, String message) {
    assertThatThrownBy(() -> Settings.fromEnv(env)).isInstanceOf(ConfigurationException.class).hasMessage(message);
  }

  // ---- CHATOPS_STORE

  @Test
  void keepsEventsInMemoryByDefault() {
    Settings settings = Settings.fromEnv(env());

    assertThat(settings.store()).isEqualTo(new Settings.Memory());
    assertThat(settings.nlu()).isEqualTo(new Settings.LocalNluSettings());
    assertThat(settings.lease()).isEmpty();
    assertThat(settings.sweepInterval()).isEmpty();
    assertThat(Settings.fromEnv(env("CHATOPS_STORE", "Memory")).store()).isEqualTo(new Settings.Memory());
  }

  @Test
  void refusesAnUnknownStore() {
    refused(env("CHATOPS_STORE", "redis"), "CHATOPS_STORE must be memory, dynamodb or datastore but was 'redis'");
  }

  // ---- DynamoDB

  @Test
  void readsDynamoDbForAwsWithTheDefaultCredentialChainAndNoTableCreation() {
    Settings settings = Settings.fromEnv(env("CHATOPS_STORE", "dynamodb", "DYNAMODB_TABLE", "chatops",
        "AWS_REGION", "eu-west-1"));

    assertThat(settings.store()).isEqualTo(new Settings.DynamoDb("chatops", "eu-west-1", Optional.empty(), false,
        false));
  }

  @Test
  void readsALocalDynamoDbEndpointWithDefaultRegionDummyCredentialsAndTableCreation() {
    Settings local = Settings.fromEnv(env("CHATOPS_STORE", "dynamodb", "DYNAMODB_TABLE", "chatops",
        "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000"));
    Settings keyed = Settings.fromEnv(env("CHATOPS_STORE", "dynamodb", "DYNAMODB_TABLE", "chatops",
        "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000", "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIA1",
        "DYNAMODB_CREATE_TABLE", "false"));

    assertThat(local.store()).isEqualTo(new Settings.DynamoDb("chatops", "us-east-1",
        Optional.of(URI.create("http://127.0.0.1:8000")), true, true));
    assertThat(keyed.store()).isEqualTo(new Settings.DynamoDb("chatops", "eu-west-1",
        Optional.of(URI.create("http://127.0.0.1:8000")), false, false));
  }

  @Test
  void stopsOnAMissingOrInvalidDynamoDbVariable() {
    refused(env("CHATOPS_STORE", "dynamodb", "AWS_REGION", "us-east-1"), "DYNAMODB_TABLE is required with"
        + " CHATOPS_STORE=dynamodb: the name of the table (docs/stores.md says how to create it)");
    refused(env("CHATOPS_STORE", "dynamodb", "DYNAMODB_TABLE", "a b", "AWS_REGION", "us-east-1"),
        "DYNAMODB_TABLE must be 3 to 255 letters, digits, '_', '-' or '.' but was 'a b'");
    refused(env("CHATOPS_STORE", "dynamodb", "DYNAMODB_TABLE", "chatops"),
        "AWS_REGION is required with CHATOPS_STORE=dynamodb (such as us-east-1), unless DYNAMODB_ENDPOINT is set");
    refused(env("CHATOPS_STORE", "dynamodb", "DYNAMODB_TABLE", "chatops", "AWS_REGION", "Frankfurt"),
        "AWS_REGION must be a region such as us-east-1 but was 'Frankfurt'");
    refused(env("CHATOPS_STORE", "dynamodb", "DYNAMODB_TABLE", "chatops", "DYNAMODB_ENDPOINT", "127.0.0.1:8000"),
        "DYNAMODB_ENDPOINT must be an absolute http(s) URL such as http://127.0.0.1:8000 but was '127.0.0.1:8000'");
    refused(env("CHATOPS_STORE", "dynamodb", "DYNAMODB_TABLE", "chatops", "AWS_REGION", "us-east-1",
        "DYNAMODB_CREATE_TABLE", "yes"), "DYNAMODB_CREATE_TABLE must be true or false but was 'yes'");
  }

  // ---- Datastore

  @Test
  void readsDatastore() {
    assertThat(Settings.fromEnv(env("CHATOPS_STORE", "datastore", "DATASTORE_PROJECT_ID", "my-bot-123")).store())
        .isEqualTo(new Settings.Datastore("my-bot-123", "", Optional.empty()));
    assertThat(Settings.fromEnv(env("CHATOPS_STORE", "datastore", "DATASTORE_PROJECT_ID", "my-bot-123",
        "DATASTORE_NAMESPACE", "team-a", "DATASTORE_EMULATOR_HOST", "localhost:8081")).store())
        .isEqualTo(new Settings.Datastore("my-bot-123", "team-a", Optional.of("localhost:8081")));
  }

  @Test
  void stopsOnAMissingOrInvalidDatastoreVariable() {
    refused(env("CHATOPS_STORE", "datastore"), "DATASTORE_PROJECT_ID is required with CHATOPS_STORE=datastore:"
        + " the Google Cloud project of the database");
    refused(env("CHATOPS_STORE", "datastore", "DATASTORE_PROJECT_ID", "My Bot"),
        "DATASTORE_PROJECT_ID must be a Google Cloud project id such as my-bot-123 but was 'My Bot'");
    refused(env("CHATOPS_STORE", "datastore", "DATASTORE_PROJECT_ID", "my-bot-123", "DATASTORE_NAMESPACE", "a/b"),
        "DATASTORE_NAMESPACE must be up to 100 letters, digits, '.', '_' or '-' (and not __reserved__) but was 'a/b'");
    refused(env("CHATOPS_STORE", "datastore", "DATASTORE_PROJECT_ID", "my-bot-123", "DATASTORE_EMULATOR_HOST",
        "http://localhost:8081"), "DATASTORE_EMULATOR_HOST must be host:port such as localhost:8081 but was"
        + " 'http://localhost:8081'");
  }

  // ---- CHATOPS_NLU

  @Test
  void readsDialogFlowWithEnglishAndApplicationDefaultCredentialsByDefault() throws Exception {
    Path key = Files.writeString(dir.resolve("key.json"), "{}");

    assertThat(Settings.fromEnv(env("CHATOPS_NLU", "dialogflow", "DIALOGFLOW_PROJECT_ID", "my-agent-123")).nlu())
        .isEqualTo(new Settings.DialogFlow("my-agent-123", "en", Optional.empty()));
    assertThat(Settings.fromEnv(env("CHATOPS_NLU", "dialogflow", "DIALOGFLOW_PROJECT_ID", "my-agent-123",
        "DIALOGFLOW_LANGUAGE", "pt-BR", "GOOGLE_APPLICATION_CREDENTIALS", key.toString())).nlu())
        .isEqualTo(new Settings.DialogFlow("my-agent-123", "pt-BR", Optional.of(key)));
  }

  @Test
  void stopsOnAMissingOrInvalidNluVariable() {
    refused(env("CHATOPS_NLU", "watson"),
        "CHATOPS_NLU must be local, dialogflow, llm or local,llm but was 'watson'");
    refused(env("CHATOPS_NLU", "dialogflow"), "DIALOGFLOW_PROJECT_ID is required with CHATOPS_NLU=dialogflow:"
        + " the Google Cloud project of the agent");
    refused(env("CHATOPS_NLU", "dialogflow", "DIALOGFLOW_PROJECT_ID", "agent"),
        "DIALOGFLOW_PROJECT_ID must be a Google Cloud project id such as my-agent-123 but was 'agent'");
    refused(env("CHATOPS_NLU", "dialogflow", "DIALOGFLOW_PROJECT_ID", "my-agent-123", "DIALOGFLOW_LANGUAGE",
        "English"), "DIALOGFLOW_LANGUAGE must be a language code such as en or pt-BR but was 'English'");
    String missing = dir.resolve("missing.json").toString();
    refused(env("CHATOPS_NLU", "dialogflow", "DIALOGFLOW_PROJECT_ID", "my-agent-123",
        "GOOGLE_APPLICATION_CREDENTIALS", missing), "GOOGLE_APPLICATION_CREDENTIALS must name a readable service"
        + " account key file but '" + missing + "' is not one");
  }

  @Test
  void startsAHostOnDialogFlowWithAKeyFileMakingNoCall() throws Exception {
    Path key = serviceAccountKey();
    Settings.NluSettings nlu = Settings.fromEnv(env("CHATOPS_NLU", "dialogflow", "DIALOGFLOW_PROJECT_ID",
        "my-agent-123", "GOOGLE_APPLICATION_CREDENTIALS", key.toString())).nlu();
    List<AutoCloseable> resources = new ArrayList<>();

    Optional<ai.chatops.nlu.NluEngine> engine = HttpServerMain.nlu(nlu, List.of(BotPlugin.create()), resources);

    assertThat(engine).containsInstanceOf(DialogFlowNlu.class);
    assertThat(resources).containsExactly((AutoCloseable) engine.get());
    for (AutoCloseable resource : resources) {
      resource.close();
    }
    assertThat(HttpServerMain.nlu(new Settings.LocalNluSettings(), List.of(), resources)).isEmpty();
  }

  // ---- recovery timing

  @Test
  void readsLeaseAndSweepInterval() {
    Settings settings = Settings.fromEnv(env("CHATOPS_LEASE", "3s", "CHATOPS_SWEEP_INTERVAL", "500ms"));

    assertThat(settings.lease()).contains(Duration.ofSeconds(3));
    assertThat(settings.sweepInterval()).contains(Duration.ofMillis(500));
    assertThat(Settings.fromEnv(env("CHATOPS_LEASE", "2m", "CHATOPS_SWEEP_INTERVAL", "1h")).sweepInterval())
        .contains(Duration.ofHours(1));
  }

  @Test
  void stopsOnAnInvalidDuration() {
    refused(env("CHATOPS_LEASE", "3"), "CHATOPS_LEASE must be a positive duration such as 500ms, 30s, 5m or 1h"
        + " but was '3'");
    refused(env("CHATOPS_SWEEP_INTERVAL", "0s"), "CHATOPS_SWEEP_INTERVAL must be a positive duration such as"
        + " 500ms, 30s, 5m or 1h but was '0s'");
  }

  // ---- /v1/yaml: admin token, secret and credential keys

  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void leavesTheConfigurationEndpointOffByDefault() {
    Settings.Admin admin = Settings.fromEnv(env()).admin();

    assertThat(admin.token()).isEmpty();
    assertThat(admin.secret()).isEmpty();
    assertThat(admin.keys()).isEmpty();
  }

  @Test
  void readsTheAdminTokenSecretAndKeysWithoutShowingThem() throws Exception {
    Settings.Admin admin = Settings.fromEnv(env("CHATOPS_ADMIN_TOKEN", "token-0123456789abcdef",
        "CHATOPS_ADMIN_SECRET", "secret-0123456789abcdef", "CHATOPS_KEYS", "new:" + KEY + ",old:" + KEY)).admin();

    assertThat(admin.token()).contains("token-0123456789abcdef");
    assertThat(admin.secret()).contains("secret-0123456789abcdef");
    assertThat(admin.keys().orElseThrow().currentKeyId()).isEqualTo("new");
    assertThat(admin.keys().orElseThrow().key("old")).isPresent();
    assertThat(admin.toString()).isEqualTo("Admin{token=***, secret=***, keys=KeyProvider{current=new,"
        + " ids=[new, old]}}").doesNotContain(KEY);

    Path file = Files.writeString(dir.resolve("keys"), "# rotated 2026-11\nfile:" + KEY + "\n");
    assertThat(Settings.fromEnv(env("CHATOPS_KEYS_FILE", file.toString())).admin().keys().orElseThrow()
        .currentKeyId()).isEqualTo("file");
  }

  @Test
  void stopsOnAShortAdminSecretOrBadKeys() {
    refused(env("CHATOPS_ADMIN_TOKEN", "short"), "CHATOPS_ADMIN_TOKEN must have at least 16 characters (e.g."
        + " openssl rand -hex 32); it was 5");
    refused(env("CHATOPS_ADMIN_SECRET", "0123456789"), "CHATOPS_ADMIN_SECRET must have at least 16 characters"
        + " (e.g. openssl rand -hex 32); it was 10");
    refused(env("CHATOPS_KEYS", "k1:" + Base64.getEncoder().encodeToString(new byte[16])), "CHATOPS_KEYS: the"
        + " key list: key k1 (entry 1) is 16 bytes long; AES-256 needs exactly 32 random bytes, e.g. from"
        + " 'openssl rand -base64 32'");
    refused(env("CHATOPS_KEYS", "k1:" + KEY, "CHATOPS_KEYS_FILE", "/keys"),
        "set CHATOPS_KEYS or CHATOPS_KEYS_FILE, not both");
    Path missing = dir.resolve("missing");
    refused(env("CHATOPS_KEYS_FILE", missing.toString()), "CHATOPS_KEYS_FILE: the key file " + missing
        + " could not be read: NoSuchFileException");
  }

  /** A service account key with a fresh RSA key: enough for the client to be built, never used to sign in. */
  private Path serviceAccountKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem = "-----BEGIN PRIVATE KEY-----\\n"
        + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
        + "\\n-----END PRIVATE KEY-----\\n";
    return Files.writeString(dir.resolve("key.json"), "{\"type\":\"service_account\",\"project_id\":\"my-agent-123\","
        + "\"private_key_id\":\"k1\",\"private_key\":\"" + pem + "\","
        + "\"client_email\":\"bot@my-agent-123.iam.gserviceaccount.com\",\"client_id\":\"1\","
        + "\"token_uri\":\"https://oauth2.googleapis.com/token\"}");
  }

  // ---- access rules, rate limits, audit

  @Test
  void limitsEachUserTo30PerMinuteAndAllowsRoutesWithoutRulesByDefault() {
    Settings.AccessSettings access = Settings.fromEnv(env()).access();
    assertThat(access).isEqualTo(new Settings.AccessSettings(List.of(), Map.of(), true,
        Optional.of(new Settings.RateLimit(30, Duration.ofMinutes(1))), Optional.empty(), Optional.empty()));
  }

  @Test
  void readsAdminsGroupsPolicyRateLimitsAndRetention() {
    Settings.AccessSettings access = Settings.fromEnv(env("CHATOPS_ADMINS", "U0ROOT, @release-managers",
        "CHATOPS_GROUP_RELEASE_MANAGERS", "U1,U2", "CHATOPS_DEFAULT_ACCESS", "Deny",
        "CHATOPS_USER_RATE_LIMIT", "5/10s", "CHATOPS_ROUTE_RATE_LIMIT", "100/1h",
        "CHATOPS_AUDIT_RETENTION", "90d")).access();
    assertThat(access).isEqualTo(new Settings.AccessSettings(List.of("U0ROOT", "@release-managers"),
        Map.of("release-managers", List.of("U1", "U2")), false,
        Optional.of(new Settings.RateLimit(5, Duration.ofSeconds(10))),
        Optional.of(new Settings.RateLimit(100, Duration.ofHours(1))), Optional.of(Duration.ofDays(90))));
    assertThat(Settings.fromEnv(env("CHATOPS_USER_RATE_LIMIT", "off")).access().userRateLimit()).isEmpty();
  }

  @Test
  void stopsOnInvalidAccessVariables() {
    refused(env("CHATOPS_ADMINS", "@ops"), "CHATOPS_ADMINS names group @ops, but no CHATOPS_GROUP_OPS defines it");
    refused(env("CHATOPS_ADMINS", "U1;rm -rf"), "CHATOPS_ADMINS must be a comma-separated list of user ids and"
        + " @groups such as U0123ABC, but 'U1;rm -rf' is not one");
    refused(env("CHATOPS_GROUP_OPS", "@admins"), "CHATOPS_GROUP_OPS must be a comma-separated list of user ids"
        + " such as U0123ABC, but '@admins' is not one");
    refused(env("CHATOPS_GROUP_", "U1"), "CHATOPS_GROUP_ does not name a group: use CHATOPS_GROUP_<NAME> with"
        + " letters, digits and '_' (read as '-'), such as CHATOPS_GROUP_RELEASE_MANAGERS");
    refused(env("CHATOPS_DEFAULT_ACCESS", "maybe"), "CHATOPS_DEFAULT_ACCESS must be allow or deny but was 'maybe'");
    refused(env("CHATOPS_USER_RATE_LIMIT", "0/1m"), "CHATOPS_USER_RATE_LIMIT must be <count>/<period> such as 30/1m"
        + " (period up to 1d) or off, but was '0/1m'");
    refused(env("CHATOPS_ROUTE_RATE_LIMIT", "10/2d"), "CHATOPS_ROUTE_RATE_LIMIT must be <count>/<period> such as"
        + " 30/1m (period up to 1d) or off, but was '10/2d'");
    refused(env("CHATOPS_USER_RATE_LIMIT", "lots"), "CHATOPS_USER_RATE_LIMIT must be <count>/<period> such as"
        + " 30/1m (period up to 1d) or off, but was 'lots'");
    refused(env("CHATOPS_AUDIT_RETENTION", "forever"), "CHATOPS_AUDIT_RETENTION must be a positive duration such"
        + " as 500ms, 30s, 5m or 1h but was 'forever'");
    String hostile = "U" + "9".repeat(200);
    refused(env("CHATOPS_ADMINS", hostile), "CHATOPS_ADMINS must be a comma-separated list of user ids and @groups"
        + " such as U0123ABC, but '" + hostile.substring(0, 40) + "...' is not one");
  }
}
