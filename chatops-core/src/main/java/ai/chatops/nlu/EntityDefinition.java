package ai.chatops.nlu;

import java.util.List;
import java.util.Objects;

/**
 * A dictionary entity, such as {@code @env}: canonical values, each with the words users say for it. A
 * message that says a synonym yields the canonical value ({@code prod} and {@code live} give
 * {@code production}).
 *
 * @param name the entity name without {@code @}, such as {@code env}
 * @param entries the values
 */
public record EntityDefinition(String name, List<Entry> entries) {
  /** Checks that no component is null. */
  public EntityDefinition {
    Objects.requireNonNull(name, "name");
    entries = List.copyOf(entries);
  }

  /**
   * One value of an entity.
   *
   * @param value the canonical value, the attribute's value when any synonym matches
   * @param synonyms what users say for it; the value itself always matches too
   */
  public record Entry(String value, List<String> synonyms) {
    /** Checks that no component is null. */
    public Entry {
      Objects.requireNonNull(value, "value");
      synonyms = List.copyOf(synonyms);
    }
  }
}
