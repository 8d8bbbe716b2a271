package ai.chatops.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.StoreUnavailableException;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.test.StoreContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * Runs the {@link StoreContract} against {@link DynamoDbStore} on dynalite, plus DynamoDB's own failures.
 * Each test gets its own table.
 */
final class DynamoDbStoreTest extends StoreContract {
  @RegisterExtension
  static final Dynalite dynalite = new Dynalite();

  private static final AtomicInteger tables = new AtomicInteger();

  private DynamoDbClient client;

  @Override
  protected Store createStore(Clock clock) {
    client = dynalite.client();
    Store store = DynamoDbStore.builder()
        .client(client)
        .table("chatops-test-" + tables.incrementAndGet())
        .clock(clock)
        .build();
    ((DynamoDbStore) store).createTableForDevelopment();
    return store;
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private DynamoDbStore dynamo() {
    return (DynamoDbStore) store();
  }

  /**
   * The test harness, not the store: a host killed mid-request (CrashRecoveryTest does it on purpose) must
   * not take dynalite down for the next host. dynalite itself rethrows such an abort; our script survives it.
   */
  @Test
  void dynaliteKeepsServingAfterAClientDropsMidRequest() throws IOException {
    URI endpoint = dynalite.endpoint();
    try (java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
          + "Content-Length: 100\r\n\r\n{\"TableName\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.setSoLinger(true, 0); // close with a reset, as a killed process's kernel does
    }
    store().put("after/drop", new byte[] {1}, null);
    assertThat(store().get("after/drop")).isPresent();
  }

  @Test
  void createTableForDevelopmentMakesTheDocumentedLayoutAndLeavesAnExistingTableAlone() {
    store().put("k", utf8("v"), null);

    dynamo().createTableForDevelopment();

    DescribeTableResponse table = client.describeTable(b -> b.tableName(dynamo().table()));
    assertThat(table.table().keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
    assertThat(store().get("k")).isPresent();
  }

  @Test
  void itemsHoldTheDocumentedAttributes() {
    long version = store().put("dedupe/slack/abc", utf8("v"), secondsFromNow(90));

    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(dynamo().table()).key(Map.of(
        "pk", AttributeValue.fromS("chatops"), "sk", AttributeValue.fromS("dedupe/slack/abc")))).item();

    assertThat(item.keySet()).containsExactlyInAnyOrder("pk", "sk", "v", "ver", "exp", "ttl");
    assertThat(item.get("ver").n()).isEqualTo(Long.toString(version));
    assertThat(item.get("exp").n()).isEqualTo(Long.toString(secondsFromNow(90).getEpochSecond()));
    assertThat(item.get("ttl").n()).isEqualTo(Long.toString(secondsFromNow(90).getEpochSecond()));
  }

  @Test
  void expiriesKeepTheirNanosecondsAndTtlRoundsUp() {
    store().put("k", utf8("v"), secondsFromNow(10).plusNanos(1));

    assertThat(store().get("k").orElseThrow().expiresAt()).contains(secondsFromNow(10).plusNanos(1));
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(dynamo().table()).key(Map.of(
        "pk", AttributeValue.fromS("chatops"), "sk", AttributeValue.fromS("k")))).item();
    assertThat(item.get("ttl").n()).isEqualTo(Long.toString(secondsFromNow(11).getEpochSecond()));
  }

  @Test
  void keysOverTheSortKeyLimitAreStoredListedAndKeptApart() {
    // 512 three-byte characters: 1536 bytes of UTF-8, over the 1024 bytes of a sort key.
    String a = "日".repeat(511) + "a";
    String b = "日".repeat(511) + "b";
    store().put(a, utf8("a"), null);
    store().put(b, utf8("b"), null);
    store().put("日本", utf8("short"), null);

    assertThat(store().get(a).orElseThrow().value()).isEqualTo(utf8("a"));
    assertThat(store().get(b).orElseThrow().value()).isEqualTo(utf8("b"));
    assertThat(keys(listAll("日", 1))).containsExactlyInAnyOrder(a, b, "日本");
    assertThat(keys(listAll("日".repeat(400), 1))).containsExactlyInAnyOrder(a, b);
    assertThat(keys(listAll(b, 1))).containsExactly(b);
    assertThat(store().delete(a)).isTrue();
    assertThat(keys(listAll("日".repeat(400), 10))).containsExactly(b);
  }

