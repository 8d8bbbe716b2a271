package ai.chatops.teams.internal;

import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import ai.chatops.toolkit.JsonLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the bot can speak: for each conversation it was spoken to in, the {@code serviceUrl} of the validated
 * activity (the Bot Framework's "conversation reference"), kept in memory and in the {@link Store}, so that
 * a follow-up after a restart, or on another router sharing the store, can still be delivered (a proactive
 * message). Also the last activity in each conversation, in memory only, to reply to. Only activities whose
 * token was validated are remembered: the bot's token goes to no other URL. Thread-safe.
 */
public final class References {
  /** How long a stored reference lives without the conversation being seen again by a process that restarted. */
  public static final Duration STORED_FOR = Duration.ofDays(180);
  private static final int IN_MEMORY = 10_000;
  private static final ObjectMapper JSON = JsonLimits.mapper();

  /** Where to speak in a conversation; {@code lastActivityId} is null when not known in this process. */
  public record Reference(String serviceUrl, String lastActivityId) {}

  private final Store store;
  private final Clock clock;
  private final String prefix;
  private final Map<String, Reference> memory = new LinkedHashMap<>(16, 0.75f, true);

  /** @param prefix the store key prefix, such as {@code teams/ref/} */
  public References(Store store, Clock clock, String prefix) {
    this.store = store;
    this.clock = clock;
    this.prefix = prefix;
  }

  /**
   * Remembers a validated activity's service URL and id. Writes the store only when the conversation was
   * not known to this process with this URL: once per conversation, not per message.
   *
   * @throws RuntimeException when the store cannot be written; the caller answers 503
   */
  public void remember(String tenant, String conversation, String serviceUrl, String activityId) {
    String key = key(tenant, conversation);
    Reference known;
    synchronized (memory) {
      known = memory.get(key);
    }
    if (known == null || !known.serviceUrl().equals(serviceUrl)) {
      byte[] value = JSON.createObjectNode().put("serviceUrl", serviceUrl).put("tenant", tenant)
          .put("conversation", conversation).toString().getBytes(StandardCharsets.UTF_8);
      store.put(key, value, clock.instant().plus(STORED_FOR));
    }
    synchronized (memory) {
      memory.put(key, new Reference(serviceUrl, activityId.isEmpty() ? null : activityId));
      if (memory.size() > IN_MEMORY) {
        memory.remove(memory.keySet().iterator().next());
      }
    }
  }

  /** The reference of a conversation: from memory, else from the store (after a restart). */
  public Optional<Reference> find(String tenant, String conversation) {
    String key = key(tenant, conversation);
    synchronized (memory) {
      Reference known = memory.get(key);
      if (known != null) {
        return Optional.of(known);
      }
    }
    Optional<StoreEntry> entry = store.get(key);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(entry.get().value());
      String serviceUrl = node.path("serviceUrl").asText("");
      if (Urls.allowed(serviceUrl).isEmpty()) {
        return Optional.empty();
      }
      Reference stored = new Reference(serviceUrl, null);
      synchronized (memory) {
        memory.putIfAbsent(key, stored);
      }
      return Optional.of(stored);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private String key(String tenant, String conversation) {
    return prefix + sha256(tenant + "\n" + conversation);
  }

  /** A store key under {@code prefix} for any text, fitting every store's key limits. */
  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
