package ai.chatops.dialog;

import ai.chatops.plugin.Catalog;

import ai.chatops.service.ChatEvent;
import java.util.Objects;

/**
 * A message on its way through the dialog chain: the original event, the text as the previous steps left it
 * (mention stripped, whitespace normalised...), and the catalog of routes. Immutable; steps pass changed
 * copies on with {@link #withText}.
 */
public final class Turn {
  private final ChatEvent event;
  private final String text;
  private final Catalog catalog;

  private Turn(ChatEvent event, String text, Catalog catalog) {
    this.event = Objects.requireNonNull(event, "event");
    this.text = Objects.requireNonNull(text, "text");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** The turn of a freshly received event: its text untouched. */
  public static Turn of(ChatEvent event, Catalog catalog) {
    return new Turn(event, event.text(), catalog);
  }

  public ChatEvent event() {
    return event;
  }

  /** The text as the previous steps left it. */
  public String text() {
    return text;
  }

  public Catalog catalog() {
    return catalog;
  }

  /** This turn with other text. */
  public Turn withText(String newText) {
    return new Turn(event, newText, catalog);
  }

  @Override
  public String toString() {
    return "Turn{" + event + "}";
  }
}
