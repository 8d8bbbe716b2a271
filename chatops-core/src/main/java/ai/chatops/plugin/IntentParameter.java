package ai.chatops.plugin;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of an intent: the attribute it fills, what kind of value it takes, whether the route needs it
 * and what to ask when it is missing.
 *
 * <p>DialogFlow's parameter {@code name} maps to the attribute by upper-casing it and turning {@code -} into
 * {@code _}: {@code id} fills {@code ID}, {@code job-param} fills {@code JOB_PARAM}. The attribute must be
 * declared for the intent's route in the plugin's {@code config.yaml}.
 *
 * @param name the attribute's UPPER_SNAKE name, such as {@code BRANCH}
 * @param dataType the DialogFlow data type: {@code @sys.any} (free-form text), {@code @sys.number}, or
 *     {@code @<entity>} for an entity of the plugin, such as {@code @env}
 * @param required whether the route needs a value (slot filling asks for it)
 * @param prompts what to ask when a required value is missing, in order; may be empty
 */
public record IntentParameter(String name, String dataType, boolean required, List<String> prompts) {
  /** The data type of free-form values: job names, branch names, any text. */
  public static final String ANY = "@sys.any";
  /** The data type of numbers, integers or decimals, digits or small number words. */
  public static final String NUMBER = "@sys.number";

  /** Checks that no component is null and that {@code dataType} starts with {@code @}. */
  public IntentParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    prompts = List.copyOf(prompts);
    if (!dataType.startsWith("@") || dataType.length() < 2) {
      throw new IllegalArgumentException("dataType must be @sys.any, @sys.number or @<entity> but was '"
          + dataType + "'");
    }
  }

  /** The entity name without the {@code @}, such as {@code sys.any} or {@code env}. */
  public String entityType() {
    return dataType.substring(1);
  }

  /** Whether values are free-form text ({@code @sys.any} or any other {@code @sys.} type but numbers). */
  public boolean isFreeForm() {
    return dataType.startsWith("@sys.") && !dataType.equals(NUMBER);
  }
}