  @Test
  void storesWithDifferentPartitionsShareATableWithoutSeeingEachOther() {
    Store other = DynamoDbStore.builder().client(client).table(dynamo().table()).partition("other-bot")
        .clock(clock()).build();
    store().put("k", utf8("mine"), null);
    other.put("k", utf8("theirs"), null);

    assertThat(store().get("k").orElseThrow().value()).isEqualTo(utf8("mine"));
    assertThat(keys(listAll("", 10))).containsExactly("k");
    assertThat(other.list("", null, 10).entries()).extracting(StoreEntry::value)
        .containsExactly(utf8("theirs"));
  }

  @Test
  void aValueOverTheItemLimitIsRefusedBeforeAnyCall() throws IOException {
    // A client of nothing: the refusal must come before any request.
    try (DynamoDbClient unreachable = Dynalite.client(closedPort(), StaticCredentialsProvider.create(
        AwsBasicCredentials.create("test", "test")))) {
      Store store = DynamoDbStore.builder().client(unreachable).table("t-unreachable").clock(clock()).build();

      assertThatThrownBy(() -> store.put("big", new byte[400 * 1024], null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("value of key \"big\" is 409600 bytes, which makes an item of up to 409687 bytes, over"
              + " DynamoDB's item limit of 409600 bytes (400 KB): store large values elsewhere (S3) and keep a"
              + " reference here");
    }
  }

  @Test
  void theLargestValueThatFitsIsStored() {
    byte[] value = new byte[400 * 1024 - 87];
    value[value.length - 1] = 7;

    store().put("big", value, null);

    assertThat(store().get("big").orElseThrow().value()).isEqualTo(value);
  }

  @Test
  void aMissingTableIsUnavailableWithItsNameAndTheFix() {
    Store store = DynamoDbStore.builder().client(client).table("no-such-table").clock(clock()).build();

    assertThatThrownBy(() -> store.get("k"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage("DynamoDB table \"no-such-table\" does not exist, or is not active yet, at the client's"
            + " endpoint and region (get): create it (DynamoDbStore.createTableForDevelopment() in"
            + " development; docs/stores.md for production) or fix the table name");
    for (Runnable call : List.<Runnable>of(() -> store.put("k", utf8("v"), null),
        () -> store.putIfAbsent("k", utf8("v"), null), () -> store.compareAndSet("k", 1, utf8("v"), null),
        () -> store.delete("k"), () -> store.list("", null, 1))) {
      assertThatThrownBy(call::run).isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("DynamoDB table \"no-such-table\" does not exist");
    }
  }

  @Test
  void refusedCredentialsAreUnavailableWithTheFix() {
    try (DynamoDbClient anonymous = Dynalite.client(dynalite.endpoint(), AnonymousCredentialsProvider.create())) {
      Store store = DynamoDbStore.builder().client(anonymous).table(dynamo().table()).clock(clock()).build();

      assertThatThrownBy(() -> store.put("k", utf8("v"), null))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessage("DynamoDB table \"" + dynamo().table() + "\" refused the client's credentials (put:"
              + " MissingAuthenticationTokenException, HTTP 400): check the credentials given to the"
              + " DynamoDbClient and that they may read and write the table");
    }
  }

  @Test
  void anUnreachableEndpointIsUnavailable() throws IOException {
    URI endpoint = closedPort();
    try (DynamoDbClient unreachable = Dynalite.client(endpoint, StaticCredentialsProvider.create(
        AwsBasicCredentials.create("test", "test")))) {
      Store store = DynamoDbStore.builder().client(unreachable).table("chatops").clock(clock()).build();

      assertThatThrownBy(() -> store.get("k"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("DynamoDB table \"chatops\" could not be reached (get): ")
          .hasMessageEndingWith(": check the client's endpoint, region and network");
    }
  }

  @Test
  void withoutNpmCiTheTestsFailAndSayWhatToRun(@TempDir Path module) {
    assertThatThrownBy(() -> Dynalite.Server.start(module))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("dynalite is not installed in " + module.resolve("node_modules") + ": run `npm ci` in"
            + " chatops-store-dynamodb (the DynamoDB tests run against dynalite)");
  }

  @Test
  void theBuilderSaysWhatIsMissing() {
    assertThatThrownBy(() -> DynamoDbStore.builder().table("t-1").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("client is required: pass the DynamoDbClient your application built");
    assertThatThrownBy(() -> DynamoDbStore.builder().client(client).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("table is required: pass the name of the DynamoDB table");
    assertThatThrownBy(() -> DynamoDbStore.builder().table("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table must be 3 to 255 letters, digits, '_', '-' or '.' but was \"a b\"");
  }

  /** An endpoint on a loopback port nothing listens on (it was free a moment ago). */
  private static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
