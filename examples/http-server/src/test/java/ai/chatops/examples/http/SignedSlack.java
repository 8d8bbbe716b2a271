package ai.chatops.examples.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/** Sends signed Events API callbacks to a host, as Slack does. */
final class SignedSlack {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String secret;

  SignedSlack(String secret) {
    this.secret = secret;
  }

  /** Posts an {@code app_mention} of the bot in {@code channel} saying {@code text}; returns the host's answer. */
  HttpResponse<String> mention(int port, String eventId, String channel, String text, String ts) throws Exception {
    return mention(port, eventId, "U1", channel, text, ts);
  }

  /** Posts an {@code app_mention} of the bot by {@code user} in {@code channel}; returns the host's answer. */
  HttpResponse<String> mention(int port, String eventId, String user, String channel, String text, String ts)
      throws Exception {
    String body = "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
        + "\",\"event_time\":1700000000,\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],"
        + "\"event\":{\"type\":\"app_mention\",\"user\":\"" + user + "\",\"text\":\"<@UBOT> " + text + "\",\"ts\":\"" + ts
        + "\",\"channel\":\"" + channel + "\"}}";
    long now = Instant.now().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(now))
        .header("X-Slack-Signature", SlackHostTest.sign(secret, now, body))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
