package ai.chatops.x;

import static ai.chatops.x.XApi.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.store.InMemoryStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger's request gets at {@code /x/webhook}: every delivery not signed with the consumer secret
 * over its exact bytes is 401 with the reason, and nothing is processed or sent; then malformed, oversized,
 * misdirected and redelivered deliveries.
 */
class HostileXRequestTest {
  private final XApi xApi = new XApi();
  private final InMemoryStore store = InMemoryStore.create();
  private XService x;
  private EventRouter router;

  @BeforeEach
  void start() {
    x = xApi.service().build();
    router = EventRouter.builder().service(x).store(store).plugin(BotPlugin.create()).maxBodyBytes(64 * 1024)
        .build();
  }

  @AfterEach
  void stop() {
    router.close();
    xApi.close();
  }

  private static byte[] ping() {
    return XApi.dm("1001", "bot ping").toString().getBytes(StandardCharsets.UTF_8);
  }

  private void assertNothingHappened() {
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(xApi.api.getRequestCount()).isZero();
    assertThat(store.list("", null, 100).entries()).isEmpty();
  }

  @Test
  void refusesADeliveryWithoutASignature() {
    WebhookResponse response = router.handle(XApi.post(null, ping()));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyAsString()).isEqualTo("unauthenticated: no x-twitter-webhooks-signature header");
    assertNothingHappened();
  }

  @Test
  void refusesADeliverySignedWithAnotherSecret() {
    WebhookResponse response = router.handle(XApi.post(XApi.sign("not-the-secret", ping()), ping()));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyAsString())
        .startsWith("unauthenticated: x-twitter-webhooks-signature does not match the body");
    assertNothingHappened();
  }

  @Test
  void refusesAHexSignatureWhereBase64IsExpected() {
    byte[] hmac = Base64.getDecoder().decode(XApi.sign(XApi.CONSUMER_SECRET, ping()).substring("sha256=".length()));

    WebhookResponse response = router.handle(XApi.post("sha256=" + HexFormat.of().formatHex(hmac), ping()));

    assertThat(response.status()).isEqualTo(401);
    assertNothingHappened();
  }

  @Test
  void refusesASignatureOfOtherBytesOrSentTwice() {
    byte[] body = ping();
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("bot ping", "bot help")
        .getBytes(StandardCharsets.UTF_8);
    String signature = XApi.sign(XApi.CONSUMER_SECRET, body);
    WebhookRequest twice = WebhookRequest.builder("POST", "/x/webhook").header("Content-Type", "application/json")
        .header("x-twitter-webhooks-signature", signature).header("X-Twitter-Webhooks-Signature", signature)
        .body(body).build();

    assertThat(router.handle(XApi.post(signature, tampered)).status()).isEqualTo(401);
    WebhookResponse repeated = router.handle(twice);
    assertThat(repeated.status()).isEqualTo(401);
    assertThat(repeated.bodyAsString())
        .isEqualTo("unauthenticated: x-twitter-webhooks-signature must be sent once but was sent 2 times");
    assertNothingHappened();
  }

  @Test
  void refusesMalformedJsonThatIsSigned() {
    byte[] body = "{\"for_user_id\":\"4337869213\",".getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = router.handle(XApi.post(XApi.sign(XApi.CONSUMER_SECRET, body), body));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).startsWith("the delivery is not valid JSON (line 1, column ");
    assertNothingHappened();
  }

  @Test
  void refusesADeliveryWithoutForUserId() {
    byte[] body = "{\"direct_message_events\":[]}".getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = router.handle(XApi.post(XApi.sign(XApi.CONSUMER_SECRET, body), body));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).isEqualTo("the delivery has no for_user_id");
    assertNothingHappened();
  }

  @Test
  void refusesAnOversizedBodyBeforeReadingIt() {
    WebhookResponse response = router.handle(XApi.signed(XApi.dm("1001", "x".repeat(70 * 1024))));

    assertThat(response.status()).isEqualTo(413);
    assertNothingHappened();
  }

  @Test
  void refusesABodyThatIsNotJsonByItsContentType() {
    byte[] body = ping();
    WebhookRequest text = WebhookRequest.builder("POST", "/x/webhook").header("Content-Type", "text/plain")
        .header("x-twitter-webhooks-signature", XApi.sign(XApi.CONSUMER_SECRET, body)).body(body).build();

    WebhookResponse response = router.handle(text);

    assertThat(response.status()).isEqualTo(415);
    assertThat(response.bodyAsString()).isEqualTo("Content-Type must be application/json but was text/plain");
    assertNothingHappened();
  }

  @Test
  void ignoresADeliveryForAnotherAccount() {
    ObjectNode delivery = XApi.dm("1001", XApi.USER, "999", "bot ping").put("for_user_id", "999");

    assertThat(router.handle(XApi.signed(delivery)).status()).isEqualTo(200);

    assertNothingHappened();
  }

  @Test
  void ignoresADirectMessageToSomeoneElseInTheBotsDelivery() {
    assertThat(router.handle(XApi.signed(XApi.dm("1001", XApi.USER, "999", "bot ping"))).status())
        .isEqualTo(200);

    assertNothingHappened();
  }

  @Test
  void refusesACrcRequestWithoutATokenOrWithAHugeOne() {
    WebhookResponse none = router.handle(WebhookRequest.builder("GET", "/x/webhook").build());
    WebhookResponse huge = router.handle(WebhookRequest.builder("GET", "/x/webhook")
        .query("crc_token=" + "a".repeat(1001)).build());

    assertThat(none.status()).isEqualTo(400);
    assertThat(huge.status()).isEqualTo(400);
    assertThat(huge.bodyAsString()).isEqualTo("crc_token must have at most 1000 characters");
    assertNothingHappened();
  }

  @Test
  void processesARedeliveryOnceAndAcknowledgesItAgain() throws Exception {
    assertThat(router.handle(XApi.signed(XApi.dm("1001", "bot ping"))).status()).isEqualTo(200);
    xApi.next();
    assertThat(router.awaitIdle(WAIT)).isTrue();

    assertThat(router.handle(XApi.signed(XApi.dm("1001", "bot ping"))).status()).isEqualTo(200);

    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(xApi.api.getRequestCount()).isEqualTo(1);
  }
}
