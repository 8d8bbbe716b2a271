package ai.chatops.access.internal;

import java.time.Duration;

/** One rate limit's token buckets by key: in this router's memory, or shared in the store. Thread-safe. */
interface Buckets {
  /**
   * Takes a token from the bucket of {@code key} at {@code nowMillis}.
   *
   * @return 0 if a token was taken, else how many millis until one is available
   */
  long tryTake(String key, long nowMillis);

  /** Gives back a token taken by {@link #tryTake} when the call was refused by another limit. */
  void giveBack(String key, long nowMillis);

  /** The most tokens a bucket holds, and how many it refills per {@link #period()}. */
  int capacity();

  Duration period();
}
