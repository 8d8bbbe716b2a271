package ai.chatops.gcf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import com.google.cloud.functions.invoker.runner.Invoker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link TestBot} in Google's function invoker, in this JVM, and talks to it over real HTTP on the
 * loopback interface.
 */
class RouterFunctionInvokerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static Invoker invoker;
  private static URI base;
  private static HttpClient http;

  @BeforeAll
  static void startInvoker() throws Exception {
    // The invoker takes a port number and does not report the one it bound, so a free one is picked here;
    // another process may take it in between, hence the few attempts.
    Exception last = null;
    for (int attempt = 0; attempt < 3 && invoker == null; attempt++) {
      int port = freePort();
      Invoker candidate = new Invoker(port, TestBot.class.getName(), "http", TestBot.class.getClassLoader());
      try {
        candidate.startTestServer();
        invoker = candidate;
        base = URI.create("http://127.0.0.1:" + port);
      } catch (Exception e) {
        last = e;
      }
    }
    if (invoker == null) {
      throw last;
    }
    http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @AfterAll
  static void stopInvoker() throws Exception {
    if (invoker != null) {
      invoker.stopServer();
    }
    TestBot.BUILT.forEach(EventRouter::close);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Sends a chat message as the recording service would receive it, under the function's route. */
  private static HttpResponse<String> send(WebhookRequest message) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/chatops-bot" + message.path()))
        .timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
    message.headers().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aMessageIsAcknowledgedAndThePluginsReplyIsDelivered() throws Exception {
    HttpResponse<String> response = send(TestBot.CHAT.request().id("Ev-gcf-1").text("greet hello").build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestBot.CHAT.nextReply().text()).isEqualTo("hello U1, from a Cloud Function");
  }

  @Test
  void headersInAnyCaseReachTheService() throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/chatops-bot/test/events"))
        .POST(HttpRequest.BodyPublishers.ofString("greet hello"))
        .header("x-TEST-event-ID", "Ev-gcf-case")
        .header("X-test-USER", "U7")
        .header("x-Test-Channel", "C7");

    HttpResponse<String> response = send(request);

    assertThat(response.statusCode()).isEqualTo(200);
    var delivery = TestBot.CHAT.nextReply();
    assertThat(delivery.conversation().channel()).isEqualTo("C7");
    assertThat(delivery.text()).isEqualTo("hello U7, from a Cloud Function");
  }

  @Test
  void theRouterIsBuiltOnceForManyRequests() throws Exception {
    for (int i = 0; i < 3; i++) {
      send(HttpRequest.newBuilder(base.resolve("/chatops-bot/nowhere")).GET());
    }

    assertThat(TestBot.BUILT).hasSize(1);
  }

  @Test
  void anUnknownPathIsNotFound() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/chatops-bot/nowhere?x=1"))
        .POST(HttpRequest.BodyPublishers.ofString("hi")));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("nothing is mounted at /nowhere");
    assertThat(response.headers().allValues("Content-Type")).containsExactly("text/plain; charset=utf-8");
  }

  @Test
  void aWrongMethodIsRefusedWithTheAllowedOnes() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/chatops-bot/test/events")).GET());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.body()).isEqualTo("GET is not allowed on /test/events");
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void aBodyOverTheLimitIsRefusedByItsContentLength() throws Exception {
    byte[] body = new byte[TestBot.MAX_BODY_BYTES + 1];
    Arrays.fill(body, (byte) 'a');

    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/chatops-bot/test/events"))
        .header("X-Test-Event-Id", "Ev-gcf-big")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).isEqualTo("request body exceeds the limit of 1024 bytes");
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedWhileReading() throws Exception {
    byte[] body = new byte[TestBot.MAX_BODY_BYTES * 4];
    Arrays.fill(body, (byte) 'a');

    // No Content-Length: the stream is sent chunked, so only reading finds it too long.
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/chatops-bot/test/events"))
        .header("X-Test-Event-Id", "Ev-gcf-chunked")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).isEqualTo("request body exceeds the limit of 1024 bytes");
  }

  @Test
  void aBodyAtTheLimitIsAccepted() throws Exception {
    String text = "greet hello" + " ".repeat(TestBot.MAX_BODY_BYTES - "greet hello".length());

    HttpResponse<String> response = send(TestBot.CHAT.request().id("Ev-gcf-limit").text(text).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestBot.CHAT.nextReply().text()).isEqualTo("hello U1, from a Cloud Function");
  }
}
