package ai.chatops.plugin;

import java.util.List;
import java.util.Objects;

/**
 * One attribute of a route as the dialog treats it: whether the route needs it, and how to ask for it. Comes
 * from the plugin's intents (a DialogFlow parameter's {@code required} flag and {@code prompts}).
 *
 * @param attribute the attribute's UPPER_SNAKE name
 * @param required whether the bot asks for it before invoking the route
 * @param prompts questions to ask for it; empty for the default ("Which branch?")
 */
public record Slot(String attribute, boolean required, List<String> prompts) {
  public Slot {
    Objects.requireNonNull(attribute, "attribute");
    prompts = List.copyOf(prompts);
  }

  /** The question to ask: the first prompt, or "Which branch?" made from the attribute name. */
  public String question() {
    if (!prompts.isEmpty()) {
      return prompts.get(0);
    }
    String words = attribute.length() <= 3 ? attribute : attribute.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return "Which " + words + "?";
  }
}
