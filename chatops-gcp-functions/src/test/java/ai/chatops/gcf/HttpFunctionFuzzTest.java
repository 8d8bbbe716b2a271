package ai.chatops.gcf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.test.RecordingService;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the Cloud Functions HTTP adapter with requests whose method, path, query, headers, declared length
 * (true, short, long or absent) and body are the fuzzer's. Every request must be answered with a status the
 * router or the adapter documents, never an exception. Seeds under {@code HttpFunctionFuzzTestInputs/request}.
 */
class HttpFunctionFuzzTest {
  private static final Set<Integer> STATUSES = Set.of(200, 400, 401, 404, 405, 413, 415);
  private static final EventRouter ROUTER = EventRouter.builder()
      .service(RecordingService.create())
      .plugin(BotPlugin.create())
      .executor(new GcfFuzzing.DiscardingExecutor())
      .maxBodyBytes(4096)
      .drainTimeout(Duration.ZERO)
      .build();
  private static final HttpFunctionAdapter ADAPTER = HttpFunctionAdapter.create(() -> ROUTER).withBasePath("/bot");

  @AfterAll
  static void closeRouter() {
    ROUTER.close();
  }

  @FuzzTest(maxDuration = GcfFuzzing.DURATION)
  void request(FuzzedDataProvider data) throws IOException {
    String method = data.pickValue(new String[] {"POST", "GET", "PUT", "post", "", "POST "});
    String path = data.consumeBoolean() ? "/bot/test/events" : data.consumeString(200);
    String query = data.consumeBoolean() ? null : data.consumeString(100);
    Map<String, List<String>> headers = new HashMap<>();
    int count = data.consumeInt(0, 8);
    for (int i = 0; i < count; i++) {
      headers.put(data.pickValue(new String[] {"x-test-event-id", "x-test-user", "x-test-channel", "Content-Type",
          data.consumeString(20)}), List.of(data.consumeString(100), data.consumeString(20)));
    }
    int lengthMode = data.consumeInt(0, 3);
    byte[] body = data.consumeRemainingAsBytes();
    long declared = switch (lengthMode) {
      case 0 -> body.length;
      case 1 -> -1;
      case 2 -> Math.max(0, body.length - 1);
      default -> body.length + 999_999_999_999L;
    };
    GcfFuzzing.Response response = new GcfFuzzing.Response();

    ADAPTER.service(GcfFuzzing.request(method, path, query, headers, body, declared), response);

    assertThat(response.status).isIn(STATUSES);
  }
}
