package ai.chatops.slack;

import ai.chatops.http.ApiException;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.slack.internal.ChannelPacer;
import ai.chatops.slack.internal.MessageMemory;
import ai.chatops.slack.internal.MessageMemory.Posted;
import ai.chatops.slack.internal.ThreadMemory;
import ai.chatops.toolkit.LogSafe;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound half of {@link SlackService}: delivers replies through the Web API or a slash command's
 * response_url, paced per channel, and turns replies that share a key into edits of one message (see the
 * service's class doc). Thread-safe.
 */
final class SlackOutbound {
  // The service's logger: the split into parts is no business of the host's logging configuration.
  private static final Logger log = LoggerFactory.getLogger(SlackService.class);
  /** How much outside text a log line quotes: enough to recognise it, not enough to flood. */
  private static final int QUOTED_CHARS = 80;
  /** How long a keyed reply can still be edited: as long as the longest follow-up is watched by default. */
  private static final Duration KEYED_MESSAGE_LIFETIME = Duration.ofHours(6);
  /** chat.update errors after which the reply is posted anew: the message is gone or can no longer be edited. */
  private static final Set<String> UPDATE_GONE = Set.of("message_not_found", "cant_update_message",
      "edit_window_closed", "channel_not_found", "is_archived");

  private final SlackApi api;
  private final boolean slashCommandsInChannel;
  private final ChannelPacer pacer;
  private final ThreadMemory threads;
  private final MessageMemory keyedMessages;

  SlackOutbound(SlackService.Builder b, SlackApi api, ThreadMemory threads) {
    this.api = api;
    this.slashCommandsInChannel = b.slashCommandsInChannel;
    this.pacer = new ChannelPacer(b.pacing);
    this.threads = threads;
    this.keyedMessages = new MessageMemory(b.clock, KEYED_MESSAGE_LIFETIME, 10_000, b.messageStore);
  }

  /** Delivers as {@link SlackService#deliver} documents. */
  void deliver(Conversation conversation, Reply reply) {
    Optional<String> thread = conversation.thread();
    Optional<String> key =
        reply.key().map(k -> ThreadMemory.key(conversation.workspace(), conversation.channel(), k));
    Optional<Posted> earlier = key.flatMap(keyedMessages::get);
    if (thread.isPresent() && ThreadMemory.isSlashThread(thread.get())) {
      Optional<String> url = threads.useResponseUrl(thread.get());
      if (url.isPresent()) {
        boolean replace = earlier.isPresent() && earlier.get().ts() == null;
        api.respond(url.get(), reply, slashCommandsInChannel, thread, replace);
        key.ifPresent(k -> keyedMessages.put(k, new Posted(conversation.channel(), null)));
        return;
      }
      log.info("slash command {}: its response_url is used up or expired; posting in the channel",
          LogSafe.clean(thread.get(), QUOTED_CHARS));
      postOrUpdate(conversation.channel(), Optional.empty(), reply, key, earlier);
      return;
    }
    // Remembered before posting: an answer can arrive as soon as the reply is on screen, before
    // chat.postMessage's response is back (a test saw exactly that). A post that fails leaves the thread
    // open to messages without a mention for the thread memory's time, which costs nothing.
    thread.ifPresent(t -> threads.rememberBotThread(conversation.workspace(), conversation.channel(), t));
    if (reply.ephemeral() && reply.asker().isPresent()) {
      // Only the asker sees it; Slack keeps no ephemeral message, so there is nothing to update later.
      awaitTurn(conversation.channel(), "chat.postEphemeral");
      api.postEphemeral(conversation.channel(), reply.asker().get(), thread, reply);
      return;
    }
    postOrUpdate(conversation.channel(), thread, reply, key, earlier);
  }

  private void postOrUpdate(
      String channel, Optional<String> thread, Reply reply, Optional<String> key, Optional<Posted> earlier) {
    awaitTurn(channel, earlier.isPresent() ? "chat.update" : "chat.postMessage");
    if (earlier.isPresent() && earlier.get().ts() != null) {
      try {
        api.update(earlier.get().channel(), earlier.get().ts(), reply);
        return;
      } catch (SlackApiException e) {
        if (!UPDATE_GONE.contains(e.error())) {
          throw e;
        }
        log.info("chat.update of {} in {} failed ({}); posting the reply anew",
            LogSafe.clean(earlier.get().ts(), QUOTED_CHARS), LogSafe.clean(earlier.get().channel(), QUOTED_CHARS),
            LogSafe.clean(e.error(), QUOTED_CHARS));
      }
    }
    String ts = api.postMessage(channel, thread, reply);
    if (key.isPresent() && !ts.isEmpty()) {
      keyedMessages.put(key.get(), new Posted(channel, ts));
    }
  }

  private void awaitTurn(String channel, String method) {
    try {
      pacer.awaitTurn(channel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("POST", api.apiUrl() + method, 0,
          "interrupted while waiting for the channel's pacing", "", e);
    }
  }
}
