package ai.chatops.benchmarks;

import ai.chatops.access.AccessPolicy;
import ai.chatops.access.internal.Access;
import ai.chatops.audit.AuditEntry;
import ai.chatops.audit.AuditLog;
import ai.chatops.audit.internal.Auditor;
import ai.chatops.plugin.AccessRule;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What access control, rate limiting and the audit entry add to one invocation, without the store's own
 * cost (the store here only counts bytes). Run with
 * {@code java -jar chatops-benchmarks/target/benchmarks.jar GuardBenchmark}.
 */
@State(Scope.Benchmark)
public class GuardBenchmark {
  private Access access;
  private Auditor auditor;
  private ChatEvent event;
  private Route route;
  private Invocation invocation;
  private Map<String, String> attributes;
  private long bytes;

  @Setup
  public void setUp() {
    AccessPolicy policy = AccessPolicy.builder().group("release-managers", "U0123ABCD", "U0456EFGH")
        .userRateLimit(1_000_000, Duration.ofMillis(1)).routeRateLimit(1_000_000, Duration.ofMillis(1)).build();
    route = new Route("/v1/jenkins/build", "jenkins", "build", Optional.empty(), List.of("ID", "BRANCH"));
    AccessRule rule = new AccessRule(route.path(), "build", List.of(), List.of("release-managers"), List.of(),
        List.of("U0INTERN"), List.of(), List.of("C0GENERAL"));
    Credentials credentials = Credentials.of(Map.of("JENKINS_API_TOKEN", "11aa22bb33cc44dd55ee66ff77", "JENKINS_URL",
        "https://ci.example.com/"));
    access = new Access(policy, Map.of(route.path(), rule), Clock.systemUTC(), 10_000);
    auditor = new Auditor(AuditLog.of(new CountingStore()), Duration.ofDays(30), Clock.systemUTC(),
        path -> Optional.of(credentials));
    event = ChatEvent.builder("slack", "Ev06ABCDEF12").workspace("T0123ABCD").channel("C0123ABCD")
        .user("U0123ABCD").text("jenkins build ID=api-server BRANCH=main").time(Instant.now()).build();
    attributes = Map.of("ID", "api-server", "BRANCH", "main");
    invocation = new Invocation(route, attributes, event);
  }

  /** The access rule and both token buckets, for an allowed user. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Invocation admit() {
    access.checkRule(event, route.path());
    access.charge(invocation);
    return invocation;
  }

  /** One audit entry: masking, key, streaming encoding and the (counting) store write. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public long record() {
    auditor.record(event, route.path(), attributes, AuditEntry.Outcome.DONE, 1500, "");
    return bytes;
  }

  /** Counts the bytes written and keeps nothing, so that the benchmark measures the guard alone. */
  private final class CountingStore implements Store {
    @Override
    public Optional<StoreEntry> get(String key) {
      return Optional.empty();
    }

    @Override
    public long put(String key, byte[] value, Instant expiresAt) {
      bytes += key.length() + value.length;
      return 1;
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, Instant expiresAt) {
      return true;
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
      return true;
    }

    @Override
    public boolean delete(String key) {
      return false;
    }

    @Override
    public StorePage list(String prefix, String cursor, int limit) {
      return new StorePage(List.of(), Optional.empty());
    }
  }
}
