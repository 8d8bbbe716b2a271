package ai.chatops.plugin;

import java.util.List;
import java.util.Objects;

/**
 * A dictionary entity, such as {@code @env}: canonical values, each with the words users say for it. A
 * message that says a synonym yields the canonical value ({@code prod} and {@code live} give
 * {@code production}).
 *
 * <p>With {@code automatedExpansion} (DialogFlow's flag of the same name) the entity is open: values not in
 * the list are recognised too, from where they stand in the sentence, as for {@code @sys.any}; listed
 * synonyms still give their canonical value. A {@code @branch} entity lists {@code main} and {@code dev}
 * (for {@code develop}) yet accepts {@code release/3.1}.
 *
 * @param name the entity name without {@code @}, such as {@code env}
 * @param entries the values
 * @param automatedExpansion whether values outside the list are accepted
 */
public record EntityDefinition(String name, List<Entry> entries, boolean automatedExpansion) {
  /** Checks that no component is null. */
  public EntityDefinition {
    Objects.requireNonNull(name, "name");
    entries = List.copyOf(entries);
  }

  /** A closed entity: only the listed values are recognised. */
  public EntityDefinition(String name, List<Entry> entries) {
    this(name, entries, false);
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
