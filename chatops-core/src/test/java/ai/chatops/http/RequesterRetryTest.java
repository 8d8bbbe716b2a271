package ai.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequesterRetryTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final MockWebServer server = new MockWebServer();
  private final RecordingSleeper sleeper = new RecordingSleeper();

  @BeforeEach
  void start() throws IOException {
    server.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Requester.Builder requester() {
    return Requester.builder()
        .baseUrl(server.url("/").toString())
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofSeconds(10))
        .sleeper(sleeper)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private void respond(int code, String body, String retryAfter) {
    MockResponse.Builder response = new MockResponse.Builder().code(code).body(body);
    if (retryAfter != null) {
      response.addHeader("Retry-After", retryAfter);
    }
    server.enqueue(response.build());
  }

  private void disconnect() {
    server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
  }

  @Test
  void retriesA429AfterTheRetryAfterSecondsAndSucceeds() {
    respond(429, "slow down", "2");
    respond(200, "done", null);

    ApiResponse response = requester().build().execute(ApiRequest.post("api/chat.postMessage").build());

    assertThat(response.bodyAsString()).isEqualTo("done");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void honoursARetryAfterHttpDate() {
    String in7Seconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7).atOffset(ZoneOffset.UTC));
    respond(503, "maintenance", in7Seconds);
    respond(200, "{}", null);

    requester().build().execute(ApiRequest.get("x").build());

    assertThat(in7Seconds).isEqualTo("Sun, 1 Mar 2026 12:00:07 GMT");
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void capsRetryAfterAtMaxBackoff() {
    respond(429, "", "3600");
    respond(200, "{}", null);

    requester().maxBackoff(Duration.ofSeconds(5)).build().execute(ApiRequest.get("x").build());

    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void backsOffExponentiallyUpToMaxBackoffWithoutRetryAfter() {
    for (int i = 0; i < 4; i++) {
      respond(503, "", i == 1 ? "soon" : null);
    }
    respond(200, "{}", null);

    requester().maxRetries(4).maxBackoff(Duration.ofMillis(3)).build().execute(ApiRequest.get("x").build());

    assertThat(sleeper.waits)
        .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3), Duration.ofMillis(3));
  }

  @Test
  void reportsThe503AfterMaxRetries() {
    for (int i = 0; i < 4; i++) {
      respond(503, "busy", null);
    }

    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> requester().maxRetries(2).build().execute(ApiRequest.get("x").build()));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e).hasMessage("GET " + server.url("/x") + " failed: 503 Service Unavailable (after 3 attempts): busy");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeper.waits).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2));
  }

  @Test
  void sendsOnceWhenMaxRetriesIsZero() {
    respond(503, "busy", null);

    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> requester().maxRetries(0).build().execute(ApiRequest.get("x").build()));

    assertThat(e).hasMessage("GET " + server.url("/x") + " failed: 503 Service Unavailable: busy");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void retriesAGetAfterTheServerDisconnects() {
    disconnect();
    respond(200, "ok", null);

    ApiResponse response = requester().build().execute(ApiRequest.get("x").build());

    assertThat(response.bodyAsString()).isEqualTo("ok");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.waits).containsExactly(Duration.ofMillis(1));
  }

  @Test
  void doesNotRetryAPostAfterTheServerDisconnects() {
    disconnect();
    respond(200, "ok", null);

    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> requester().build().execute(ApiRequest.post("job/x/build").build()));

    assertThat(e.status()).isZero();
    assertThat(e.method()).isEqualTo("POST");
    assertThat(e.getMessage()).startsWith("POST " + server.url("/job/x/build") + " failed: ");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void reportsTheNetworkFailureAfterTheLastAttempt() {
    disconnect();
    disconnect();

    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> requester().maxRetries(1).build().execute(ApiRequest.get("x").build()));

    assertThat(e.status()).isZero();
    assertThat(e.getMessage()).startsWith("GET " + server.url("/x") + " failed: ").endsWith("(after 2 attempts)");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void reportsAnInterruptedWaitAndKeepsTheInterruptFlag() {
    respond(503, "busy", null);
    Requester requester =
        requester()
            .sleeper(
                duration -> {
                  throw new InterruptedException();
                })
            .build();

    try {
      ApiException e = catchThrowableOfType(ApiException.class, () -> requester.execute(ApiRequest.get("x").build()));

      assertThat(e.status()).isZero();
      assertThat(e)
          .hasMessage("GET " + server.url("/x") + " failed: interrupted while waiting to retry after 503 Service Unavailable");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
