package ai.chatops.teams;

import ai.chatops.ChatOpsException;
import ai.chatops.http.ApiException;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.teams.internal.Activities;
import ai.chatops.teams.internal.AdaptiveCards;
import ai.chatops.teams.internal.Connector;
import ai.chatops.teams.internal.References;
import ai.chatops.toolkit.JsonLimits;
import ai.chatops.toolkit.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound half of {@link TeamsService}: replies into a conversation through the Bot Connector, and
 * turns replies that share a key into updates of one message (see the service's class doc). The messages of
 * keys are remembered in the store, so that a follow-up after a restart still updates its message.
 * Thread-safe.
 */
final class TeamsOutbound {
  // The service's logger: the split into parts is no business of the host's logging configuration.
  private static final Logger log = LoggerFactory.getLogger(TeamsService.class);
  private static final ObjectMapper JSON = JsonLimits.mapper();
  /** How long a keyed reply can still be updated: as long as the longest follow-up is watched by default. */
  private static final Duration KEYED_MESSAGE_LIFETIME = Duration.ofHours(6);

  private final String name;
  private final Connector connector;
  private final References references;
  private final Store store;
  private final Clock clock;

  /** Where the first reply of a key went. */
  private record Posted(String conversationId, String activityId) {}

  TeamsOutbound(String name, Connector connector, References references, Store store, Clock clock) {
    this.name = name;
    this.connector = connector;
    this.references = references;
    this.store = store;
    this.clock = clock;
  }

  void deliver(Conversation conversation, Reply reply) {
    References.Reference reference = references.find(conversation.workspace(), conversation.channel())
        .orElseThrow(() -> new ChatOpsException("no Teams conversation reference for "
            + LogSafe.clean(conversation.channel(), 100) + " in tenant " + LogSafe.clean(conversation.workspace(), 60)
            + ": the bot can only write where it was written to"));
    String conversationId = Activities.conversationId(conversation.channel(), conversation.thread());
    Optional<String> storeKey = reply.key().map(k -> name + "/keyed/" + References.sha256(
        conversation.workspace() + "\n" + conversationId + "\n" + k));
    Optional<Posted> earlier = storeKey.flatMap(this::posted);
    if (earlier.isPresent()) {
      try {
        connector.update(reference.serviceUrl(), earlier.get().conversationId(), earlier.get().activityId(),
            AdaptiveCards.message(reply));
        return;
      } catch (ApiException e) {
        if (e.status() != 404 && e.status() != 400) {
          throw e;
        }
        log.info("updating activity {} failed ({}); posting the reply anew",
            LogSafe.clean(earlier.get().activityId(), 80), e.status());
      }
    }
    // In a channel thread the reply goes under its root; elsewhere it answers the last activity seen, or,
    // after a restart, is a new message in the conversation.
    Optional<String> replyTo = conversation.thread().or(() -> Optional.ofNullable(reference.lastActivityId()));
    Optional<String> id = connector.post(reference.serviceUrl(), conversationId, replyTo, AdaptiveCards.message(reply));
    if (storeKey.isPresent() && id.isPresent()) {
      remember(storeKey.get(), new Posted(conversationId, id.get()));
    }
  }

  private Optional<Posted> posted(String key) {
    try {
      Optional<StoreEntry> entry = store.get(key);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      JsonNode node = JSON.readTree(entry.get().value());
      String conversationId = node.path("conversation").asText("");
      String activityId = node.path("activity").asText("");
      return conversationId.isEmpty() || activityId.isEmpty() ? Optional.empty()
          : Optional.of(new Posted(conversationId, activityId));
    } catch (IOException | RuntimeException e) {
      log.warn("could not read which message a keyed reply updates ({}); posting it anew", e.toString());
      return Optional.empty();
    }
  }

  private void remember(String key, Posted posted) {
    try {
      store.put(key, JSON.createObjectNode().put("conversation", posted.conversationId())
          .put("activity", posted.activityId()).toString().getBytes(StandardCharsets.UTF_8),
          clock.instant().plus(KEYED_MESSAGE_LIFETIME));
    } catch (RuntimeException e) {
      log.warn("could not remember activity {} for later updates ({}); they will be posted anew",
          LogSafe.clean(posted.activityId(), 80), e.toString());
    }
  }
}
