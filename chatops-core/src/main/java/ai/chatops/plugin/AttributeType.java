package ai.chatops.plugin;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What kind of value an attribute takes, and how a value the user typed becomes its canonical text: the
 * dialog checks every value against its attribute's type before the plugin runs, whether it came from free
 * text or an explicit command, so {@code ENV=prod} and "deploy to prod" both give {@code production}.
 *
 * <table>
 *   <caption>Kinds, what they accept and their canonical text</caption>
 *   <tr><th>kind</th><th>accepts</th><th>canonical text</th><th>{@link Invocation} accessor</th></tr>
 *   <tr><td>STRING</td><td>any non-blank text</td><td>as given</td><td>{@code string}</td></tr>
 *   <tr><td>INTEGER</td><td>{@code 42}, {@code -3}, {@code +7}</td><td>{@code 42}</td>
 *       <td>{@code integer}</td></tr>
 *   <tr><td>BOOLEAN</td><td>true/false, yes/no, on/off, 1/0</td><td>{@code true}, {@code false}</td>
 *       <td>{@code flag}</td></tr>
 *   <tr><td>DURATION</td><td>{@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d}, {@code PT10M}</td>
 *       <td>ISO-8601, {@code PT1H30M}</td><td>{@code duration}</td></tr>
 *   <tr><td>ENTITY</td><td>a value or synonym of the entity (any case); any text too when the entity is
 *       open ({@link EntityDefinition#automatedExpansion()})</td><td>the entity's canonical value</td>
 *       <td>{@code string}</td></tr>
 * </table>
 *
 * <p>For callers that turn a route into a schema (a language model's tool, an MCP tool): STRING and an open
 * ENTITY are a JSON string, INTEGER an integer, BOOLEAN a boolean, DURATION a string in the formats above, a
 * closed ENTITY a string with {@link #allowedValues()} as its {@code enum}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AttributeType {
  /** The kinds of values. */
  public enum Kind {
    STRING,
    INTEGER,
    BOOLEAN,
    DURATION,
    ENTITY
  }

  /** Any non-blank text. */
  public static final AttributeType STRING = new AttributeType(Kind.STRING, null);
  /** A whole number that fits in a {@code long}. */
  public static final AttributeType INTEGER = new AttributeType(Kind.INTEGER, null);
  /** Yes or no. */
  public static final AttributeType BOOLEAN = new AttributeType(Kind.BOOLEAN, null);
  /** A positive or zero length of time. */
  public static final AttributeType DURATION = new AttributeType(Kind.DURATION, null);

  private static final Pattern SHORT_DURATION =
      Pattern.compile("(?:(\\d{1,6})d)?(?:(\\d{1,7})h)?(?:(\\d{1,9})m)?(?:(\\d{1,10})s)?");

  private final Kind kind;
  private final EntityDefinition entity;

  private AttributeType(Kind kind, EntityDefinition entity) {
    this.kind = kind;
    this.entity = entity;
  }

  /**
   * Values of a dictionary entity: closed (only its values and synonyms) unless the entity is open
   * ({@link EntityDefinition#automatedExpansion()}), in which case other text is accepted as given.
   */
  public static AttributeType entity(EntityDefinition entity) {
    return new AttributeType(Kind.ENTITY, Objects.requireNonNull(entity, "entity"));
  }

  /** A closed entity whose values are their own only synonyms: {@code oneOf("env", "production", "staging")}. */
  public static AttributeType oneOf(String entityName, String... values) {
    return entity(new EntityDefinition(entityName,
        List.of(values).stream().map(v -> new EntityDefinition.Entry(v, List.of())).collect(Collectors.toList())));
  }

  /** The kind of values. */
  public Kind kind() {
    return kind;
  }

  /** The entity, for {@link Kind#ENTITY}. */
  public Optional<EntityDefinition> entity() {
    return Optional.ofNullable(entity);
  }

  /** Whether only listed values are accepted: a closed entity. */
  public boolean closed() {
    return entity != null && !entity.automatedExpansion();
  }

  /** The canonical values of an entity, in declared order; empty for the other kinds. */
  public List<String> allowedValues() {
    return entity == null
        ? List.of()
        : entity.entries().stream().map(EntityDefinition.Entry::value).collect(Collectors.toList());
  }

  /** The name users read in messages: {@code integer}, {@code duration}, {@code @env}. */
  public String displayName() {
    return entity == null ? kind.name().toLowerCase(Locale.ROOT) : "@" + entity.name();
  }

  /**
   * Turns what the user typed into the canonical text of this type.
   *
   * @param attribute the attribute's name, for the message
   * @param raw what the user gave
   * @return the canonical text (see the class table)
   * @throws IllegalArgumentException with a message for the chat user naming the attribute and what is
   *     expected, such as {@code ENV must be one of production, staging (not 'qa')}
   */
  public String canonical(String attribute, String raw) {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(raw, "raw");
    String value = raw.strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException(attribute + " needs a value");
    }
    switch (kind) {
      case STRING:
        return value;
      case INTEGER:
        try {
          return Long.toString(Long.parseLong(value));
        } catch (NumberFormatException e) {
          throw wrong(attribute, value, "a whole number, such as 42");
        }
      case BOOLEAN:
        switch (value.toLowerCase(Locale.ROOT)) {
          case "true": case "yes": case "on": case "1": case "y":
            return "true";
          case "false": case "no": case "off": case "0": case "n":
            return "false";
          default:
            throw wrong(attribute, value, "yes or no");
        }
      case DURATION:
        return parseDuration(value).map(Duration::toString)
            .orElseThrow(() -> wrong(attribute, value, "a duration, such as 90s, 10m or 1h30m"));
      case ENTITY:
        String folded = value.toLowerCase(Locale.ROOT);
        for (EntityDefinition.Entry entry : entity.entries()) {
          if (entry.value().toLowerCase(Locale.ROOT).equals(folded)) {
            return entry.value();
          }
          for (String synonym : entry.synonyms()) {
            if (synonym.toLowerCase(Locale.ROOT).equals(folded)) {
              return entry.value();
            }
          }
        }
        if (entity.automatedExpansion()) {
          return value;
        }
        throw new IllegalArgumentException(attribute + " must be one of " + String.join(", ", allowedValues())
            + " (not '" + clip(value) + "')");
      default:
        throw new AssertionError(kind);
    }
  }

  /** Reads a duration in the short form ({@code 1h30m}) or ISO-8601 ({@code PT1H30M}); empty if neither. */
  static Optional<Duration> parseDuration(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.startsWith("p") || v.startsWith("-p")) {
      try {
        Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
        return d.isNegative() ? Optional.empty() : Optional.of(d);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher m = SHORT_DURATION.matcher(v);
    if (v.isEmpty() || !m.matches()) {
      return Optional.empty();
    }
    Duration d = Duration.ZERO;
    d = d.plusDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)));
    d = d.plusHours(m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    d = d.plusMinutes(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
    d = d.plusSeconds(m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
    return Optional.of(d);
  }

  private static IllegalArgumentException wrong(String attribute, String value, String expected) {
    return new IllegalArgumentException(attribute + " must be " + expected + " (not '" + clip(value) + "')");
  }

  private static String clip(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttributeType && ((AttributeType) o).kind == kind
        && Objects.equals(((AttributeType) o).entity, entity);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, entity);
  }

  @Override
  public String toString() {
    return displayName();
  }
}
