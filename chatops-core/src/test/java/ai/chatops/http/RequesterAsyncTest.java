package ai.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Requester#executeAsync}: the same retries and failures as {@code execute}, without a thread waiting. */
class RequesterAsyncTest {
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient();

  @BeforeEach
  void start() throws IOException {
    server.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdownNow();
  }

  private Requester requester() {
    return Requester.builder().baseUrl(server.url("/").toString()).okHttpClient(client)
        .initialBackoff(Duration.ofMillis(1)).build();
  }

  @Test
  void retriesA503AndCompletesWithTheResponseOnAnotherThread() {
    server.enqueue(new MockResponse.Builder().code(503).body("maintenance").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").build());
    String caller = Thread.currentThread().getName();

    CompletableFuture<String> thread = requester().executeAsync(ApiRequest.post("job/api/build").build())
        .thenApply(response -> response.bodyAsString() + " on " + Thread.currentThread().getName());

    assertThat(thread.join()).startsWith("{\"ok\":true} on ").doesNotEndWith(" on " + caller);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void doesNotSendAPostAgainAfterTheConnectionDropped() {
    server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(new MockResponse.Builder().code(200).body("second").build());

    CompletionException e = catchThrowableOfType(CompletionException.class,
        () -> requester().executeAsync(ApiRequest.post("job/api/build").build()).join());

    assertThat(e.getCause()).isInstanceOf(ApiException.class);
    assertThat(((ApiException) e.getCause()).status()).isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void failsWithTheStatusAndBodyOfA404() {
    server.enqueue(new MockResponse.Builder().code(404).body("no such job").build());

    CompletionException e = catchThrowableOfType(CompletionException.class,
        () -> requester().executeAsync(ApiRequest.get("job/nope/api/json").build()).join());

    ApiException failure = (ApiException) e.getCause();
    assertThat(failure.status()).isEqualTo(404);
    assertThat(failure.bodyExcerpt()).isEqualTo("no such job");
  }

  @Test
  void cancellingTheFutureCancelsTheCallInFlight() throws InterruptedException {
    server.enqueue(new MockResponse.Builder().code(200).body("late").headersDelay(30, TimeUnit.SECONDS).build());

    CompletableFuture<ApiResponse> call = requester().executeAsync(ApiRequest.get("slow").build());
    // In flight: the server has the request (a running call may not have sent it yet).
    assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
    call.cancel(true);

    await().until(() -> client.dispatcher().runningCallsCount() == 0);
    assertThat(call).isCancelled();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }
}
