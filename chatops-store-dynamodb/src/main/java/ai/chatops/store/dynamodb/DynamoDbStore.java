package ai.chatops.store.dynamodb;

import ai.chatops.ConfigurationException;
import ai.chatops.StoreUnavailableException;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import ai.chatops.store.dynamodb.internal.Decimals;
import ai.chatops.toolkit.KeyBytes;
import ai.chatops.toolkit.WallClockVersions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A {@link Store} in one Amazon DynamoDB table, shared by every instance of a bot.
 *
 * <pre>{@code
 * DynamoDbClient client = DynamoDbClient.create(); // the host's client: region, credentials, HTTP client
 * Store store = DynamoDbStore.builder().client(client).table("chatops").build();
 * }</pre>
 *
 * <h2>Table layout</h2>
 * <table>
 *   <caption>Attributes of each item</caption>
 *   <tr><th>attribute</th><th>type</th><th>holds</th></tr>
 *   <tr><td>{@code pk}</td><td>S, partition key</td><td>the store's partition name ({@link
 *       Builder#partition}, {@value #DEFAULT_PARTITION} by default), the same for every item of the store
 *       </td></tr>
 *   <tr><td>{@code sk}</td><td>S, sort key</td><td>the entry's key; a key over DynamoDB's 1024-byte sort-key
 *       limit (only non-ASCII keys can be) is cut and followed by a NUL and its SHA-256</td></tr>
 *   <tr><td>{@code k}</td><td>S</td><td>the full key, only when {@code sk} was cut</td></tr>
 *   <tr><td>{@code v}</td><td>B</td><td>the value; absent for an empty value</td></tr>
 *   <tr><td>{@code ver}</td><td>N</td><td>the version, for compare-and-set</td></tr>
 *   <tr><td>{@code exp}</td><td>N</td><td>the expiry, exact decimal seconds since the epoch; absent for
 *       never</td></tr>
 *   <tr><td>{@code ttl}</td><td>N</td><td>the expiry rounded up to whole seconds: the table's TTL
 *       attribute, so DynamoDB deletes expired items eventually</td></tr>
 * </table>
 *
 * <p>One partition key value per store is what makes prefix listing a single ordered {@code Query}
 * ({@code pk = :partition AND begins_with(sk, :prefix)}) for every prefix, including the empty one. The price
 * is that all of a store's traffic goes to one partition key, whose throughput DynamoDB caps (about 1,000
 * writes and 3,000 reads per second): far above what a chat bot's events need, and several bots can share a
 * table with different partition names. Because the store has no local secondary index, the partition's
 * size is not limited.
 *
 * <h2>Consistency</h2>
 * Reads and queries are strongly consistent. {@code putIfAbsent} and {@code compareAndSet} are single
 * conditional writes. Expired items are absent to every operation at once, judged by this store's
 * {@link Clock}, even though DynamoDB's TTL deletes them only eventually. Versions are microseconds of the
 * wall clock, raised above the stored version when needed, so they also grow when a key is written again
 * after it was deleted or removed by TTL, as long as the writers' clocks differ by less than the time between
 * the delete and the new write.
 *
 * <h2>Errors</h2>
 * Values that would make an item larger than DynamoDB's 400 KB limit are refused with
 * {@link IllegalArgumentException} before any call. Throttling and transient failures are retried by the
 * SDK, as configured on the client; what remains (a missing table, refused credentials, an unreachable
 * endpoint, retries exhausted) surfaces as {@link StoreUnavailableException}, with the table's name and
 * what to do.
 *
 * <p>Thread-safe; share one instance. {@link #close()} does not close the client, which the host owns.
 */
public final class DynamoDbStore implements Store {
  /** The partition name used when the builder is given none. */
  public static final String DEFAULT_PARTITION = "chatops";
  /** DynamoDB's largest item, in bytes (400 KB). */
  public static final int MAX_ITEM_BYTES = 400 * 1024;

  private static final Logger log = LoggerFactory.getLogger(DynamoDbStore.class);
  /**
   * Sort keys hold at most 1024 bytes of UTF-8: a longer key (only keys with non-ASCII characters) gets a
   * shortened sort key, and the full key is stored beside it.
   */
  private static final KeyBytes SORT_KEYS = new KeyBytes(1024);

  static final String PK = "pk";
  static final String SK = "sk";
  static final String KEY = "k";
  static final String VALUE = "v";
  static final String VERSION = "ver";
  static final String EXPIRES = "exp";
  static final String TTL = "ttl";

  /** An upper bound of the size DynamoDB counts for a number. */
  private static final int NUMBER_BYTES = 21;
  /** How many writes {@code put} tries before giving up on a key other writers keep changing. */
  private static final int MAX_WRITE_ATTEMPTS = 100;
  /** The most items one list request reads, whatever the caller's limit. */
  private static final int MAX_QUERY_LIMIT = 1000;
  private static final int QUOTED_KEY_LENGTH = 40;
  private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
  private static final Set<String> AUTH_ERRORS = Set.of("UnrecognizedClientException",
      "MissingAuthenticationTokenException", "InvalidSignatureException", "IncompleteSignatureException",
      "AccessDeniedException", "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch");
  private static final Set<String> THROTTLING_ERRORS = Set.of("ProvisionedThroughputExceededException",
      "ThrottlingException", "RequestLimitExceeded", "LimitExceededException");

  private final DynamoDbClient client;
  private final String table;
  private final String partition;
  private final Clock clock;
  private final WallClockVersions versions;

  private DynamoDbStore(Builder builder) {
    this.client = builder.client;
    this.table = builder.table;
    this.partition = builder.partition;
    this.clock = builder.clock;
    this.versions = new WallClockVersions(Clock.systemUTC());
  }

  /** Starts a builder; {@link Builder#client} and {@link Builder#table} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The table's name. */
  public String table() {
    return table;
  }

  /** The partition key value every item of this store has. */
  public String partition() {
    return partition;
  }

  @Override
  public Optional<StoreEntry> get(String key) {
    Store.checkKey(key);
    Map<String, AttributeValue> item = read(key, "get");
    if (item == null) {
      return Optional.empty();
    }
    StoreEntry entry = decode(item);
    return isLive(entry, clock.instant()) ? Optional.of(entry) : Optional.empty();
  }

  @Override
  public long put(String key, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    checkSize(key, copy);
    long version = versions.nextAbove(0);
    for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      // Conditional, so that the version only grows even if this machine's clock is behind the last writer's.
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":ver", number(version));
      if (write(key, copy, version, expiresAt, "attribute_not_exists(#ver) OR #ver < :ver", values, "put")) {
        return version;
      }
      Map<String, AttributeValue> current = read(key, "put");
      version = versions.nextAbove(current == null ? 0 : versionOf(current));
    }
    throw new StoreUnavailableException("DynamoDB table \"" + table + "\": put of key \"" + quote(key)
        + "\" lost to other writers " + MAX_WRITE_ATTEMPTS + " times in a row; retry later");
  }

  /** One conditional write, as {@link #putIfAbsent}: the version is chosen before writing. */
  @Override
  public OptionalLong putIfAbsentVersioned(String key, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    checkSize(key, copy);
    Instant now = clock.instant();
    long version = versions.nextAbove(0);
    for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":ver", number(version));
      values.put(":now", AttributeValue.fromN(Decimals.seconds(now)));
      // Absent, or expired (not yet deleted by TTL) with an older version.
      if (write(key, copy, version, expiresAt,
          "attribute_not_exists(#ver) OR (#exp <= :now AND #ver < :ver)", values, "putIfAbsent")) {
        return OptionalLong.of(version);
      }
      Map<String, AttributeValue> current = read(key, "putIfAbsent");
      if (current != null && isLive(decode(current), now)) {
        return OptionalLong.empty();
      }
      // Expired with a version at or above ours (a faster clock wrote it), or deleted meanwhile: go again.
      version = versions.nextAbove(current == null ? 0 : versionOf(current));
    }
    throw new StoreUnavailableException("DynamoDB table \"" + table + "\": putIfAbsent of key \""
        + quote(key) + "\" lost to other writers " + MAX_WRITE_ATTEMPTS + " times in a row; retry later");
  }

  @Override
  public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    checkSize(key, copy);
    Instant now = clock.instant();
    long version = versions.nextAbove(expectedVersion);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":expected", number(expectedVersion));
    values.put(":now", AttributeValue.fromN(Decimals.seconds(now)));
    return write(key, copy, version, expiresAt,
        "#ver = :expected AND (attribute_not_exists(#exp) OR #exp > :now)", values, "compareAndSet");
  }

  @Override
  public boolean delete(String key) {
    Store.checkKey(key);
    DeleteItemResponse response;
    try {
      response = client.deleteItem(b -> b.tableName(table).key(keyOf(key)).returnValues(ReturnValue.ALL_OLD));
    } catch (SdkException e) {
      throw unavailable("delete", e);
    }
    // An expired item is deleted all the same, but it was not there for the caller.
    return response.hasAttributes() && !response.attributes().isEmpty()
        && isLive(decode(response.attributes()), clock.instant());
  }

  /**
   * {@inheritDoc}
   *
   * <p>One strongly consistent {@code Query} per page. Keys are listed in the order of their UTF-8 bytes;
   * the cursor is the sort key of the last item read.
   */
  @Override
  public StorePage list(String prefix, String cursor, int limit) {
    Objects.requireNonNull(prefix, "prefix == null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    String queryPrefix = SORT_KEYS.queryPrefix(prefix);
    if (cursor != null && !cursor.startsWith(queryPrefix)) {
      throw new IllegalArgumentException("cursor \"" + quote(cursor) + "\" was not returned for prefix \""
          + quote(prefix) + "\": pass the nextCursor of the previous page of the same prefix, or null");
    }
    int wanted = Math.min(limit, MAX_QUERY_LIMIT);
    Map<String, String> names = new HashMap<>();
    names.put("#pk", PK);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":pk", AttributeValue.fromS(partition));
    String condition = "#pk = :pk";
    if (!queryPrefix.isEmpty()) {
      names.put("#sk", SK);
      values.put(":prefix", AttributeValue.fromS(queryPrefix));
      condition += " AND begins_with(#sk, :prefix)";
    }
    QueryRequest.Builder request = QueryRequest.builder()
        .tableName(table)
        .keyConditionExpression(condition)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .consistentRead(true)
        // One more than a page, to know whether another page follows.
        .limit(wanted + 1);
    if (cursor != null) {
      request.exclusiveStartKey(Map.of(PK, AttributeValue.fromS(partition), SK, AttributeValue.fromS(cursor)));
    }
    QueryResponse response;
    try {
      response = client.query(request.build());
    } catch (SdkException e) {
      throw unavailable("list", e);
    }
    Instant now = clock.instant();
    List<StoreEntry> page = new ArrayList<>();
    List<Map<String, AttributeValue>> items = response.items();
    String next = null;
    for (int i = 0; i < items.size(); i++) {
      if (i == wanted) {
        next = items.get(wanted - 1).get(SK).s();
        break;
      }
      StoreEntry entry = decode(items.get(i));
      // A cut prefix also matches keys that only share its first bytes.
      if (isLive(entry, now) && entry.key().startsWith(prefix)) {
        page.add(entry);
      }
    }
    if (next == null && response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
      // DynamoDB stopped early (1 MB per response): go on after the last item it read.
      next = response.lastEvaluatedKey().get(SK).s();
    }
    return new StorePage(page, Optional.ofNullable(next));
  }

  /**
   * Creates the table with this store's layout, on-demand billing and TTL on the {@code ttl} attribute, and
   * waits until it is active. For development and tests; production tables are better created with the
   * infrastructure tooling that owns the account (docs/stores.md shows the settings). A table that already
   * exists is left as it is. An endpoint without the TTL API (such as dynalite) gets the table without TTL,
   * with a warning: expired entries are still absent, but never deleted.
   *
   * @throws StoreUnavailableException if DynamoDB refuses or cannot be reached
   */
  public void createTableForDevelopment() {
    try {
      client.createTable(CreateTableRequest.builder()
          .tableName(table)
          .attributeDefinitions(
              AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
              AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
          .keySchema(
              KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
              KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .build());
    } catch (ResourceInUseException e) {
      log.info("DynamoDB table \"{}\" already exists; left as it is", table);
      return;
    } catch (SdkException e) {
      throw unavailable("createTable", e);
    }
    try {
      Optional<Throwable> failure =
          client.waiter().waitUntilTableExists(b -> b.tableName(table)).matched().exception();
      if (failure.isPresent()) {
        throw new StoreUnavailableException("DynamoDB table \"" + table + "\" was created but did not become"
            + " active: " + failure.get(), failure.get());
      }
    } catch (SdkException e) {
      throw unavailable("createTable", e);
    }
    try {
      client.updateTimeToLive(b -> b.tableName(table)
          .timeToLiveSpecification(t -> t.enabled(true).attributeName(TTL)));
    } catch (AwsServiceException e) {
      if (!"UnknownOperationException".equals(e.awsErrorDetails().errorCode())) {
        throw unavailable("updateTimeToLive", e);
      }
      log.warn("DynamoDB endpoint of table \"{}\" has no TTL API: expired entries stay until deleted", table);
    } catch (SdkException e) {
      throw unavailable("updateTimeToLive", e);
    }
  }

  @Override
  public String toString() {
    return "DynamoDbStore{table=" + table + ", partition=" + partition + "}";
  }

  // ---------------------------------------------------------------- items

  /** Writes one item under {@code condition}; false if the condition failed. */
  private boolean write(String key, byte[] value, long version, Instant expiresAt, String condition,
      Map<String, AttributeValue> values, String operation) {
    Map<String, AttributeValue> item = keyOf(key);
    String sortKey = item.get(SK).s();
    if (!sortKey.equals(key)) {
      item.put(KEY, AttributeValue.fromS(key));
    }
    if (value.length > 0) {
      item.put(VALUE, AttributeValue.fromB(SdkBytes.fromByteArray(value)));
    }
    item.put(VERSION, number(version));
    if (expiresAt != null) {
      item.put(EXPIRES, AttributeValue.fromN(Decimals.seconds(expiresAt)));
      item.put(TTL, AttributeValue.fromN(Decimals.ttlSeconds(expiresAt)));
    }
    Map<String, String> names = new HashMap<>();
    names.put("#ver", VERSION);
    if (condition.contains("#exp")) {
      names.put("#exp", EXPIRES);
    }
    try {
      client.putItem(PutItemRequest.builder()
          .tableName(table)
          .item(item)
          .conditionExpression(condition)
          .expressionAttributeNames(names)
          .expressionAttributeValues(values)
          .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw unavailable(operation, e);
    }
  }

  /** The item under {@code key}, live or not, or null. */
  private Map<String, AttributeValue> read(String key, String operation) {
    GetItemResponse response;
    try {
      response = client.getItem(b -> b.tableName(table).key(keyOf(key)).consistentRead(true));
    } catch (SdkException e) {
      throw unavailable(operation, e);
    }
    return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
  }

  private Map<String, AttributeValue> keyOf(String key) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, AttributeValue.fromS(partition));
    item.put(SK, AttributeValue.fromS(SORT_KEYS.of(key)));
    return item;
  }

  private static StoreEntry decode(Map<String, AttributeValue> item) {
    AttributeValue fullKey = item.get(KEY);
    String key = fullKey != null ? fullKey.s() : item.get(SK).s();
    AttributeValue value = item.get(VALUE);
    AttributeValue expires = item.get(EXPIRES);
    return StoreEntry.of(key, value == null ? new byte[0] : value.b().asByteArray(), versionOf(item),
        expires == null ? null : Decimals.instant(expires.n()));
  }

  private static long versionOf(Map<String, AttributeValue> item) {
    return Long.parseLong(item.get(VERSION).n());
  }

  private static boolean isLive(StoreEntry entry, Instant now) {
    return entry.expiresAt().map(now::isBefore).orElse(true);
  }

  private static AttributeValue number(long n) {
    return AttributeValue.fromN(Long.toString(n));
  }

  // ---------------------------------------------------------------- checks and errors

  private void checkSize(String key, byte[] value) {
    String sortKey = SORT_KEYS.of(key);
    long size = PK.length() + KeyBytes.utf8Length(partition)
        + SK.length() + KeyBytes.utf8Length(sortKey)
        + (sortKey.equals(key) ? 0 : KEY.length() + KeyBytes.utf8Length(key))
        + VALUE.length() + value.length
        + VERSION.length() + EXPIRES.length() + TTL.length() + 3L * NUMBER_BYTES;
    if (size > MAX_ITEM_BYTES) {
      throw new IllegalArgumentException("value of key \"" + quote(key) + "\" is " + value.length
          + " bytes, which makes an item of up to " + size + " bytes, over DynamoDB's item limit of "
          + MAX_ITEM_BYTES + " bytes (400 KB): store large values elsewhere (S3) and keep a reference here");
    }
  }

  private StoreUnavailableException unavailable(String operation, SdkException e) {
    String where = "DynamoDB table \"" + table + "\"";
    if (e instanceof ResourceNotFoundException) {
      return new StoreUnavailableException(where + " does not exist, or is not active yet, at the client's"
          + " endpoint and region (" + operation + "): create it (DynamoDbStore.createTableForDevelopment()"
          + " in development; docs/stores.md for production) or fix the table name", e);
    }
    if (e instanceof AwsServiceException) {
      AwsServiceException service = (AwsServiceException) e;
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String details = code + ", HTTP " + service.statusCode();
      if (AUTH_ERRORS.contains(code) || service.statusCode() == 403) {
        return new StoreUnavailableException(where + " refused the client's credentials (" + operation + ": "
            + details + "): check the credentials given to the DynamoDbClient and that they may read and"
            + " write the table", e);
      }
      if (service.isThrottlingException() || THROTTLING_ERRORS.contains(code)) {
        return new StoreUnavailableException(where + " is throttled even after the SDK's retries ("
            + operation + ": " + details + "): retry later, or raise the table's capacity", e);
      }
      return new StoreUnavailableException(where + " failed a " + operation + " (" + details + "): "
          + service.awsErrorDetails().errorMessage(), e);
    }
    return new StoreUnavailableException(where + " could not be reached (" + operation + "): "
        + e.getMessage() + ": check the client's endpoint, region and network", e);
  }

  private static String quote(String s) {
    return s.length() <= QUOTED_KEY_LENGTH ? s : s.substring(0, QUOTED_KEY_LENGTH) + "...";
  }

  /** Configures a {@link DynamoDbStore}. Not thread-safe; each {@link #build()} makes a new store. */
  public static final class Builder {
    private DynamoDbClient client;
    private String table;
    private String partition = DEFAULT_PARTITION;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The client to call DynamoDB with, built by the host (region, credentials, HTTP client). Required. */
    public Builder client(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** The table's name. Required. */
    public Builder table(String table) {
      Objects.requireNonNull(table, "table == null");
      if (!TABLE_NAME.matcher(table).matches()) {
        throw new IllegalArgumentException("table must be 3 to 255 letters, digits, '_', '-' or '.' but was \""
            + quote(table) + "\"");
      }
      this.table = table;
      return this;
    }

    /**
     * The partition key value of every item of this store; {@value #DEFAULT_PARTITION} by default. Stores
     * with different partitions share a table without seeing each other's entries.
     */
    public Builder partition(String partition) {
      Objects.requireNonNull(partition, "partition == null");
      if (partition.isEmpty() || KeyBytes.utf8Length(partition) > 1024) {
        throw new IllegalArgumentException(
            "partition must be 1 to 1024 bytes of UTF-8 but was " + KeyBytes.utf8Length(partition));
      }
      this.partition = partition;
      return this;
    }

    /** The clock every expiry decision reads; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Creates the store. It makes no call: a missing table shows on the first operation.
     *
     * @throws ConfigurationException when the client or the table was not set
     */
    public DynamoDbStore build() {
      if (client == null) {
        throw new ConfigurationException("client is required: pass the DynamoDbClient your application built");
      }
      if (table == null) {
        throw new ConfigurationException("table is required: pass the name of the DynamoDB table");
      }
      return new DynamoDbStore(this);
    }
  }
}
