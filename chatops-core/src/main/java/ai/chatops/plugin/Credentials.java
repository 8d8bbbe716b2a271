package ai.chatops.plugin;

import ai.chatops.ConfigurationException;
import ai.chatops.plugin.internal.Names;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The credentials a plugin needs, by UPPER_SNAKE name ({@code JENKINS_URL}, {@code JENKINS_TOKEN}).
 *
 * <p>A plugin's {@code config.yaml} declares the names and may give values; a name declared without a value
 * is left for the host application to supply through {@link #withOverrides(Map)}, for example from its
 * secret manager. Values never appear in {@link #toString()} or in any exception message.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Credentials {
  private static final Credentials EMPTY = new Credentials(Map.of());

  /** Declared names, in order, to value; an empty string means "not set". */
  private final Map<String, String> values;

  private Credentials(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Returns credentials holding {@code values}; a null or blank value declares the name without setting it.
   *
   * @throws ConfigurationException when a name is not UPPER_SNAKE
   */
  public static Credentials of(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      copy.put(checkKey(e.getKey()), normalize(e.getValue()));
    }
    return copy.isEmpty() ? EMPTY : new Credentials(Collections.unmodifiableMap(copy));
  }

  /** Returns credentials with no names. */
  public static Credentials empty() {
    return EMPTY;
  }

  /** Returns the value of {@code key}, or empty when the name is not declared or has no value. */
  public Optional<String> get(String key) {
    String value = values.get(key);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /**
   * Returns the value of {@code key}.
   *
   * @throws ConfigurationException naming the key when it has no value
   */
  public String require(String key) {
    return get(key)
        .orElseThrow(
            () ->
                new ConfigurationException(
                    "credential "
                        + key
                        + " is not set; give it under Credentials in the plugin's config.yaml, or supply it"
                        + " from the host application with Credentials.withOverrides(...)"));
  }

  /** Returns every declared name, with or without a value, in declaration order. */
  public Set<String> keys() {
    return values.keySet();
  }

  /**
   * Returns credentials where the non-blank values of {@code overrides} replace these; a null or blank
   * override declares its name but never erases a value given here.
   *
   * @throws ConfigurationException when a name is not UPPER_SNAKE
   */
  public Credentials withOverrides(Map<String, String> overrides) {
    Objects.requireNonNull(overrides, "overrides");
    Map<String, String> copy = new LinkedHashMap<>(values);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String normalized = normalize(e.getValue());
      if (!normalized.isEmpty() || !copy.containsKey(checkKey(e.getKey()))) {
        copy.put(checkKey(e.getKey()), normalized);
      }
    }
    return copy.isEmpty() ? EMPTY : new Credentials(Collections.unmodifiableMap(copy));
  }

  private static String checkKey(String key) {
    Objects.requireNonNull(key, "credential name");
    if (!Names.isUpperSnake(key)) {
      throw new ConfigurationException(
          "credential name '"
              + key
              + "' is not valid; use UPPER_SNAKE ([A-Z][A-Z0-9_]*), e.g. JENKINS_URL");
    }
    return key;
  }

  private static String normalize(String value) {
    return value == null || value.isBlank() ? "" : value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials && ((Credentials) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Lists the names; every value shows as {@code ***}, and a name without a value as {@code <unset>}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Credentials{");
    String separator = "";
    for (Map.Entry<String, String> entry : values.entrySet()) {
      out.append(separator).append(entry.getKey()).append('=');
      out.append(entry.getValue().isEmpty() ? "<unset>" : "***");
      separator = ", ";
    }
    return out.append('}').toString();
  }
}
