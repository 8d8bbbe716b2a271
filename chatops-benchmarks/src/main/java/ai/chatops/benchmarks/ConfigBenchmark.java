package ai.chatops.benchmarks;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.secrets.KeyProvider;
import ai.chatops.secrets.internal.CredentialCipher;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of run-time configuration (docs/configuration.md): one credential encrypted and decrypted with
 * AES-256-GCM, a whole {@code POST /v1/yaml} (authenticate, validate, cut out and encrypt the values, store,
 * reconnect) on the in-memory store, and the per-sweep check of a router whose configuration did not change.
 * Run with {@code java -jar chatops-benchmarks/target/benchmarks.jar ConfigBenchmark}.
 */
@State(Scope.Benchmark)
public class ConfigBenchmark {
  private static final String TOKEN = "benchmark-admin-token-0123456789";
  private static final String DOCUMENT = "Version: 1.0.1\nWebsite: https://example.invalid/vault\n"
      + "Credentials:\n  VAULT_URL: https://vault.example.invalid\n  VAULT_TOKEN: s.0123456789abcdef\n"
      + "Routes:\n  - /v1/vault/read: Reads a secret's metadata\n";

  private CredentialCipher cipher;
  private String sealed;
  private EventRouter router;
  private WebhookRequest post;

  /** A plugin with two credentials that does nothing on connect, so that the router's own work is measured. */
  static final class VaultPlugin implements Plugin {
    @Override
    public String name() {
      return "vault";
    }

    @Override
    public PluginConfig config() {
      return PluginConfig.parse("vault", DOCUMENT.replace("1.0.1", "1.0.0"));
    }

    @Override
    public Optional<TrainingSet> trainingSet() {
      return Optional.empty();
    }

    @Override
    public Action trigger(Invocation invocation) {
      return Action.reply("ok");
    }
  }

  @Setup
  public void setUp() {
    KeyProvider keys = KeyProvider.parse("k1:" + Base64.getEncoder().encodeToString(new byte[32]));
    cipher = new CredentialCipher(keys, new SecureRandom());
    sealed = cipher.encrypt("vault", "VAULT_TOKEN", "s.0123456789abcdef");
    router = EventRouter.builder().plugin(new VaultPlugin()).adminToken(TOKEN).keyProvider(keys).build();
    post = WebhookRequest.builder("POST", "/v1/yaml").header("Content-Type", "application/yaml")
        .header("Authorization", "Bearer " + TOKEN).body(DOCUMENT).build();
    if (router.handle(post).status() != 201) {
      throw new IllegalStateException("the first POST /v1/yaml was not stored");
    }
  }

  @TearDown
  public void tearDown() {
    router.close();
  }

  /** Encrypts one credential value under the current key (fresh IV from SecureRandom). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String encryptOneValue() {
    return cipher.encrypt("vault", "VAULT_TOKEN", "s.0123456789abcdef");
  }

  /** Decrypts one stored credential value. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String decryptOneValue() {
    return cipher.decrypt("vault", "VAULT_TOKEN", sealed);
  }

  /** One whole POST /v1/yaml replacing the configuration (answer 200). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public WebhookResponse postConfig() {
    return router.handle(post);
  }

  /** What every sweep adds when nothing changed: one store read per plugin. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int sweepWithNothingNew() {
    return router.reloadStoredConfigs();
  }
}
