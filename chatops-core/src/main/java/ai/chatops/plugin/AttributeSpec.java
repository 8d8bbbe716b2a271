package ai.chatops.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The declaration of one attribute of a route: its name, its {@link AttributeType}, whether the route needs it
 * (slot filling asks for it), what it means and how to ask for it. Reachable from every route as
 * {@link Route#attributeSpecs()}, whether the route was declared in code ({@link PluginRoutes}) or in
 * {@code config.yaml} (where every attribute is an optional STRING unless the plugin's intents say more).
 *
 * <pre>{@code
 * AttributeSpec env = AttributeSpec.builder("ENV", AttributeType.entity(environments))
 *     .required(true)
 *     .description("Where to deploy")
 *     .prompt("Which environment? production or staging?")
 *     .build();
 * }</pre>
 *
 * @param name the attribute's UPPER_SNAKE name, such as {@code BRANCH}
 * @param type what values it takes
 * @param required whether the bot asks for it before invoking the route
 * @param description what it means, for help and for schemas (a language model's tool); may be empty
 * @param prompts questions to ask for it, first first; empty for the default ("Which branch?")
 */
public record AttributeSpec(
    String name, AttributeType type, boolean required, Optional<String> description, List<String> prompts) {

  /** Checks the name is UPPER_SNAKE and no component is null. */
  public AttributeSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    prompts = List.copyOf(prompts);
    if (!name.matches("[A-Z][A-Z0-9_]{0,63}")) {
      throw new IllegalArgumentException(
          "attribute name must be UPPER_SNAKE (A-Z, 0-9, _; up to 64) but was '" + name + "'");
    }
  }

  /** An optional attribute of this type with no description or prompt. */
  public static AttributeSpec optional(String name, AttributeType type) {
    return new AttributeSpec(name, type, false, Optional.empty(), List.of());
  }

  /** A required attribute of this type with no description or prompt. */
  public static AttributeSpec required(String name, AttributeType type) {
    return new AttributeSpec(name, type, true, Optional.empty(), List.of());
  }

  /** Starts a builder: an optional attribute of this type. */
  public static Builder builder(String name, AttributeType type) {
    return new Builder(name, type);
  }

  /** The slot the dialog fills for it. */
  public Slot slot() {
    return new Slot(name, required, prompts);
  }

  /** The question to ask for it: the first prompt, or "Which branch?" made from the name. */
  public String question() {
    return slot().question();
  }

  /** The DialogFlow data type of this attribute's intent parameter: {@code @sys.any}, {@code @sys.number}, {@code @env}. */
  public String dataType() {
    switch (type.kind()) {
      case INTEGER:
        return IntentParameter.NUMBER;
      case ENTITY:
        return "@" + type.entity().orElseThrow().name();
      default:
        return IntentParameter.ANY;
    }
  }

  /** The name as a DialogFlow parameter: {@code JOB_PARAM} is {@code job-param}. */
  public String parameterName() {
    return name.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Builds an {@link AttributeSpec}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final AttributeType type;
    private boolean required;
    private String description;
    private final List<String> prompts = new ArrayList<>();

    private Builder(String name, AttributeType type) {
      this.name = Objects.requireNonNull(name, "name");
      this.type = Objects.requireNonNull(type, "type");
    }

    /** Whether the route needs it; false by default. */
    public Builder required(boolean required) {
      this.required = required;
      return this;
    }

    /** What it means, one sentence. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** A question to ask when it is missing; the first one added is asked. */
    public Builder prompt(String prompt) {
      prompts.add(Objects.requireNonNull(prompt, "prompt"));
      return this;
    }

    public AttributeSpec build() {
      return new AttributeSpec(name, type, required, Optional.ofNullable(description), prompts);
    }
  }
}
