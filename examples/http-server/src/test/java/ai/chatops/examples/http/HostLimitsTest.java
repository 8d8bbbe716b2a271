package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.test.Wait;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow, stalled, oversized and hostile clients against the real example host on loopback: each is answered
 * with its status or closed, and none of them keeps the others from being served.
 */
class HostLimitsTest {
  private static final String SECRET = "test-signing-secret";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private final List<Socket> sockets = new ArrayList<>();
  private MockWebServer slack;
  private HttpServerMain.Host host;

  private void start(RouterServer.Limits limits) throws IOException {
    slack = new MockWebServer();
    slack.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000100\"}").build();
      }
    });
    slack.start();
    host = HttpServerMain.start(Map.of("PORT", "0", "SLACK_SIGNING_SECRET", SECRET, "SLACK_BOT_TOKEN", "xoxb-test",
        "SLACK_API_URL", slack.url("/api/").toString()), JenkinsPlugin.builder(), limits);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (host != null) {
      host.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void answersEventsAndHealthWhileFiftyConnectionsStall() throws Exception {
    // Deadlines long enough that the stalled clients are still there when they finish, on a busy machine.
    start(new RouterServer.Limits(Duration.ofMinutes(2), Duration.ofMinutes(2), 8192, 100, 32));
    // 25 clients stop in the middle of the request line, 25 after 10 bytes of a signed event's body.
    List<String> stalledBodies = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      connect().getOutputStream().write("POST /slack/ev".getBytes(StandardCharsets.US_ASCII));
    }
    for (int i = 0; i < 25; i++) {
      String body = eventBody("EvStalled" + i, "help");
      stalledBodies.add(body);
      Socket socket = connect();
      socket.getOutputStream().write((signedHead(body) + body.substring(0, 10)).getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
    }

    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(send(signedEvent(eventBody("EvNormal" + i, "help"))));
      answers.add(send(HttpRequest.newBuilder(uri("/healthz")).timeout(WAIT).GET().build()));
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      assertThat(answer.get().statusCode()).isEqualTo(200);
    }
    // The stalled bodies were held open all along: finished now, each is acknowledged.
    for (int i = 0; i < 25; i++) {
      Socket socket = sockets.get(25 + i);
      socket.getOutputStream().write(stalledBodies.get(i).substring(10).getBytes(StandardCharsets.UTF_8));
      assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void closesAConnectionThatStallsInItsRequestLine() throws Exception {
    start(new RouterServer.Limits(Duration.ofMillis(300), Duration.ofSeconds(20), 8192, 100, 32));
    Socket socket = connect();
    socket.getOutputStream().write("POST /slack/ev".getBytes(StandardCharsets.US_ASCII));

    // Jetty ends the connection at the idle timeout: either silently or with a 408.
    String answer = RawHttp.readResponse(socket);
    assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 408 "));
    assertThat(health()).isEqualTo(200);
  }

  @Test
  void answers408WhenTheBodyDoesNotArriveWithinItsDeadline() throws Exception {
    start(new RouterServer.Limits(Duration.ofSeconds(20), Duration.ofMillis(300), 8192, 100, 32));
    Socket socket = connect();
    String body = eventBody("EvSlow", "help");
    socket.getOutputStream().write((signedHead(body) + body.substring(0, 10)).getBytes(StandardCharsets.UTF_8));

    String answer = RawHttp.readResponse(socket);

    assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Connection: close")
        .endsWith("the request body did not arrive in time");
  }

  @Test
  void answers413FromTheDeclaredLengthWithoutWaitingForTheBody() throws Exception {
    start(RouterServer.Limits.defaults());
    Socket socket = connect();
    socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 999999999999\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));

    String answer = RawHttp.readResponse(socket);

    assertThat(answer).startsWith("HTTP/1.1 413 ").contains("Connection: close")
        .endsWith("request body exceeds the limit of 1048576 bytes");
  }

  @Test
  void aClientThatWritesItsWholeOversizedBodyBeforeReadingSeesThe413() throws Exception {
    start(RouterServer.Limits.defaults());
    Socket socket = connect();
    byte[] body = new byte[3 * 1024 * 1024];
    Arrays.fill(body, (byte) 'a');
    OutputStream out = socket.getOutputStream();
    out.write(("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    // As Python's urllib does: the whole body first, the response after. The server discards what it
    // refused instead of resetting the connection, so both the writes and the read succeed.
    out.write(body);
    out.flush();

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 413 ").contains("Connection: close")
        .endsWith("request body exceeds the limit of 1048576 bytes");
  }

  @Test
  void aClientThatWritesItsWholeOversizedChunkedBodyBeforeReadingSeesThe413() throws Exception {
    start(RouterServer.Limits.defaults());
    Socket socket = connect();
    OutputStream out = socket.getOutputStream();
    out.write(("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    // No declared length: the host reads up to its limit, refuses, and drops the rest it is still sent.
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'a');
    for (int i = 0; i < 48; i++) {
      out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(chunk);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 413 ").contains("Connection: close")
        .endsWith("request body exceeds the limit of 1048576 bytes");
  }

  @Test
  void cutsOffAClientThatKeepsSendingItsRefusedBodyPastTheDiscardLimit() throws Exception {
    // A deadline far beyond the test: only the byte bound can end this client.
    start(new RouterServer.Limits(Duration.ofSeconds(10), Duration.ofSeconds(20), 8192, 100, 32, 256 * 1024,
        Duration.ofMinutes(10)));
    Socket socket = connect();
    socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 99999999999\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    Sender sender = Sender.start(socket, 64 * 1024, 0);

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 413 ").contains("Connection: close")
        .endsWith("request body exceeds the limit of 1048576 bytes");
    assertThat(health()).isEqualTo(200);
    Wait.until("the host to cut the sender off", WAIT, () -> sender.failure.isDone());
    assertThat(sender.failure.get()).isInstanceOf(IOException.class);
    assertThat(health()).isEqualTo(200);
  }

  @Test
  void cutsOffAClientThatTricklesItsRefusedBodyPastTheDiscardDeadline() throws Exception {
    // Bytes far below both the discard limit and the idle timeout: only the deadline can end this client.
    start(new RouterServer.Limits(Duration.ofSeconds(20), Duration.ofSeconds(20), 8192, 100, 32,
        RouterServer.Limits.DEFAULT_DISCARD_BYTES, Duration.ofMillis(500)));
    Socket socket = connect();
    socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 99999999999\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    Sender sender = Sender.start(socket, 16, 50);

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 413 ").contains("Connection: close");
    assertThat(health()).isEqualTo(200);
    Wait.until("the host to cut the sender off", WAIT, () -> sender.failure.isDone());
    assertThat(sender.failure.get()).isInstanceOf(IOException.class);
    assertThat(health()).isEqualTo(200);
  }

  @Test
  void answers413ForAChunkedBodyPastTheLimit() throws Exception {
    start(RouterServer.Limits.defaults());
    HttpRequest request = HttpRequest.newBuilder(uri("/slack/events")).timeout(WAIT)
        .header("Content-Type", "application/json")
        // No length known in advance: the client sends it chunked.
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[2 * 1024 * 1024])))
        .build();

    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).isEqualTo("request body exceeds the limit of 1048576 bytes");
  }

  @Test
  void answers431ForTooManyHeaders() throws Exception {
    start(RouterServer.Limits.defaults());
    StringBuilder head = new StringBuilder("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n");
    for (int i = 0; i < 200; i++) {
      head.append("X-H").append(i).append(": v\r\n");
    }
    Socket socket = connect();
    socket.getOutputStream().write((head + "\r\n{}").getBytes(StandardCharsets.US_ASCII));

    String answer = RawHttp.readResponse(socket);

    assertThat(answer).startsWith("HTTP/1.1 431 ").endsWith("too many request headers: at most 100");
  }

  @Test
  void answers431ForHeadersPastTheSizeLimit() throws Exception {
    start(RouterServer.Limits.defaults());
    Socket socket = connect();
    socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(16 * 1024)
        + "\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));

    assertThat(RawHttp.readResponse(socket)).startsWith("HTTP/1.1 431 ");
    assertThat(health()).isEqualTo(200);
  }

  @Test
  void keepsAnsweringAfterClientsGoAwayMidBody() throws Exception {
    start(RouterServer.Limits.defaults());
    for (int i = 0; i < 20; i++) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), host.port())) {
        socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\"")
            .getBytes(StandardCharsets.US_ASCII));
      }
    }
    Wait.until("the host to answer again", WAIT, () -> {
      try {
        return health() == 200;
      } catch (Exception e) {
        return false;
      }
    });
  }

  // ---- helpers

  /** A client that sends body bytes until the connection fails: blocks of {@code size}, {@code pauseMillis} apart. */
  private static final class Sender {
    final CompletableFuture<IOException> failure = new CompletableFuture<>();

    static Sender start(Socket socket, int size, long pauseMillis) {
      Sender sender = new Sender();
      byte[] block = new byte[size];
      Arrays.fill(block, (byte) 'a');
      Thread thread = new Thread(() -> {
        try {
          OutputStream out = socket.getOutputStream();
          while (true) {
            out.write(block);
            out.flush();
            if (pauseMillis > 0) {
              Thread.sleep(pauseMillis); // paces a slow client; nothing is awaited here
            }
          }
        } catch (IOException e) {
          sender.failure.complete(e);
        } catch (InterruptedException e) {
          sender.failure.completeExceptionally(e);
        }
      }, "endless-sender");
      thread.setDaemon(true);
      thread.start();
      return sender;
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), host.port());
    // Bounds a read that would otherwise hang the build if the server never answered; not an assertion.
    socket.setSoTimeout((int) WAIT.toMillis());
    sockets.add(socket);
    return socket;
  }

  private int health() throws Exception {
    return http.send(HttpRequest.newBuilder(uri("/healthz")).timeout(WAIT).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + host.port() + path);
  }

  private static String eventBody(String eventId, String text) {
    return "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
        + "\",\"event_time\":1700000000,\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],"
        + "\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> " + text
        + "\",\"ts\":\"1700000000.000100\",\"channel\":\"C1\"}}";
  }

  private static String signedHead(String body) throws Exception {
    long now = Instant.now().getEpochSecond();
    return "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "X-Slack-Request-Timestamp: " + now + "\r\nX-Slack-Signature: " + SlackHostTest.sign(SECRET, now, body)
        + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
  }

  private HttpRequest signedEvent(String body) throws Exception {
    long now = Instant.now().getEpochSecond();
    return HttpRequest.newBuilder(uri("/slack/events")).timeout(WAIT)
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(now))
        .header("X-Slack-Signature", SlackHostTest.sign(SECRET, now, body))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
