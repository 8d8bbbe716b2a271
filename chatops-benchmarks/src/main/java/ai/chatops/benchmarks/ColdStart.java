package ai.chatops.benchmarks;

import ai.chatops.WebhookResponse;
import com.slack.api.bolt.response.Response;
import java.time.Duration;

/**
 * One cold start, in a fresh JVM: builds ours ({@code chatops}) or Bolt ({@code bolt API_URL}), handles one
 * signed {@code app_mention} and prints {@code replied_at_epoch_ms N} once the reply was delivered (ours:
 * the counting sender got it, after the router's own worker pool processed it) or Bolt's listener
 * acknowledged. The launching {@link Report} subtracts the time it started the process.
 */
public final class ColdStart {
  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    SignedEvents.Signed event = SignedEvents.mention("Ev0COLD", now);
    switch (args[0]) {
      case "chatops": {
        ChatopsBot bot = ChatopsBot.build(null, ai.chatops.plugin.BotPlugin.create());
        WebhookResponse response = bot.handle(event.toWebhookRequest());
        long at = bot.slack.awaitFirst(Duration.ofSeconds(60));
        if (at < 0 || response.status() != 200 || !bot.slack.lastText().equals("pong")) {
          throw new IllegalStateException("ours: " + response.status() + " " + bot.slack.lastText());
        }
        System.out.println("replied_at_epoch_ms " + at);
        bot.router.awaitIdle(Duration.ofSeconds(5));
        break;
      }
      case "bolt": {
        BoltBot bot = new BoltBot(args[1]);
        Response response = bot.handle(event.toBoltRequest());
        long at = System.currentTimeMillis();
        if (response.getStatusCode() != 200 || bot.mentions.get() != 1) {
          throw new IllegalStateException("Bolt: " + response.getStatusCode() + " " + bot.mentions.get());
        }
        System.out.println("replied_at_epoch_ms " + at);
        break;
      }
      default:
        throw new IllegalArgumentException("chatops or bolt, not " + args[0]);
    }
    System.exit(0);
  }
}
