package ai.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequesterResponseTest {
  private final MockWebServer server = new MockWebServer();

  record Job(String name, int number) {}

  @BeforeEach
  void start() throws IOException {
    server.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Requester.Builder requester() {
    return Requester.builder().baseUrl(server.url("/jenkins/").toString()).maxRetries(0);
  }

  private void respond(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).body(body).build());
  }

  @Test
  void mapsAJsonBodyToAType() {
    respond(200, "{\"name\":\"deploy\",\"number\":42,\"color\":\"blue\"}");

    Job job = requester().build().json(ApiRequest.get("job/deploy/api/json").build(), Job.class);

    assertThat(job).isEqualTo(new Job("deploy", 42));
  }

  @Test
  void mapsAJsonBodyToAGenericType() {
    respond(200, "[{\"name\":\"a\",\"number\":1},{\"name\":\"b\",\"number\":2}]");

    List<Job> jobs = requester().build().json(ApiRequest.get("jobs").build(), new TypeReference<List<Job>>() {});

    assertThat(jobs).containsExactly(new Job("a", 1), new Job("b", 2));
  }

  @Test
  void exposesStatusHeadersTextAndJsonTree() {
    server.enqueue(
        new MockResponse.Builder()
            .code(201)
            .addHeader("Location", "http://ci/queue/item/5/")
            .addHeader("Content-Type", "application/json; charset=utf-8")
            .body("{\"id\":5}")
            .build());

    ApiResponse response = requester().build().execute(ApiRequest.post("job/x/build").build());

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("location")).contains("http://ci/queue/item/5/");
    assertThat(response.headers().get("location")).containsExactly("http://ci/queue/item/5/");
    assertThat(response.bodyAsString()).isEqualTo("{\"id\":5}");
    assertThat(response.json().get("id").asInt()).isEqualTo(5);
    assertThat(response).hasToString("ApiResponse{201, 8 bytes}");
  }

  @Test
  void reportsANotFoundAsApiExceptionWithStatusAndExcerpt() {
    respond(404, "<html>No such job</html>");

    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> requester().build().execute(ApiRequest.get("job/x/api/json").build()));

    String url = server.url("/jenkins/job/x/api/json").toString();
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.method()).isEqualTo("GET");
    assertThat(e.url()).isEqualTo(url);
    assertThat(e.bodyExcerpt()).isEqualTo("<html>No such job</html>");
    assertThat(e).hasMessage("GET " + url + " failed: 404 Not Found: <html>No such job</html>");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void doesNotRetryAServerErrorOtherThan503() {
    respond(500, "boom");
    respond(200, "{}");

    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> requester().maxRetries(3).build().execute(ApiRequest.get("x").build()));

    assertThat(e.status()).isEqualTo(500);
    assertThat(e).hasMessageEndingWith(" failed: 500 Internal Server Error: boom");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void cutsTheExcerptTo200CharactersAndRemovesControlCharacters() {
    String body = "line one\r\n\tline\u0000two\u202e " + "x".repeat(500);
    respond(400, body);

    ApiException e =
        catchThrowableOfType(ApiException.class, () -> requester().build().execute(ApiRequest.get("x").build()));

    String expected = "line one line two " + "x".repeat(197 - 18) + "...";
    assertThat(e.bodyExcerpt()).isEqualTo(expected).hasSize(200);
    assertThat(e.getMessage()).endsWith("failed: 400 Bad Request: " + expected).doesNotContain("\n", "\u0000");
  }

  @Test
  void reportsABodyThatIsNotJsonAsApiExceptionWithTheStatus() {
    respond(200, "<html>login</html>");

    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> requester().build().json(ApiRequest.get("x").build(), Job.class));

    assertThat(e.status()).isEqualTo(200);
    assertThat(e.getMessage())
        .startsWith("GET " + server.url("/jenkins/x") + " failed: 200 OK, but the body is not ")
        .contains("RequesterResponseTest$Job")
        .endsWith(": <html>login</html>");
  }

  @Test
  void refusesAResponseNestedDeeperThanTheJsonLimitAsApiException() {
    // A hostile or broken server (Jenkins behind a proxy) must not make the bot recurse without end.
    respond(200, "[".repeat(65) + "]".repeat(65));

    ApiException e = catchThrowableOfType(
        ApiException.class, () -> requester().build().execute(ApiRequest.get("x").build()).json());

    assertThat(e.status()).isEqualTo(200);
    assertThat(e.getMessage()).contains("but the body is not JSON (Document nesting depth (65) exceeds the "
        + "maximum allowed (64");
  }

  @Test
  void reportsARefusedConnectionAsStatusZero() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Requester requester = Requester.builder().baseUrl("http://127.0.0.1:" + port + "/").maxRetries(0).build();

    ApiException e = catchThrowableOfType(ApiException.class, () -> requester.execute(ApiRequest.get("x").build()));

    assertThat(e.status()).isZero();
    assertThat(e.url()).isEqualTo("http://127.0.0.1:" + port + "/x");
    assertThat(e.getMessage()).startsWith("GET http://127.0.0.1:" + port + "/x failed: ConnectException: ");
    assertThat(e).hasCauseInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void refusesAResponseLongerThanMaxResponseBytes() {
    respond(200, "12345678901");

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> requester().maxResponseBytes(10).build().execute(ApiRequest.get("x").build()));

    assertThat(e.status()).isEqualTo(200);
    assertThat(e).hasMessage("GET " + server.url("/jenkins/x") + " failed: 200 OK, but the body exceeds maxResponseBytes (10 bytes)");
  }

  @Test
  void refusesAChunkedResponseLongerThanMaxResponseBytes() {
    server.enqueue(new MockResponse.Builder().chunkedBody("x".repeat(100), 7).build());

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> requester().maxResponseBytes(64).build().execute(ApiRequest.get("x").build()));

    assertThat(e.getMessage()).endsWith("failed: 200 OK, but the body exceeds maxResponseBytes (64 bytes)");
  }

  @Test
  void acceptsAResponseOfExactlyMaxResponseBytes() {
    server.enqueue(new MockResponse.Builder().chunkedBody("x".repeat(64), 7).build());

    ApiResponse response = requester().maxResponseBytes(64).build().execute(ApiRequest.get("x").build());

    assertThat(response.bodyAsString()).isEqualTo("x".repeat(64));
  }
}
