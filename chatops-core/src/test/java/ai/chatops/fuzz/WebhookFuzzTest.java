package ai.chatops.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.fixtures.ScriptedExecutor;
import ai.chatops.router.internal.HookEndpoint;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the router's webhook paths and bodies ({@code /v1/hooks/<plugin>} and any other path; seeds under
 * {@code WebhookFuzzTestInputs/webhook}). The input is {@code METHOD PATH}, a newline, the signature header
 * ({@code valid} for a correct one, computed here so that the fuzzer gets past the check; empty for none),
 * a newline, then the body. Every request must be answered with a status the router documents for it.
 */
class WebhookFuzzTest {
  private static final String HOOK_SECRET = "fuzz-hook-secret";
  // Hooks run on the calling thread, so that what a plugin's hook does with the body happens inside the target.
  private static final EventRouter ROUTER = EventRouter.builder()
      .plugin(new RecordingPlugin())
      .hookSecret("jenkins", HOOK_SECRET)
      .executor(new ScriptedExecutor(Runnable::run))
      .maxBodyBytes(64 * 1024)
      .build();
  private static final Set<Integer> ROUTER_STATUSES = Set.of(202, 401, 404, 405, 409, 413);

  @AfterAll
  static void closeRouter() {
    ROUTER.close();
  }

  @FuzzTest(maxDuration = Fuzzing.DURATION)
  void webhook(byte[] input) {
    String[] parts = new String(input, StandardCharsets.ISO_8859_1).split("\n", 3);
    String[] line = parts[0].split(" ", 2);
    String method = line[0].isEmpty() ? "POST" : line[0];
    String path = line.length > 1 ? line[1] : HookEndpoint.PREFIX + "jenkins";
    String signature = parts.length > 1 ? parts[1] : "valid";
    byte[] body = parts.length > 2 ? parts[2].getBytes(StandardCharsets.ISO_8859_1) : new byte[0];
    WebhookRequest.Builder request = WebhookRequest.builder(method, path).body(body);
    if (signature.equals("valid")) {
      // The same body within a second is a replay, answered 409.
      String timestamp = Long.toString(java.time.Instant.now().getEpochSecond());
      byte[] secret = HOOK_SECRET.getBytes(StandardCharsets.UTF_8);
      request.header(HookEndpoint.TIMESTAMP_HEADER, timestamp);
      request.header(HookEndpoint.SIGNATURE_HEADER, "sha256=" + HookEndpoint.hex(HookEndpoint.hmac(secret,
          HookEndpoint.signedBytes(timestamp, body))));
    } else if (!signature.isEmpty()) {
      request.header(HookEndpoint.SIGNATURE_HEADER, signature);
    }
    WebhookRequest built = request.build();

    WebhookResponse response = ROUTER.handle(built);

    assertThat(response.status()).isIn(ROUTER_STATUSES);
    if (response.status() == 202) {
      assertThat(built.path()).isEqualTo(HookEndpoint.PREFIX + "jenkins");
      assertThat(built.method()).isEqualTo("POST");
    }
  }
}
