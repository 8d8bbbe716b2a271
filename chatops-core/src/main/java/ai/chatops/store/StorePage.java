package ai.chatops.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a {@link Store#list} result.
 *
 * @param entries the entries, in ascending key order
 * @param nextCursor the cursor for the next page, or empty when this is the last page
 */
public record StorePage(List<StoreEntry> entries, Optional<String> nextCursor) {
  public StorePage {
    entries = List.copyOf(entries);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
