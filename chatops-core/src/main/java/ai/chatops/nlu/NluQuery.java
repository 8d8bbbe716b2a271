package ai.chatops.nlu;

import ai.chatops.plugin.Catalog;

import ai.chatops.service.ChatEvent;
import java.util.Objects;

/**
 * What an {@link NluEngine} is asked to interpret.
 *
 * @param text the message text after mention stripping and normalisation
 * @param event the original event, for engines that keep per-conversation sessions
 * @param catalog the routes the bot serves
 */
public record NluQuery(String text, ChatEvent event, Catalog catalog) {
  public NluQuery {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(catalog, "catalog");
  }
}
