package ai.chatops;

import static ai.chatops.fixtures.RecordingService.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.chatops.fixtures.MutableClock;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.RecordingService;
import ai.chatops.router.internal.AdminAuth;
import ai.chatops.router.internal.HookEndpoint;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.Status;
import ai.chatops.secrets.CredentialDecryptionException;
import ai.chatops.secrets.KeyProvider;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.StoreEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/yaml}, {@code GET /v1/yaml/<plugin>}, stored configurations and key rotation. */
class ConfigEndpointTest {
  private static final String TOKEN = "admin-token-0123456789";
  private static final String SECRET = "admin-secret-0123456789";
  private static final String NEW_VALUE = "n3w-s3rvice-t0ken";
  private static final String K1 = "k1:" + key(1);
  private static final String K2 = "k2:" + key(2);
  private static final String DOCUMENT = RecordingPlugin.CONFIG.replace("v1.2.9", "v1.3.0")
      .replace("SERVICE_TOKEN: from-config", "SERVICE_TOKEN: " + NEW_VALUE + "\n  EXTRA_URL:");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
  private final InMemoryStore store = InMemoryStore.create(clock);
  private final RecordingService service = new RecordingService();
  private final List<EventRouter> routers = new ArrayList<>();

  private static String key(int b) {
    byte[] raw = new byte[32];
    Arrays.fill(raw, (byte) b);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** Answers every invocation with the SERVICE_TOKEN its context holds now. */
  static final class TokenEcho extends RecordingPlugin {
    TokenEcho() {
      answering(inv -> Action.reply("token " + context.credentials().require("SERVICE_TOKEN")));
    }
  }

  /** Refuses to connect while its token is "bad". */
  static final class Picky extends RecordingPlugin {
    @Override
    public void connect(PluginContext context) {
      super.connect(context);
      if (context.credentials().require("SERVICE_TOKEN").equals("bad")) {
        throw new ConfigurationException("SERVICE_TOKEN was refused by the service");
      }
    }
  }

  @AfterEach
  void close() {
    routers.forEach(EventRouter::close);
  }

  private EventRouter router(EventRouter.Builder builder) {
    EventRouter router = builder.store(store).clock(clock).service(service).build();
    routers.add(router);
    return router;
  }

  private EventRouter admin(RecordingPlugin plugin) {
    return router(EventRouter.builder().plugin(plugin).adminToken(TOKEN).keyProvider(KeyProvider.parse(K1)));
  }

  private static WebhookRequest post(String query, String body) {
    return typed(query, "application/yaml", body);
  }

  private static WebhookRequest typed(String query, String contentType, String body) {
    return WebhookRequest.builder("POST", "/v1/yaml").query(query).header("Content-Type", contentType)
        .header("Authorization", "Bearer " + TOKEN).body(body).build();
  }

  private static WebhookRequest post(String body) {
    return post("", body);
  }

  private static WebhookRequest get(String plugin) {
    return WebhookRequest.builder("GET", "/v1/yaml/" + plugin).header("Authorization", "Bearer " + TOKEN)
        .build();
  }

  private WebhookRequest signed(WebhookRequest unsigned, String secret) {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    String signature = "sha256=" + HookEndpoint.hex(HookEndpoint.hmac(secret.getBytes(StandardCharsets.UTF_8),
        AdminAuth.signedBytes(timestamp, unsigned)));
    return unsigned.newBuilder().header(AdminAuth.TIMESTAMP_HEADER, timestamp)
        .header(AdminAuth.SIGNATURE_HEADER, signature).build();
  }

  private static WebhookRequest unsignedPost(String body) {
    return WebhookRequest.builder("POST", "/v1/yaml").header("Content-Type", "application/yaml").body(body)
        .build();
  }

  private String ask(EventRouter router, String id) {
    router.handle(message(id, "jenkins build ID=api"));
    return service.nextText();
  }

  @Test
  void isDisabledWithoutAnAdminTokenOrSecret() {
    EventRouter router = router(EventRouter.builder().plugin(new RecordingPlugin())
        .keyProvider(KeyProvider.parse(K1)));

    WebhookResponse posted = router.handle(post(DOCUMENT));
    WebhookResponse read = router.handle(get("jenkins"));

    assertThat(posted.status()).isEqualTo(404);
    assertThat(posted.bodyAsString()).isEqualTo("nothing is mounted at /v1/yaml");
    assertThat(read.status()).isEqualTo(404);
    assertThat(store.get("config/jenkins")).isEmpty();
  }

  @Test
  void storesAValidConfigReconnectsThePluginAndTheNextInvocationSeesTheNewCredential() {
    TokenEcho plugin = new TokenEcho();
    EventRouter router = admin(plugin);
    assertThat(ask(router, "E1")).isEqualTo("token from-config");

    WebhookResponse response = router.handle(post(DOCUMENT));

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("Content-Type")).contains("application/json; charset=utf-8");
    long version = store.get("config/jenkins").orElseThrow().version();
    assertThat(response.bodyAsString()).isEqualTo("{\"plugin\":\"jenkins\",\"version\":\"v1.3.0\",\"routes\":"
        + "[\"/v1/jenkins/start\",\"/v1/jenkins/stop\",\"/v1/jenkins/build\",\"/v1/jenkins/jobs\"],"
        + "\"credentials\":[\"SERVICE_TOKEN\",\"EXTRA_URL\"],\"configVersion\":" + version
        + ",\"connected\":true}");
    assertThat(plugin.closes).isEqualTo(1);
    assertThat(plugin.connects).isEqualTo(2);
    assertThat(plugin.context.config().version()).isEqualTo("v1.3.0");
    assertThat(plugin.context.config().credentials().get("SERVICE_TOKEN")).isEmpty();
    assertThat(ask(router, "E2")).isEqualTo("token " + NEW_VALUE);

    WebhookResponse again = router.handle(post(DOCUMENT.replace(NEW_VALUE, "third-value")));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.bodyAsString()).contains("\"configVersion\":" + store.get("config/jenkins").orElseThrow()
        .version());
    assertThat(ask(router, "E3")).isEqualTo("token third-value");
  }

  @Test
  void theStoreHoldsNoCredentialInClear() {
    EventRouter router = admin(new RecordingPlugin());

    assertThat(router.handle(post(DOCUMENT)).status()).isEqualTo(201);

    List<StoreEntry> entries = store.list("", null, 1000).entries();
    assertThat(entries).extracting(StoreEntry::key).contains("config/jenkins");
    for (StoreEntry entry : entries) {
      assertThat(new String(entry.value(), StandardCharsets.UTF_8)).doesNotContain(NEW_VALUE)
          .doesNotContain(Base64.getEncoder().encodeToString(NEW_VALUE.getBytes(StandardCharsets.UTF_8)));
    }
    String stored = new String(store.get("config/jenkins").orElseThrow().value(), StandardCharsets.UTF_8);
    assertThat(stored).contains("\"SERVICE_TOKEN\":\"v1:k1:").contains("SERVICE_TOKEN: \\\"\\\"");
  }

  @Test
  void quotedAndBlockValuesAreCutOutOfTheStoredDocumentToo() {
    TokenEcho plugin = new TokenEcho();
    EventRouter router = admin(plugin);
    String quoted = DOCUMENT.replace(NEW_VALUE, "'quoted: " + NEW_VALUE + "'");
    String block = DOCUMENT.replace(NEW_VALUE, "|\n    block-" + NEW_VALUE + "\n    second line");

    assertThat(router.handle(post(quoted)).status()).isEqualTo(201);
    assertThat(plugin.context.credentials().get("SERVICE_TOKEN")).contains("quoted: " + NEW_VALUE);
    assertThat(new String(store.get("config/jenkins").orElseThrow().value(), StandardCharsets.UTF_8))
        .doesNotContain(NEW_VALUE).doesNotContain("quoted");
    assertThat(router.handle(post(block)).status()).isEqualTo(200);
    assertThat(plugin.context.credentials().get("SERVICE_TOKEN")).contains("block-" + NEW_VALUE + "\nsecond line\n");
    assertThat(new String(store.get("config/jenkins").orElseThrow().value(), StandardCharsets.UTF_8))
        .doesNotContain(NEW_VALUE).doesNotContain("second line");
    assertThat(router.handle(get("jenkins")).bodyAsString()).isEqualTo(DOCUMENT.replace(NEW_VALUE, "\"***\""));
  }

  @Test
  void getReturnsTheStoredConfigWithEveryCredentialMasked() {
    EventRouter router = admin(new RecordingPlugin());
    assertThat(router.handle(get("jenkins")).bodyAsString())
        .isEqualTo("no configuration of jenkins is stored; it runs on its bundled config.yaml");
    router.handle(post(DOCUMENT));

    WebhookResponse read = router.handle(get("jenkins"));

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("Content-Type")).contains("application/yaml; charset=utf-8");
    assertThat(read.header("X-Chatops-Config-Version"))
        .contains(Long.toString(store.get("config/jenkins").orElseThrow().version()));
    assertThat(read.bodyAsString()).isEqualTo(DOCUMENT.replace(NEW_VALUE, "\"***\""));
    assertThat(router.handle(get("gitlab")).bodyAsString())
        .isEqualTo("no plugin named 'gitlab' is registered with this router");
  }

  @Test
  void anInvalidDocumentGets400WithTheValidatorsMessage() {
    EventRouter router = admin(new RecordingPlugin());
    String invalid = DOCUMENT.replace("  JOB_PARAM: [start, jobs]", "  JOB_PARAM: [start, deploy]");
    String expected = catchMessage(() -> PluginConfig.parse("jenkins", "config.yaml",
        new java.io.StringReader(invalid)));

    WebhookResponse response = router.handle(post(invalid));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).isEqualTo(expected)
        .startsWith("config.yaml line 15: Attributes.JOB_PARAM[1]: 'deploy' is not a declared route")
        .doesNotContain(NEW_VALUE);
    assertThat(store.get("config/jenkins")).isEmpty();
  }

  private static String catchMessage(Runnable r) {
    try {
      r.run();
    } catch (ConfigurationException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigurationException");
  }

  @Test
  void refusesMissingAndWrongCredentialsWith401WithoutSayingWhichPart() {
    EventRouter router = admin(new RecordingPlugin());

    WebhookResponse missing = router.handle(unsignedPost(DOCUMENT));
    WebhookResponse wrong = router.handle(unsignedPost(DOCUMENT).newBuilder()
        .header("Authorization", "Bearer " + TOKEN + "x").build());
    WebhookResponse basic = router.handle(unsignedPost(DOCUMENT).newBuilder()
        .header("Authorization", "Basic " + TOKEN).build());
    WebhookResponse readAnonymously = router.handle(WebhookRequest.builder("GET", "/v1/yaml/jenkins").build());

    for (WebhookResponse response : List.of(missing, wrong, basic, readAnonymously)) {
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.bodyAsString()).isEqualTo("administrator authentication required");
      assertThat(response.header("WWW-Authenticate")).contains("Bearer realm=\"chatops-admin\"");
    }
    assertThat(store.get("config/jenkins")).isEmpty();
  }

  @Test
  void acceptsAFreshHmacSignatureOnceAndRefusesBadStaleAndReplayedOnes() {
    EventRouter router = router(EventRouter.builder().plugin(new RecordingPlugin()).adminSecret(SECRET)
        .keyProvider(KeyProvider.parse(K1)));
    WebhookRequest good = signed(unsignedPost(DOCUMENT), SECRET);

    WebhookResponse accepted = router.handle(good);
    WebhookResponse replayed = router.handle(good);
    WebhookResponse badSecret = router.handle(signed(unsignedPost(DOCUMENT), SECRET + "x"));
    WebhookRequest otherBody = signed(unsignedPost(DOCUMENT), SECRET).newBuilder().body(DOCUMENT + "\n").build();
    WebhookResponse bodyChanged = router.handle(otherBody);
    WebhookRequest old = signed(unsignedPost(DOCUMENT + "# old\n"), SECRET);
    clock.advance(Duration.ofMinutes(6));
    WebhookResponse stale = router.handle(old);
    WebhookResponse bearer = router.handle(post(DOCUMENT));

    assertThat(accepted.status()).isEqualTo(201);
    for (WebhookResponse refused : List.of(replayed, badSecret, bodyChanged, stale, bearer)) {
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.bodyAsString()).isEqualTo("administrator authentication required");
      assertThat(refused.header("WWW-Authenticate")).contains("ChatOps-HMAC-SHA256 realm=\"chatops-admin\","
          + " headers=\"X-Chatops-Timestamp X-Chatops-Signature\"");
    }
    assertThat(router.handle(signed(unsignedPost(DOCUMENT), SECRET)).status()).isEqualTo(200);
  }

  @Test
  void refusesHostileAndMalformedRequestsWithTheirStatus() {
    EventRouter router = router(EventRouter.builder().plugin(new RecordingPlugin()).adminToken(TOKEN)
        .keyProvider(KeyProvider.parse(K1)).maxBodyBytes(1024 * 1024));
    String bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        + "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nRoutes: [/v1/jenkins/build]\nVersion: 1\n";

    assertThat(router.handle(post("x".repeat(300 * 1024))).bodyAsString())
        .isEqualTo("a config.yaml may have at most 262144 characters");
    WebhookResponse bombed = router.handle(post(bomb));
    assertThat(bombed.status()).isEqualTo(400);
    assertThat(bombed.bodyAsString()).isEqualTo("config.yaml line 1: anchors and aliases (&name, *name)"
        + " are not allowed in a plugin config; write the value out, and quote values that start with & or *");
    WebhookResponse mismatch = router.handle(post("plugin=gitlab", DOCUMENT));
    assertThat(mismatch.status()).isEqualTo(400);
    assertThat(mismatch.bodyAsString())
        .isEqualTo("the request names plugin 'gitlab' but the document's routes belong to plugin 'jenkins'");
    WebhookResponse unknown = router.handle(post(DOCUMENT.replace("/v1/jenkins/", "/v1/gitlab/")));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.bodyAsString())
        .isEqualTo("no plugin named 'gitlab' is registered with this router; registered: jenkins");
    WebhookResponse unnamed = router.handle(post("Version: 1\n"));
    assertThat(unnamed.status()).isEqualTo(400);
    assertThat(unnamed.bodyAsString()).isEqualTo("name the plugin: POST /v1/yaml?plugin=<name>, or routes such"
        + " as /v1/<plugin>/<action> in the document");
    assertThat(router.handle(post("plugin=jenkins&x=1", DOCUMENT)).bodyAsString())
        .isEqualTo("unknown query parameter 'x'; only plugin=<name>");
    assertThat(router.handle(post("plugin=%zz", DOCUMENT)).bodyAsString())
        .isEqualTo("the plugin= parameter is not valid URL encoding");
    WebhookResponse json = router.handle(typed("", "application/json", DOCUMENT));
    assertThat(json.status()).isEqualTo(415);
    assertThat(json.bodyAsString()).isEqualTo("send the config.yaml as Content-Type application/yaml (or"
        + " text/yaml, text/plain) in UTF-8");
    assertThat(router.handle(typed("", "text/yaml; charset=latin1", DOCUMENT)).status()).isEqualTo(415);
    assertThat(router.handle(typed("", "", DOCUMENT)).status()).isEqualTo(415);
    WebhookResponse notUtf8 = router.handle(post(DOCUMENT).newBuilder()
        .body(new byte[] {'V', (byte) 0xC3, (byte) 0x28}).build());
    assertThat(notUtf8.status()).isEqualTo(400);
    assertThat(notUtf8.bodyAsString()).isEqualTo("the body is not valid UTF-8");
    WebhookResponse plainText = router.handle(typed("plugin=jenkins", "Text/Plain; Charset=UTF-8", DOCUMENT));
    assertThat(plainText.status()).isEqualTo(201);
    WebhookResponse wrongMethod = router.handle(WebhookRequest.builder("PUT", "/v1/yaml").build());
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).contains("POST");
    assertThat(router.handle(WebhookRequest.builder("POST", "/v1/yaml/jenkins").build()).header("Allow"))
        .contains("GET");
  }

  @Test
  void anOversizedBodyGets413BeforeAuthentication() {
    EventRouter router = router(EventRouter.builder().plugin(new RecordingPlugin()).adminToken(TOKEN)
        .maxBodyBytes(1000));

    WebhookResponse response = router.handle(unsignedPost("x".repeat(1001)));

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.bodyAsString()).isEqualTo("request body exceeds the limit of 1000 bytes");
  }

  @Test
  void withoutAKeyProviderRefusesCredentialValuesButStoresADocumentWithout() {
    RecordingPlugin plugin = new RecordingPlugin();
    EventRouter router = router(EventRouter.builder().plugin(plugin, Map.of("SERVICE_TOKEN", "from-host"))
        .adminToken(TOKEN));

    WebhookResponse refused = router.handle(post(DOCUMENT));
    WebhookResponse accepted = router.handle(post(DOCUMENT.replace(NEW_VALUE, "")));

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.bodyAsString()).isEqualTo("the config of jenkins gives values for [SERVICE_TOKEN], but"
        + " this router has no key provider to encrypt them at rest; configure EventRouter.Builder.keyProvider,"
        + " or leave the values empty and supply them from the host");
    assertThat(accepted.status()).isEqualTo(201);
    assertThat(plugin.context.credentials().get("SERVICE_TOKEN")).contains("from-host");
    assertThat(plugin.context.config().version()).isEqualTo("v1.3.0");
  }

  @Test
  void refusesAConfigThatChangesTheAccessRulesWhichWouldBeStoredButNotEnforced() {
    EventRouter router = admin(new RecordingPlugin());

    WebhookResponse response = router.handle(post(DOCUMENT
        + "Access:\n  stop:\n    allow:\n      users: [U0ADMIN]\n"));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.bodyAsString()).isEqualTo("the config of jenkins changes its Access rules; they are"
        + " read when the router starts, so they change only with a new release of the plugin. Keep Access as"
        + " the plugin ships it");
    assertThat(store.get("config/jenkins")).isEmpty();
  }

  @Test
  void refusesAConfigThatChangesTheRoutes() {
    EventRouter router = admin(new RecordingPlugin());

    WebhookResponse response = router.handle(post(DOCUMENT.replace("  - /v1/jenkins/jobs",
        "  - /v1/jenkins/jobs\n  - /v1/jenkins/deploy")));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.bodyAsString()).isEqualTo("the config of jenkins adds routes [/v1/jenkins/deploy] and"
        + " removes routes []; the routes are served by the plugin's code and the language model is trained on"
        + " them at start, so they can change only with a new release of the plugin. Keep Routes, Attributes"
        + " and Confirm as the plugin ships them: [/v1/jenkins/start, /v1/jenkins/stop, /v1/jenkins/build,"
        + " /v1/jenkins/jobs]");
    assertThat(store.get("config/jenkins")).isEmpty();
  }

  @Test
  void aConfigThePluginCannotConnectWithIsStoredAndReported() {
    Picky plugin = new Picky();
    EventRouter router = admin(plugin);

    WebhookResponse response = router.handle(post(DOCUMENT.replace(NEW_VALUE, "bad")));

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.bodyAsString()).contains("\"connected\":false,"
        + "\"connectError\":\"SERVICE_TOKEN was refused by the service\"");
    assertThat(router.healthChecks().get("jenkins").state()).isEqualTo(Status.State.ERROR);
    assertThat(store.get("config/jenkins")).isPresent();
    assertThat(router.handle(post(DOCUMENT)).bodyAsString()).contains("\"connected\":true");
    assertThat(router.healthChecks().get("jenkins").state()).isNotEqualTo(Status.State.ERROR);
  }

  @Test
  void storedValuesWinOverTheHostsAndAStoredBlankKeepsThem() {
    TokenEcho plugin = new TokenEcho();
    EventRouter router = router(EventRouter.builder()
        .plugin(plugin, Map.of("SERVICE_TOKEN", "from-host", "EXTRA_URL", "https://host.example"))
        .adminToken(TOKEN).keyProvider(KeyProvider.parse(K1)));
    assertThat(ask(router, "E1")).isEqualTo("token from-host");

    router.handle(post(DOCUMENT));

    assertThat(ask(router, "E2")).isEqualTo("token " + NEW_VALUE);
    assertThat(plugin.context.credentials().get("EXTRA_URL")).contains("https://host.example");
  }

  @Test
  void aRouterBuiltLaterStartsWithTheStoredConfigAndARunningOneReloadsIt() {
    TokenEcho first = new TokenEcho();
    TokenEcho running = new TokenEcho();
    EventRouter admin = admin(first);
    EventRouter other = router(EventRouter.builder().plugin(running).keyProvider(KeyProvider.parse(K1)));

    admin.handle(post(DOCUMENT));
    TokenEcho later = new TokenEcho();
    router(EventRouter.builder().plugin(later).keyProvider(KeyProvider.parse(K1)));

    assertThat(later.connects).isEqualTo(1);
    assertThat(later.context.credentials().get("SERVICE_TOKEN")).contains(NEW_VALUE);
    assertThat(running.context.credentials().get("SERVICE_TOKEN")).contains("from-config");
    assertThat(other.reloadStoredConfigs()).isEqualTo(1);
    assertThat(running.context.credentials().get("SERVICE_TOKEN")).contains(NEW_VALUE);
    assertThat(running.closes).isEqualTo(1);
    assertThat(other.reloadStoredConfigs()).isZero();
    assertThat(admin.reloadStoredConfigs()).isZero();
  }

  @Test
  void theSweepNoticesANewerStoredConfig() {
    TokenEcho running = new TokenEcho();
    router(EventRouter.builder().plugin(running).keyProvider(KeyProvider.parse(K1))
        .sweepInterval(Duration.ofMillis(20)));
    admin(new RecordingPlugin()).handle(post(DOCUMENT));

    await("the sweep to reload the stored config").atMost(Duration.ofSeconds(10))
        .until(() -> running.context.credentials().get("SERVICE_TOKEN").orElse("").equals(NEW_VALUE));
    assertThat(running.context.credentials().get("SERVICE_TOKEN")).contains(NEW_VALUE);
  }

  @Test
  void rotationReencryptsEveryValueAndOldKeysDecryptUntilRetired() {
    admin(new RecordingPlugin()).handle(post(DOCUMENT));
    EventRouter rotated = router(EventRouter.builder().plugin(new RecordingPlugin())
        .keyProvider(KeyProvider.parse(K2 + "," + K1)));

    assertThat(rotated.reencryptCredentials()).isEqualTo(1);
    assertThat(rotated.reencryptCredentials()).isZero();
    String stored = new String(store.get("config/jenkins").orElseThrow().value(), StandardCharsets.UTF_8);
    assertThat(stored).contains("\"SERVICE_TOKEN\":\"v1:k2:").doesNotContain("v1:k1:");

    TokenEcho onNewKeyOnly = new TokenEcho();
    router(EventRouter.builder().plugin(onNewKeyOnly).keyProvider(KeyProvider.parse(K2)));
    assertThat(onNewKeyOnly.context.credentials().get("SERVICE_TOKEN")).contains(NEW_VALUE);
    assertThatThrownBy(() -> router(EventRouter.builder().plugin(new RecordingPlugin())
        .keyProvider(KeyProvider.parse(K1))))
        .isInstanceOf(CredentialDecryptionException.class)
        .hasMessage("credential SERVICE_TOKEN of plugin jenkins (key id k2) cannot be decrypted: the key"
            + " provider does not have this key (retired?); give it back to the provider, or store the"
            + " configuration again");
    assertThatThrownBy(() -> router(EventRouter.builder().plugin(new RecordingPlugin()).adminToken(TOKEN)))
        .isInstanceOf(CredentialDecryptionException.class)
        .hasMessage("credential SERVICE_TOKEN of plugin jenkins (key id k2) cannot be decrypted: this router"
            + " has no key provider; configure EventRouter.Builder.keyProvider");
    try (EventRouter elsewhere = EventRouter.builder().plugin(new RecordingPlugin()).build()) {
      assertThatThrownBy(elsewhere::reencryptCredentials)
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("re-encrypting credentials needs a key provider; configure EventRouter.Builder.keyProvider");
    }
  }

  /** The test's store, which can be switched off. */
  final class Switchable implements ai.chatops.store.Store {
    volatile boolean down;

    private ai.chatops.store.Store live() {
      if (down) {
        throw new StoreUnavailableException("down");
      }
      return store;
    }

    @Override
    public java.util.Optional<StoreEntry> get(String key) {
      return live().get(key);
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      return live().put(key, value, expiresAt);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, Instant expiresAt) {
      return live().putIfAbsent(key, value, expiresAt);
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      return live().compareAndSet(key, expectedVersion, value, expiresAt);
    }

    @Override
    public boolean delete(String key) {
      return live().delete(key);
    }

    @Override
    public ai.chatops.store.StorePage list(String prefix, String cursor, int limit) {
      return live().list(prefix, cursor, limit);
    }
  }

  @Test
  void aStoreThatIsDownGives503AndDoesNotStopTheRouterStarting() {
    admin(new RecordingPlugin()).handle(post(DOCUMENT));
    Switchable switchable = new Switchable();
    switchable.down = true;
    TokenEcho plugin = new TokenEcho();
    EventRouter router = EventRouter.builder().plugin(plugin).store(switchable).clock(clock).service(service)
        .adminToken(TOKEN).keyProvider(KeyProvider.parse(K1)).build();
    routers.add(router);

    assertThat(plugin.context.credentials().get("SERVICE_TOKEN")).contains("from-config");
    WebhookResponse response = router.handle(post(DOCUMENT));
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.bodyAsString()).isEqualTo("the bot's store is unavailable; try again");
    assertThatThrownBy(router::reloadStoredConfigs).isInstanceOf(StoreUnavailableException.class);

    switchable.down = false;
    assertThat(router.reloadStoredConfigs()).isEqualTo(1);
    assertThat(plugin.context.credentials().get("SERVICE_TOKEN")).contains(NEW_VALUE);
  }

  @Test
  void aRouterThatDoesNotUseStoredConfigsNeverReadsThem() {
    admin(new RecordingPlugin()).handle(post(DOCUMENT));
    RecordingPlugin plugin = new RecordingPlugin();
    EventRouter router = router(EventRouter.builder().plugin(plugin));

    assertThat(router.reloadStoredConfigs()).isZero();
    assertThat(plugin.context.credentials().get("SERVICE_TOKEN")).contains("from-config");
  }

  @Test
  void noLogLineShowsACredentialValueOrTheAdminToken() throws Exception {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      EventRouter router = router(EventRouter.builder().plugin(new Picky()).adminToken(TOKEN)
          .keyProvider(KeyProvider.parse(K1)));
      EventRouter otherKeys = router(EventRouter.builder().plugin(new RecordingPlugin())
          .keyProvider(KeyProvider.parse(K2)));
      router.handle(post(DOCUMENT));
      assertThat(otherKeys.reloadStoredConfigs()).isZero();
      router.handle(post(DOCUMENT.replace(NEW_VALUE, "bad")));
      router.handle(post(DOCUMENT.replace("Routes:", "Routes: " + NEW_VALUE + "\nX:")));
      router.handle(unsignedPost(DOCUMENT).newBuilder().header("Authorization", "Bearer " + NEW_VALUE).build());
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);

    assertThat(logs).contains("plugin jenkins: configuration v1.3.0 stored")
        .contains("administrator authentication failed")
        .contains("cannot be used: credential SERVICE_TOKEN of plugin jenkins (key id k1) cannot be decrypted")
        .doesNotContain(NEW_VALUE).doesNotContain(TOKEN).doesNotContain("bad)");
  }

  @Test
  void adminSecretsMustBeLongEnough() {
    assertThatThrownBy(() -> EventRouter.builder().adminToken("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("adminToken must have at least 16 characters");
    assertThatThrownBy(() -> EventRouter.builder().adminSecret(null))
        .hasMessage("adminSecret must have at least 16 characters");
  }
}
