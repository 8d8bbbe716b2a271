package ai.chatops.slack.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What the Slack service remembers about the threads it takes part in, shared by its inbound side (which
 * writes it on receiving) and its outbound side (which writes or reads it on delivering):
 * <ul>
 *   <li>the threads the bot has spoken in, where a channel message without a mention is an answer to the
 *       bot and is taken;</li>
 *   <li>the {@code response_url} of each slash command's conversation ({@code slash:<trigger id>}), with
 *       Slack's limit of 5 uses within 30 minutes.</li>
 * </ul>
 * In memory only and bounded, so that an endless stream of threads cannot grow it: after a restart an answer
 * in an old thread needs a mention, and a slash command's late result goes to the channel. Thread-safe.
 */
public final class ThreadMemory {
  /** Slack's limit on one response_url. */
  private static final int RESPONSE_URL_USES = 5;
  private static final Duration RESPONSE_URL_LIFETIME = Duration.ofMinutes(30);
  private static final int CAPACITY = 10_000;
  private static final String SLASH_THREAD = "slash:";

  private final ExpiringMap<Boolean> botThreads;
  private final ExpiringMap<ResponseUrl> responseUrls;

  private record ResponseUrl(String url, int uses) {}

  /** Remembers the bot's threads for {@code botThreadMemory}, response URLs for as long as Slack honours them. */
  public ThreadMemory(Clock clock, Duration botThreadMemory) {
    this.botThreads = new ExpiringMap<>(clock, botThreadMemory, CAPACITY);
    this.responseUrls = new ExpiringMap<>(clock, RESPONSE_URL_LIFETIME, CAPACITY);
  }

  /** The thread of the conversation a slash command starts; trigger ids are unique, so the thread is too. */
  public static String slashThread(String triggerId) {
    return SLASH_THREAD + triggerId;
  }

  /** Whether the thread is a slash command's conversation rather than a Slack thread. */
  public static boolean isSlashThread(String thread) {
    return thread.startsWith(SLASH_THREAD);
  }

  /** Records that the bot speaks in this thread, so that answers there need no mention. */
  public void rememberBotThread(String workspace, String channel, String thread) {
    botThreads.put(key(workspace, channel, thread), true);
  }

  /** Whether the bot has spoken in this thread within the memory's time. */
  public boolean isBotThread(String workspace, String channel, String thread) {
    return botThreads.get(key(workspace, channel, thread)).isPresent();
  }

  /** Records a fresh response_url for a slash command's conversation, with all its uses left. */
  public void rememberResponseUrl(String slashThread, String url) {
    responseUrls.put(slashThread, new ResponseUrl(url, 0));
  }

  /** Counts one use of the conversation's response_url and returns it; empty when expired or used up. */
  public Optional<String> useResponseUrl(String slashThread) {
    return responseUrls.update(slashThread, r -> new ResponseUrl(r.url(), r.uses() + 1))
        .filter(r -> r.uses() <= RESPONSE_URL_USES)
        .map(ResponseUrl::url);
  }

  /** The key of a thread, or of a reply key, in one channel of one workspace. */
  public static String key(String workspace, String channel, String thread) {
    return workspace + "|" + channel + "|" + thread;
  }
}
