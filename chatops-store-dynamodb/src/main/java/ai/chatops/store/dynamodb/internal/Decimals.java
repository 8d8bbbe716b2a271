package ai.chatops.store.dynamodb.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Instants as DynamoDB numbers: exact decimal seconds since the epoch, and whole seconds for TTL. */
public final class Decimals {
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private Decimals() {}

  /** {@code instant} as decimal seconds, exact to the nanosecond ({@code 1893456000.5}). */
  public static String seconds(Instant instant) {
    return BigDecimal.valueOf(instant.getEpochSecond())
        .add(BigDecimal.valueOf(instant.getNano(), 9))
        .stripTrailingZeros()
        .toPlainString();
  }

  /**
   * {@code instant} rounded up to whole seconds, for DynamoDB's TTL: rounding up means TTL never deletes
   * an item before it has expired.
   */
  public static String ttlSeconds(Instant instant) {
    long seconds = instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    return Long.toString(seconds);
  }

  /** The instant written by {@link #seconds}. */
  public static Instant instant(String seconds) {
    BigDecimal value = new BigDecimal(seconds);
    BigDecimal whole = value.setScale(0, RoundingMode.FLOOR);
    long nanos = value.subtract(whole).multiply(NANOS_PER_SECOND).longValueExact();
    return Instant.ofEpochSecond(whole.longValueExact(), nanos);
  }
}
