package ai.chatops.examples.http;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Trains a class-data archive for the host on a scripted conversation: starts the built jar in a JVM that
 * writes the archive when it exits, talks to it over HTTP as Slack would (a URL-verification challenge, a
 * wrong signature, {@code help}, {@code bot ping}, free text for the local NLU, a redelivery), waits for the
 * replies at a loopback stand-in of Slack's Web API, then stops it with SIGTERM, as a platform stops a host.
 *
 * <pre>
 * java -cp ... CdsTraining JAVA JAR ARCHIVE
 * </pre>
 *
 * An {@code ARCHIVE} ending in {@code .jsa} is an AppCDS archive ({@code -XX:ArchiveClassesAtExit}, JDK 17 and
 * later); one ending in {@code .aot} is an AOT cache ({@code -XX:AOTCacheOutput}, JDK 25 and later; {@code JAVA}
 * must then be a JDK 25). The {@code cds} and {@code aot} Maven profiles of this module run it after
 * {@code package}; docs/performance.md shows how to launch the host with the result.
 */
public final class CdsTraining {
  private static final String SECRET = "cds-training-signing-secret";
  /** What the users say: help, an explicit command, free text the local NLU resolves, free text it does not. */
  private static final String[] TEXTS = {"help", "bot ping", "are you awake?", "what can you do?"};
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    String java = args[0];
    Path jar = Path.of(args[1]).toAbsolutePath();
    Path archive = Path.of(args[2]).toAbsolutePath();
    Files.deleteIfExists(archive);
    String option = archive.toString().endsWith(".aot") ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=";
    CountDownLatch replies = new CountDownLatch(TEXTS.length);
    HttpServer slack = slackStandIn(replies);
    try {
      ProcessBuilder builder = new ProcessBuilder(java, option + archive, "-jar", jar.toString())
          .redirectErrorStream(true);
      builder.environment().put("PORT", "0");
      builder.environment().put("BIND_ADDRESS", "127.0.0.1");
      builder.environment().put("SLACK_SIGNING_SECRET", SECRET);
      builder.environment().put("SLACK_BOT_TOKEN", "xoxb-cds-training");
      builder.environment().put("SLACK_API_URL", "http://127.0.0.1:" + slack.getAddress().getPort() + "/api/");
      Process host = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(host::destroyForcibly)); // never leave a host behind
      CompletableFuture<Integer> port = new CompletableFuture<>();
      List<String> output = new ArrayList<>();
      Thread reader = new Thread(() -> echo(host, port, output), "host-output");
      reader.start();
      try {
        converse(port.get(120, TimeUnit.SECONDS), replies);
      } catch (Exception | Error e) {
        host.destroyForcibly();
        throw e;
      }
      // SIGTERM: the JVM runs its shutdown hooks and writes the archive as it exits. Through the handle, since
      // Process.destroy() also closes the pipes, and the JDK 25 process that assembles the AOT cache writes
      // to them (it died of SIGPIPE).
      host.toHandle().destroy();
      if (!host.waitFor(300, TimeUnit.SECONDS)) {
        host.destroyForcibly();
        throw new IllegalStateException("the host did not stop within 300 s");
      }
      reader.join();
      if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
        throw new IllegalStateException("no archive at " + archive + "; the host exited with " + host.exitValue() + " and said:\n" + String.join("\n", output));
      }
      System.out.printf("trained %s (%.1f MiB) on a conversation of %d messages%n", archive,
          Files.size(archive) / 1048576.0, TEXTS.length);
    } finally {
      slack.stop(0);
    }
  }

  /** The scripted conversation; returns once every reply has reached the Web API stand-in. */
  private static void converse(int port, CountDownLatch replies) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long ts = Instant.now().getEpochSecond();
    expect(200, post(http, port, "{\"type\":\"url_verification\",\"challenge\":\"c-1\",\"token\":\"t\"}", true));
    expect(401, post(http, port, mention("EvCDS0", "bot ping", ts), false));
    for (int i = 0; i < TEXTS.length; i++) {
      expect(200, post(http, port, mention("EvCDS" + (i + 1), TEXTS[i], ts + i), true));
    }
    expect(200, post(http, port, mention("EvCDS2", TEXTS[1], ts + 1), true)); // a redelivery: deduplicated
    if (!replies.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(replies.getCount() + " of " + TEXTS.length + " replies did not arrive");
    }
  }

  private static String mention(String eventId, String text, long ts) {
    return "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
        + "\",\"event_time\":" + ts + ",\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],"
        + "\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> " + text + "\",\"ts\":\"" + ts
        + ".000100\",\"channel\":\"C1\"}}";
  }

  private static HttpResponse<String> post(HttpClient http, int port, String body, boolean signed) throws Exception {
    long now = Instant.now().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(now))
        .header("X-Slack-Signature", signed ? sign(now, body) : "v0=" + "0".repeat(64))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Slack's request signature: HMAC-SHA256 of {@code v0:timestamp:body} under the signing secret. */
  private static String sign(long timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body)
        .getBytes(StandardCharsets.UTF_8)));
  }

  private static void expect(int status, HttpResponse<String> response) {
    if (response.statusCode() != status) {
      throw new IllegalStateException("expected " + status + " but the host answered " + response.statusCode()
          + ": " + response.body());
    }
  }

  /** Slack's Web API on loopback: every method answers {@code ok}; {@code chat.postMessage} calls are counted. */
  private static HttpServer slackStandIn(CountDownLatch replies) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestURI().getPath().endsWith("/chat.postMessage")) {
        replies.countDown();
      }
      byte[] body = "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  /** Echoes the host's output and completes {@code port} from its "listening on" line. */
  private static void echo(Process host, CompletableFuture<Integer> port, List<String> output) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        System.out.println("  host: " + line);
        synchronized (output) {
          output.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(new IllegalStateException("the host exited before listening: " + output));
  }
}
