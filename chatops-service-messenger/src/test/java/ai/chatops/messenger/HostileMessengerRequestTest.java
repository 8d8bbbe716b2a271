package ai.chatops.messenger;

import static ai.chatops.messenger.Meta.WAIT;
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
 * What a stranger's request gets at {@code /messenger/webhook}: every delivery not signed with the app secret
 * over its exact bytes is 401 with the reason, and nothing is processed or sent; then malformed, oversized,
 * misdirected and redelivered batches.
 */
class HostileMessengerRequestTest {
  private final Meta meta = new Meta();
  private final InMemoryStore store = InMemoryStore.create();
  private MessengerService messenger;
  private EventRouter router;

  @BeforeEach
  void start() {
    messenger = meta.service().pageId(Meta.PAGE).build();
    router = EventRouter.builder().service(messenger).store(store).plugin(BotPlugin.create())
        .maxBodyBytes(64 * 1024).build();
  }

  @AfterEach
  void stop() {
    router.close();
    messenger.close();
    meta.close();
  }

  private static byte[] ping() {
    return Meta.text("m_1", "bot ping").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Nothing was processed: no event recorded, no call to the Graph API. */
  private void assertNothingHappened() {
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(meta.graph.getRequestCount()).isZero();
    assertThat(store.list("", null, 100).entries()).isEmpty();
  }

  @Test
  void refusesADeliveryWithoutASignature() {
    WebhookResponse response = router.handle(Meta.post(null, ping()));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyAsString()).isEqualTo("unauthenticated: no X-Hub-Signature-256 header");
    assertNothingHappened();
  }

  @Test
  void refusesADeliverySignedWithAnotherSecret() {
    WebhookResponse response = router.handle(Meta.post(Meta.sign("not-the-app-secret", ping()), ping()));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyAsString()).startsWith("unauthenticated: X-Hub-Signature-256 does not match the body");
    assertNothingHappened();
  }

  @Test
  void refusesABase64SignatureWhereHexIsExpected() {
    byte[] hmac = HexFormat.of().parseHex(Meta.sign(Meta.APP_SECRET, ping()).substring("sha256=".length()));

    WebhookResponse response = router.handle(Meta.post("sha256=" + Base64.getEncoder().encodeToString(hmac), ping()));

    assertThat(response.status()).isEqualTo(401);
    assertNothingHappened();
  }

  @Test
  void refusesASignatureOfOtherBytesThanTheBody() {
    byte[] body = ping();
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("bot ping", "bot help")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(router.handle(Meta.post(Meta.sign(Meta.APP_SECRET, body), tampered)).status()).isEqualTo(401);
    assertThat(router.handle(Meta.post("sha1=" + Meta.sign(Meta.APP_SECRET, body).substring(7), body)).status())
        .isEqualTo(401);
    assertNothingHappened();
  }

  @Test
  void refusesASignatureSentTwice() {
    byte[] body = ping();
    String signature = Meta.sign(Meta.APP_SECRET, body);
    WebhookRequest twice = WebhookRequest.builder("POST", "/messenger/webhook")
        .header("Content-Type", "application/json").header("X-Hub-Signature-256", signature)
        .header("X-Hub-Signature-256", signature).body(body).build();

    WebhookResponse response = router.handle(twice);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyAsString())
        .isEqualTo("unauthenticated: X-Hub-Signature-256 must be sent once but was sent 2 times");
    assertNothingHappened();
  }

  @Test
  void refusesMalformedJsonThatIsSigned() {
    byte[] body = "{\"object\":\"page\",\"entry\":[".getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = router.handle(Meta.post(Meta.sign(Meta.APP_SECRET, body), body));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).startsWith("the webhook body is not valid JSON (line 1, column ");
    assertNothingHappened();
  }

  @Test
  void refusesABodyThatIsNotABatch() {
    byte[] array = "[1,2]".getBytes(StandardCharsets.UTF_8);
    byte[] noEntry = "{\"object\":\"page\"}".getBytes(StandardCharsets.UTF_8);

    WebhookResponse first = router.handle(Meta.post(Meta.sign(Meta.APP_SECRET, array), array));
    WebhookResponse second = router.handle(Meta.post(Meta.sign(Meta.APP_SECRET, noEntry), noEntry));

    assertThat(first.status()).isEqualTo(400);
    assertThat(first.bodyAsString()).isEqualTo("the webhook body must be a JSON object");
    assertThat(second.bodyAsString()).isEqualTo("the webhook body has no entry array");
    assertNothingHappened();
  }

  @Test
  void refusesAnOversizedBodyBeforeReadingIt() {
    ObjectNode batch = Meta.text("m_1", "x".repeat(70 * 1024));

    WebhookResponse response = router.handle(Meta.signed(batch));

    assertThat(response.status()).isEqualTo(413);
    assertNothingHappened();
  }

  @Test
  void refusesABodyThatIsNotJsonByItsContentType() {
    byte[] body = ping();
    WebhookRequest form = WebhookRequest.builder("POST", "/messenger/webhook")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Hub-Signature-256", Meta.sign(Meta.APP_SECRET, body)).body(body).build();

    WebhookResponse response = router.handle(form);

    assertThat(response.status()).isEqualTo(415);
    assertThat(response.bodyAsString())
        .isEqualTo("Content-Type must be application/json but was application/x-www-form-urlencoded");
    assertNothingHappened();
  }

  @Test
  void ignoresAMessageForAnotherPage() {
    ObjectNode batch = Meta.text("m_1", "bot ping");
    ((ObjectNode) batch.path("entry").path(0)).put("id", "999");
    ((ObjectNode) batch.path("entry").path(0).path("messaging").path(0).path("recipient")).put("id", "999");

    assertThat(router.handle(Meta.signed(batch)).status()).isEqualTo(200);

    assertNothingHappened();
  }

  @Test
  void ignoresOtherObjectsThanPages() {
    ObjectNode batch = Meta.text("m_1", "bot ping").put("object", "instagram");

    assertThat(router.handle(Meta.signed(batch)).status()).isEqualTo(200);

    assertNothingHappened();
  }

  @Test
  void refusesAHandshakeWithTheWrongVerifyToken() {
    WebhookResponse wrong = router.handle(WebhookRequest.builder("GET", "/messenger/webhook")
        .query("hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42").build());

    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.bodyAsString()).doesNotContain("42");
    assertNothingHappened();
  }

  @Test
  void processesARedeliveryOnceAndAcknowledgesItAgain() throws Exception {
    assertThat(router.handle(Meta.signed(Meta.text("m_1", "bot ping"))).status()).isEqualTo(200);
    meta.next();
    assertThat(router.awaitIdle(WAIT)).isTrue();

    assertThat(router.handle(Meta.signed(Meta.text("m_1", "bot ping"))).status()).isEqualTo(200);

    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(meta.graph.getRequestCount()).isEqualTo(1);
  }
}
