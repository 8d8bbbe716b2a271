package ai.chatops.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.test.RecordingService;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the MCP request path: any bytes as an authenticated {@code application/json} body to {@code /mcp}.
 * Every input gets 200, 202, 400 or 413, never a 500 or an exception. Seeds under
 * {@code McpRequestFuzzTestInputs/body}.
 */
class McpRequestFuzzTest {
  private static final Set<Integer> STATUSES = Set.of(200, 202, 400, 413);
  private static final EventRouter ROUTER = EventRouter.builder().service(RecordingService.create())
      .plugin(new OpsPlugin())
      .endpoint(McpEndpoint.builder().token("U1", McpServerTest.TOKEN_U1)
          .trainingSets(List.of(OpsPlugin.training())).callTimeout(Duration.ofSeconds(5)).build())
      .drainTimeout(Duration.ZERO)
      .build();

  @AfterAll
  static void close() {
    ROUTER.close();
  }

  @FuzzTest(maxDuration = "15s")
  void body(byte[] body) {
    WebhookResponse response = ROUTER.handle(WebhookRequest.builder("POST", "/mcp")
        .header("Authorization", "Bearer " + McpServerTest.TOKEN_U1)
        .header("Content-Type", "application/json")
        .body(body)
        .build());

    assertThat(response.status()).isIn(STATUSES);
  }
}
