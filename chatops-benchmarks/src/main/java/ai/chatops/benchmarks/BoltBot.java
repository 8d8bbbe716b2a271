package ai.chatops.benchmarks;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import com.slack.api.model.event.AppMentionEvent;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack's Bolt for Java 1.48.0 as a production app would run it: request verification on, a single-team
 * bot token whose {@code auth.test} is answered by a loopback {@link AuthStandIn} and cached (for an hour, so
 * it is answered once), and an {@code app_mention} listener that acknowledges without calling the Web API.
 * Each event goes through {@link SlackRequestParser#parse} and {@link App#run}, as Bolt's servlet adapter
 * does. Thread-safe.
 */
final class BoltBot {
  final App app;
  final SlackRequestParser parser;
  final AtomicLong mentions = new AtomicLong();

  BoltBot(String apiUrl) {
    SlackConfig slackConfig = new SlackConfig();
    slackConfig.setMethodsEndpointUrlPrefix(apiUrl);
    AppConfig config = AppConfig.builder()
        .slack(Slack.getInstance(slackConfig))
        .signingSecret(SignedEvents.SIGNING_SECRET)
        .singleTeamBotToken(SignedEvents.BOT_TOKEN)
        .authTestCacheEnabled(true)
        .authTestCacheExpirationMillis(3_600_000L)
        .build();
    this.app = new App(config);
    app.event(AppMentionEvent.class, (payload, ctx) -> {
      mentions.incrementAndGet();
      return ctx.ack();
    });
    app.start();
    this.parser = new SlackRequestParser(app.config());
  }

  Response handle(SlackRequestParser.HttpRequest request) throws Exception {
    return app.run(parser.parse(request));
  }

  /** A loopback stand-in for Slack's Web API that answers {@code auth.test} and counts the calls. */
  static final class AuthStandIn implements AutoCloseable {
    private final HttpServer server;
    final AtomicLong calls = new AtomicLong();

    AuthStandIn() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/api/", exchange -> {
        calls.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        byte[] body = ("{\"ok\":true,\"url\":\"https://bench.slack.com/\",\"team\":\"Bench\",\"user\":\"bot\","
            + "\"team_id\":\"T0BENCH\",\"user_id\":\"" + SignedEvents.BOT_USER + "\",\"bot_id\":\"B0BENCH\","
            + "\"is_enterprise_install\":false}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
    }

    String apiUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
