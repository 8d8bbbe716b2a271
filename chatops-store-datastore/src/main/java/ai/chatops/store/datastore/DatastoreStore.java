package ai.chatops.store.datastore;

import ai.chatops.ConfigurationException;
import ai.chatops.StoreUnavailableException;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.store.StorePage;
import ai.chatops.store.datastore.internal.Names;
import ai.chatops.toolkit.WallClockVersions;
import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.Cursor;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityQuery;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.StructuredQuery.CompositeFilter;
import com.google.cloud.datastore.StructuredQuery.Filter;
import com.google.cloud.datastore.StructuredQuery.OrderBy;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.TimestampValue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link Store} in Google Cloud Datastore (Firestore in Datastore mode), shared by every instance of a bot.
 *
 * <pre>{@code
 * Datastore datastore = DatastoreOptions.getDefaultInstance().getService(); // the host's client
 * Store store = DatastoreStore.builder().datastore(datastore).kind("ChatOpsEntry").build();
 * }</pre>
 *
 * <h2>Entity layout</h2>
 * Each entry is one root entity of the configured kind ({@value #DEFAULT_KIND} by default) in the configured
 * namespace (the client's default namespace unless {@link Builder#namespace} is given), named by its key.
 * A key that Datastore would refuse as a name (over 1500 bytes of UTF-8, or reserved: starting and ending
 * with {@code __}) is named by its first bytes, a NUL and its SHA-256, and kept whole in {@code k}.
 * <table>
 *   <caption>Properties, all unindexed</caption>
 *   <tr><th>property</th><th>type</th><th>holds</th></tr>
 *   <tr><td>{@code v}</td><td>blob</td><td>the value</td></tr>
 *   <tr><td>{@code ver}</td><td>integer</td><td>the version, for compare-and-set</td></tr>
 *   <tr><td>{@code exp}</td><td>timestamp</td><td>the expiry, rounded up to the microsecond; absent for
 *       never. A TTL policy on this property lets Datastore delete expired entities eventually</td></tr>
 *   <tr><td>{@code k}</td><td>string</td><td>the full key, only when the name is not the key</td></tr>
 * </table>
 *
 * <h2>Consistency</h2>
 * Lookups and the key-range queries of {@link #list} are strongly consistent. {@code put},
 * {@code putIfAbsent}, {@code compareAndSet} and {@code delete} each run in one transaction that reads the
 * entity and writes it; a transaction that conflicts with another is aborted by Datastore and retried by the
 * client ({@link Datastore#runInTransaction}). Expired entities are absent to every operation at once,
 * judged by this store's {@link Clock}. Versions are microseconds of the wall clock, raised above the stored
 * version when needed, so they also grow when a key is written again after it was deleted, as long as the
 * writers' clocks differ by less than the time between the delete and the new write.
 *
 * <h2>Errors</h2>
 * Values that would make an entity larger than Datastore's limit (1 MiB) are refused with
 * {@link IllegalArgumentException} before any call. Retries of transient failures are the client's, as
 * configured on its {@code DatastoreOptions}; what remains (no database, refused credentials, an unreachable
 * service, conflicts past the retries) surfaces as {@link StoreUnavailableException}. A kind or namespace
 * never written before is not an error: Datastore creates both with their first entity.
 *
 * <p>Thread-safe; share one instance. {@link #close()} does not close the client, which the host owns.
 */
public final class DatastoreStore implements Store {
  /** The kind used when the builder is given none. */
  public static final String DEFAULT_KIND = "ChatOpsEntry";
  /** Datastore's largest entity, in bytes (1 MiB less 4 bytes). */
  public static final int MAX_ENTITY_BYTES = 1_048_572;

  static final String KEY = "k";
  static final String VALUE = "v";
  static final String VERSION = "ver";
  static final String EXPIRES = "exp";

  /** An upper bound of what an entity costs besides its key names and value. */
  private static final int OVERHEAD_BYTES = 128;
  private static final int QUOTED_KEY_LENGTH = 40;
  private static final Pattern KIND = Pattern.compile("[^\\s]{1,1500}");
  private static final Set<String> AUTH_ERRORS = Set.of("UNAUTHENTICATED", "PERMISSION_DENIED");

  private final Datastore datastore;
  private final String kind;
  private final String namespace;
  private final Clock clock;
  private final WallClockVersions versions = new WallClockVersions(Clock.systemUTC());

  private DatastoreStore(Builder builder) {
    this.datastore = builder.datastore;
    this.kind = builder.kind;
    this.namespace = builder.namespace != null ? builder.namespace
        : Objects.requireNonNullElse(builder.datastore.getOptions().getNamespace(), "");
    this.clock = builder.clock;
  }

  /** Starts a builder; {@link Builder#datastore} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The kind of the store's entities. */
  public String kind() {
    return kind;
  }

  /** The namespace of the store's entities; empty for the default namespace. */
  public String namespace() {
    return namespace;
  }

  @Override
  public Optional<StoreEntry> get(String key) {
    Store.checkKey(key);
    Entity entity;
    try {
      entity = datastore.get(keyOf(key));
    } catch (DatastoreException e) {
      throw unavailable("get", e);
    }
    if (entity == null) {
      return Optional.empty();
    }
    StoreEntry entry = decode(entity);
    return isLive(entry, clock.instant()) ? Optional.of(entry) : Optional.empty();
  }

  @Override
  public long put(String key, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    checkSize(key, copy);
    Key name = keyOf(key);
    return transaction("put", tx -> {
      Entity current = tx.get(name);
      long version = versions.nextAbove(current == null ? 0 : current.getLong(VERSION));
      tx.put(encode(name, key, copy, version, expiresAt));
      return version;
    });
  }

  /** One transaction, as {@link #putIfAbsent}: the version is chosen inside it. */
  @Override
  public OptionalLong putIfAbsentVersioned(String key, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    checkSize(key, copy);
    Key name = keyOf(key);
    Instant now = clock.instant();
    return transaction("putIfAbsent", tx -> {
      Entity current = tx.get(name);
      if (current != null && isLive(decode(current), now)) {
        return OptionalLong.empty();
      }
      long version = versions.nextAbove(current == null ? 0 : current.getLong(VERSION));
      tx.put(encode(name, key, copy, version, expiresAt));
      return OptionalLong.of(version);
    });
  }

  @Override
  public boolean compareAndSet(String key, long expectedVersion, byte[] value, Instant expiresAt) {
    Store.checkKey(key);
    byte[] copy = Store.copyValue(value);
    checkSize(key, copy);
    Key name = keyOf(key);
    Instant now = clock.instant();
    return transaction("compareAndSet", tx -> {
      Entity current = tx.get(name);
      if (current == null || current.getLong(VERSION) != expectedVersion || !isLive(decode(current), now)) {
        return false;
      }
      tx.put(encode(name, key, copy, versions.nextAbove(expectedVersion), expiresAt));
      return true;
    });
  }

  @Override
  public boolean delete(String key) {
    Store.checkKey(key);
    Key name = keyOf(key);
    Instant now = clock.instant();
    return transaction("delete", tx -> {
      Entity current = tx.get(name);
      if (current == null) {
        return false;
      }
      tx.delete(name);
      // An expired entity is deleted all the same, but it was not there for the caller.
      return isLive(decode(current), now);
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One key-range query per page ({@code __key__ >= prefix AND __key__ < successor(prefix)}, ascending).
   * Keys are listed in the order of their UTF-8 bytes; the cursor is Datastore's query cursor.
   */
  @Override
  public StorePage list(String prefix, String cursor, int limit) {
    Objects.requireNonNull(prefix, "prefix == null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    Cursor start = null;
    if (cursor != null) {
      try {
        start = Cursor.fromUrlSafe(cursor);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cursor \"" + quote(cursor) + "\" is not a cursor of this store:"
            + " pass the nextCursor of the previous page of the same prefix, or null", e);
      }
    }
    String queryPrefix = Names.queryPrefix(prefix);
    EntityQuery.Builder query = Query.newEntityQueryBuilder()
        .setNamespace(namespace)
        .setKind(kind)
        .setOrderBy(OrderBy.asc("__key__"))
        // One more than the page: whether it comes is what tells a last page. Datastore's moreResults does not:
        // it may say MORE_RESULTS_AFTER_LIMIT with nothing left (the emulator always does), which made the
        // next page empty with the same cursor again.
        .setLimit(limit + 1);
    Filter range = range(queryPrefix);
    if (range != null) {
      query.setFilter(range);
    }
    if (start != null) {
      query.setStartCursor(start);
    }
    Instant now = clock.instant();
    List<StoreEntry> page = new ArrayList<>();
    Cursor after = null;
    try {
      QueryResults<Entity> results = datastore.run(query.build());
      int read = 0;
      while (read < limit && results.hasNext()) {
        StoreEntry entry = decode(results.next());
        read++;
        // A cut prefix also matches keys that only share its first bytes.
        if (isLive(entry, now) && entry.key().startsWith(prefix)) {
          page.add(entry);
        }
      }
      // Taken before hasNext(), which moves the results' cursor past the entity it looks at.
      Cursor afterPage = read == limit ? results.getCursorAfter() : null;
      if (afterPage != null && results.hasNext()) {
        after = afterPage;
      }
    } catch (DatastoreException e) {
      throw unavailable("list", e);
    }
    return new StorePage(page, after == null ? Optional.empty() : Optional.of(after.toUrlSafe()));
  }

  @Override
  public String toString() {
    return "DatastoreStore{kind=" + kind + ", namespace=" + namespace + "}";
  }

  // ---------------------------------------------------------------- entities

  private Filter range(String queryPrefix) {
    if (queryPrefix.isEmpty()) {
      return null;
    }
    // Bounds are names too, and Datastore reserves some: Names.bound steps around them.
    Filter from = PropertyFilter.ge("__key__", nameKey(Names.bound(queryPrefix)));
    String successor = Names.successor(queryPrefix);
    return successor == null ? from
        : CompositeFilter.and(from, PropertyFilter.lt("__key__", nameKey(Names.bound(successor))));
  }

  private Key keyOf(String key) {
    return nameKey(Names.of(key));
  }

  private Key nameKey(String name) {
    return datastore.newKeyFactory().setNamespace(namespace).setKind(kind).newKey(name);
  }

  private static Entity encode(Key name, String key, byte[] value, long version, Instant expiresAt) {
    Entity.Builder entity = Entity.newBuilder(name)
        .set(VALUE, BlobValue.newBuilder(Blob.copyFrom(value)).setExcludeFromIndexes(true).build())
        .set(VERSION, LongValue.newBuilder(version).setExcludeFromIndexes(true).build());
    if (!name.getName().equals(key)) {
      entity.set(KEY, StringValue.newBuilder(key).setExcludeFromIndexes(true).build());
    }
    if (expiresAt != null) {
      entity.set(EXPIRES, TimestampValue.newBuilder(timestamp(expiresAt)).setExcludeFromIndexes(true).build());
    }
    return entity.build();
  }

  private static StoreEntry decode(Entity entity) {
    String key = entity.contains(KEY) ? entity.getString(KEY) : entity.getKey().getName();
    Instant expiresAt = null;
    if (entity.contains(EXPIRES)) {
      Timestamp expires = entity.getTimestamp(EXPIRES);
      expiresAt = Instant.ofEpochSecond(expires.getSeconds(), expires.getNanos());
    }
    return StoreEntry.of(key, entity.getBlob(VALUE).toByteArray(), entity.getLong(VERSION), expiresAt);
  }

  /** {@code instant} rounded up to Datastore's microseconds, so an entry never expires early. */
  private static Timestamp timestamp(Instant instant) {
    int nanos = instant.getNano();
    int micros = (nanos + 999) / 1000;
    long seconds = instant.getEpochSecond();
    if (micros == 1_000_000) {
      seconds++;
      micros = 0;
    }
    return Timestamp.ofTimeSecondsAndNanos(seconds, micros * 1000);
  }

  private static boolean isLive(StoreEntry entry, Instant now) {
    return entry.expiresAt().map(now::isBefore).orElse(true);
  }

  private <T> T transaction(String operation, Datastore.TransactionCallable<T> work) {
    try {
      return datastore.runInTransaction(work);
    } catch (DatastoreException e) {
      if (reasonOf(e) == null) {
        // google-cloud-datastore 2.33.0 hides why a transaction could not begin behind a
        // NullPointerException; beginning one here tells the cause.
        try {
          datastore.newTransaction().rollback();
        } catch (DatastoreException begin) {
          begin.addSuppressed(e);
          throw unavailable(operation, begin);
        }
      }
      throw unavailable(operation, e);
    }
  }

  /** The innermost exception of the chain that carries the service's reason, or null. */
  private static DatastoreException reasonOf(DatastoreException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DatastoreException && ((DatastoreException) t).getReason() != null) {
        return (DatastoreException) t;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- checks and errors

  private void checkSize(String key, byte[] value) {
    long size = (long) value.length + 2L * Names.utf8Length(key) + Names.utf8Length(kind)
        + Names.utf8Length(namespace) + OVERHEAD_BYTES;
    if (size > MAX_ENTITY_BYTES) {
      throw new IllegalArgumentException("value of key \"" + quote(key) + "\" is " + value.length
          + " bytes, which makes an entity of up to " + size + " bytes, over Datastore's entity limit of "
          + MAX_ENTITY_BYTES + " bytes (1 MiB): store large values elsewhere (Cloud Storage) and keep a"
          + " reference here");
    }
  }

  private StoreUnavailableException unavailable(String operation, DatastoreException e) {
    String where = "Datastore kind \"" + kind + "\" in namespace \"" + namespace + "\" of project \""
        + datastore.getOptions().getProjectId() + "\"";
    // runInTransaction wraps the failed call's exception in one without a reason: report the call's.
    DatastoreException cause = Objects.requireNonNullElse(reasonOf(e), e);
    String reason = Objects.requireNonNullElse(cause.getReason(), "UNKNOWN");
    String details = operation + ": " + reason + ", " + describe(cause.getMessage(), reason);
    if ("NOT_FOUND".equals(reason)) {
      return new StoreUnavailableException(where + " is not reachable: the project has no Datastore database"
          + " (" + details + "): create a database in Datastore mode, or fix the project and database ids"
          + " given to the client", e);
    }
    if (AUTH_ERRORS.contains(reason)) {
      return new StoreUnavailableException(where + " refused the client's credentials (" + details + "):"
          + " check the credentials given to the Datastore client and that they may read and write"
          + " entities (roles/datastore.user)", e);
    }
    if ("ABORTED".equals(reason)) {
      return new StoreUnavailableException(where + " kept aborting the transaction of a " + operation
          + " because other writers changed the same key (" + details + "): retry later", e);
    }
    return new StoreUnavailableException(where + " could not be reached or failed (" + details + "): check"
        + " the client's endpoint and network, then retry", e);
  }

  /** The service's own words: the message without the status and exception names the client puts first. */
  private static String describe(String message, String reason) {
    String text = message == null ? "" : message;
    for (String prefix : new String[] {reason + ": ", "io.grpc.StatusRuntimeException: ", reason + ": "}) {
      if (text.startsWith(prefix)) {
        text = text.substring(prefix.length());
      }
    }
    return text;
  }

  private static String quote(String s) {
    return s.length() <= QUOTED_KEY_LENGTH ? s : s.substring(0, QUOTED_KEY_LENGTH) + "...";
  }

  /** Configures a {@link DatastoreStore}. Not thread-safe; each {@link #build()} makes a new store. */
  public static final class Builder {
    private Datastore datastore;
    private String kind = DEFAULT_KIND;
    private String namespace;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The client, built by the host (project, database, credentials, retries). Required. */
    public Builder datastore(Datastore datastore) {
      this.datastore = Objects.requireNonNull(datastore, "datastore == null");
      return this;
    }

    /** The kind of the store's entities; {@value #DEFAULT_KIND} by default. */
    public Builder kind(String kind) {
      Objects.requireNonNull(kind, "kind == null");
      if (!KIND.matcher(kind).matches() || (kind.startsWith("__") && kind.endsWith("__"))) {
        throw new IllegalArgumentException("kind must be 1 to 1500 characters without spaces, and not start"
            + " and end with \"__\", but was \"" + quote(kind) + "\"");
      }
      this.kind = kind;
      return this;
    }

    /**
     * The namespace of the store's entities; the client's namespace by default. Empty is the default
     * namespace. Stores with different namespaces or kinds share a database without seeing each other.
     */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace == null");
      return this;
    }

    /** The clock every expiry decision reads; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Creates the store. It makes no call: a missing database shows on the first operation.
     *
     * @throws ConfigurationException when the Datastore client was not set
     */
    public DatastoreStore build() {
      if (datastore == null) {
        throw new ConfigurationException("datastore is required: pass the Datastore client your application"
            + " built");
      }
      return new DatastoreStore(this);
    }
  }
}
