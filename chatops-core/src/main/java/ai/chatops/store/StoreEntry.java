package ai.chatops.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/** One entry of a {@link Store}: key, value, version and optional expiry. Immutable; the value is copied. */
public final class StoreEntry {
  private final String key;
  private final byte[] value;
  private final long version;
  private final Instant expiresAt;

  private StoreEntry(String key, byte[] value, long version, Instant expiresAt) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value").clone();
    this.version = version;
    this.expiresAt = expiresAt;
  }

  /**
   * Creates an entry.
   *
   * @param expiresAt when the entry expires, or {@code null} for never
   */
  public static StoreEntry of(String key, byte[] value, long version, Instant expiresAt) {
    return new StoreEntry(key, value, version, expiresAt);
  }

  public String key() {
    return key;
  }

  /** A copy of the value. */
  public byte[] value() {
    return value.clone();
  }

  /** The version, for {@link Store#compareAndSet}. */
  public long version() {
    return version;
  }

  /** When the entry expires, if it does. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StoreEntry)) {
      return false;
    }
    StoreEntry that = (StoreEntry) o;
    return key.equals(that.key)
        && version == that.version
        && Arrays.equals(value, that.value)
        && Objects.equals(expiresAt, that.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, version, Arrays.hashCode(value), expiresAt);
  }

  @Override
  public String toString() {
    // Values may hold conversation text or encrypted credentials: only their size is shown.
    return "StoreEntry{" + key + ", v" + version + ", " + value.length + " bytes"
        + (expiresAt == null ? "" : ", expires " + expiresAt) + "}";
  }
}
