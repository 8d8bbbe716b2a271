package ai.chatops.teams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ChatOpsException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.store.InMemoryStore;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger's request gets at {@code /api/messages}: every token that is not the Bot Connector's, for
 * this bot and this activity, is answered 401 with the reason, and nothing is processed, remembered or sent.
 * Then the usual: malformed, oversized and redelivered activities.
 */
class HostileTeamsRequestTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final BotFramework bf = new BotFramework();
  private final InMemoryStore store = InMemoryStore.create();
  private TeamsService teams;
  private EventRouter router;

  @BeforeEach
  void start() {
    start(true);
  }

  private void start(boolean awaitKeys) {
    if (router != null) {
      router.close();
      teams.close();
    }
    teams = bf.service().store(store).build();
    router = EventRouter.builder().service(teams).store(store).plugin(BotPlugin.create())
        .maxBodyBytes(64 * 1024).build();
    if (awaitKeys) {
      Wait.until("the Bot Connector's keys", WAIT, teams::keysLoaded);
    }
  }

  @AfterEach
  void stop() {
    router.close();
    teams.close();
    bf.close();
  }

  private WebhookResponse send(String authorization, String body) {
    WebhookRequest.Builder request = WebhookRequest.builder("POST", "/api/messages")
        .header("Content-Type", "application/json").body(body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return router.handle(request.build());
  }

  private WebhookResponse sendToken(String token, ObjectNode activity) {
    return send("Bearer " + token, activity.toString());
  }

  /** Sends, expects 401 with this reason, and checks that nothing was processed, remembered or sent. */
  private void refused(String authorization, ObjectNode activity, String reason) {
    WebhookResponse response = send(authorization, activity.toString());

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyAsString()).isEqualTo("unauthenticated: " + reason);
    if (authorization != null && authorization.length() > 20) {
      assertThat(response.bodyAsString()).doesNotContain(authorization.substring(7));
    }
    assertNothingHappened();
  }

  private void assertNothingHappened() {
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isZero();
    assertThat(bf.tokenFetches.get()).isZero();
    assertThatThrownBy(() -> teams.deliver(Conversation.of("teams", BotFramework.TENANT, "a:personal-1"),
        Reply.text("x"))).isInstanceOf(ChatOpsException.class);
  }

  private ObjectNode ping() {
    return bf.message("act-1", "bot ping");
  }

  @Test
  void refusesAMissingOrMalformedAuthorizationHeader() {
    refused(null, ping(), "no Authorization header");
    refused("Basic dXNlcjpwYXNz", ping(), "the Authorization header is not a Bearer token");
    refused("Bearer ", ping(), "the bearer token is not a signed JWT");
    refused("Bearer not.a.jwt", ping(), "the bearer token is not a signed JWT");
    refused("Bearer " + "x".repeat(9000), ping(), "the Authorization header is longer than 8192 characters");
  }

  @Test
  void refusesTwoAuthorizationHeaders() {
    WebhookResponse response = router.handle(WebhookRequest.builder("POST", "/api/messages")
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + bf.token()).header("Authorization", "Bearer " + bf.token())
        .body(ping().toString()).build());

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyAsString()).isEqualTo("unauthenticated: Authorization must be sent once but was sent 2 times");
    assertNothingHappened();
  }

  @Test
  void refusesTokensExpiredOrNotYetValidBeyondFiveMinutesOfSkew() {
    // JWT times are whole seconds.
    Date sixMinutesAgo = Date.from(bf.clock.instant().minusSeconds(360).truncatedTo(ChronoUnit.SECONDS));
    Date inSixMinutes = Date.from(bf.clock.instant().plusSeconds(360).truncatedTo(ChronoUnit.SECONDS));

    refused("Bearer " + bf.token(c -> c.expirationTime(sixMinutesAgo)), ping(),
        "the token expired at " + sixMinutesAgo.toInstant());
    refused("Bearer " + bf.token(c -> c.notBeforeTime(inSixMinutes)), ping(),
        "the token is not valid before " + inSixMinutes.toInstant());
    refused("Bearer " + bf.token(c -> c.expirationTime(null)), ping(), "the token has no expiry (exp)");
  }

  @Test
  void acceptsTokensWithinTheSkew() {
    Date fourMinutesAgo = Date.from(bf.clock.instant().minusSeconds(240));
    Date inFourMinutes = Date.from(bf.clock.instant().plusSeconds(240));

    assertThat(sendToken(bf.token(c -> c.expirationTime(fourMinutesAgo)), ping()).status()).isEqualTo(200);
    assertThat(sendToken(bf.token(c -> c.notBeforeTime(inFourMinutes)), bf.message("act-2", "bot ping")).status())
        .isEqualTo(200);
  }

  @Test
  void refusesAnotherIssuerOrAudience() {
    refused("Bearer " + bf.token(c -> c.issuer("https://sts.windows.net/evil/")), ping(),
        "the token's issuer must be https://api.botframework.com but was https://sts.windows.net/evil/");
    refused("Bearer " + bf.token(c -> c.audience("another-bot")), ping(),
        "the token's audience is not this bot's app id");
  }

  @Test
  void refusesAnUnsignedToken() {
    String header = b64("{\"alg\":\"none\",\"kid\":\"" + BotFramework.KID + "\",\"typ\":\"JWT\"}");
    String claims = b64(bf.claims().build().toString());

    refused("Bearer " + header + "." + claims + ".", ping(), "the bearer token is not a signed JWT");
  }

  @Test
  void refusesAnHmacTokenKeyedWithThePublicKey() throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(BotFramework.KID).build(),
        bf.claims().build());
    jwt.sign(new MACSigner(BotFramework.publicKeyBytes()));

    refused("Bearer " + jwt.serialize(), ping(), "the token's algorithm must be RS256 but was HS256");
  }

  @Test
  void refusesAnotherRsaAlgorithm() throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(BotFramework.KID).build(),
        bf.claims().build());
    jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(BotFramework.STRANGER));

    refused("Bearer " + jwt.serialize(), ping(), "the token's algorithm must be RS256 but was RS512");
  }

  @Test
  void refusesAnUnknownKeyAndFetchesTheKeysAtMostOnceAMinute() {
    String stranger = BotFramework.sign(BotFramework.STRANGER, bf.claims().build());
    refused("Bearer " + stranger, ping(), "the token's signing key key-unknown is not known");
    assertThat(bf.jwksFetches.get()).as("no fetch within a minute of the one at start").isEqualTo(1);
    bf.clock.advance(Duration.ofSeconds(61));
    int fetched = bf.jwksFetches.get();

    for (int i = 0; i < 5; i++) {
      refused("Bearer " + stranger, ping(), "the token's signing key key-unknown is not known");
    }

    Wait.until("the refresh the first unknown key asked for", WAIT, () -> bf.jwksFetches.get() == fetched + 1);
    refused("Bearer " + stranger, ping(), "the token's signing key key-unknown is not known");
    assertThat(bf.jwksFetches.get()).isEqualTo(fetched + 1);
    bf.clock.advance(Duration.ofSeconds(61));
    // Asked again until the first fetch has finished: one that is still running is not started twice.
    Wait.until("a second refresh a minute later", WAIT,
        () -> send("Bearer " + stranger, ping().toString()).status() == 401 && bf.jwksFetches.get() == fetched + 2);
    assertNothingHappened();
  }

  @Test
  void refusesAKeyNotEndorsedForTheChannel() {
    refused("Bearer " + bf.token(), ping().put("channelId", "webchat"),
        "the signing key is not endorsed for the activity's channel 'webchat'");
  }

  @Test
  void refusesAServiceUrlClaimThatIsNotTheActivitys() {
    refused("Bearer " + bf.token(c -> c.claim("serviceurl", "https://attacker.example.com/")), ping(),
        "the token's serviceurl claim is not the activity's serviceUrl");
    refused("Bearer " + bf.token(), ping().put("serviceUrl", "https://attacker.example.com/"),
        "the token's serviceurl claim is not the activity's serviceUrl");
    refused("Bearer " + bf.token(c -> c.claim("serviceurl", null)), ping(), "the token has no serviceurl claim");
  }

  @Test
  void refusesATamperedPayload() {
    String[] parts = bf.token().split("\\.");
    String tampered = parts[0] + "." + b64(bf.claims().audience(List.of(BotFramework.APP_ID, "x")).build().toString())
        + "." + parts[2];

    refused("Bearer " + tampered, ping(), "the token's signature does not verify");
  }

  @Test
  void refusesEverythingWhileTheKeysAreDownAndRecoversWhenTheyAreBack() {
    bf.jwksUp.set(false);
    start(false);
    Wait.until("the first fetch", WAIT, () -> bf.jwksFetches.get() >= 1);

    refused("Bearer " + bf.token(), ping(),
        "the token's signing key key-1 is not known (the Bot Connector's keys are not loaded yet)");

    bf.jwksUp.set(true);
    bf.clock.advance(Duration.ofSeconds(61));
    Wait.until("a request accepted once the keys are back", WAIT,
        () -> sendToken(bf.token(), ping()).status() == 200);
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchesTheKeysAgainAfterADayWhileStillUsingThem() {
    int fetched = bf.jwksFetches.get();
    bf.clock.advance(Duration.ofHours(24));

    assertThat(sendToken(bf.token(), ping()).status()).isEqualTo(200);

    Wait.until("the daily refresh", WAIT, () -> bf.jwksFetches.get() == fetched + 1);
  }

  @Test
  void refusesMalformedActivitiesAfterTheTokenWithClearStatuses() {
    WebhookResponse broken = send("Bearer " + bf.token(), "{\"type\":\"message\",");
    WebhookResponse array = send("Bearer " + bf.token(), "[]");
    WebhookResponse typeless = send("Bearer " + bf.token(), "{\"id\":\"x\"}");
    WebhookResponse text = router.handle(WebhookRequest.builder("POST", "/api/messages")
        .header("Authorization", "Bearer " + bf.token()).header("Content-Type", "text/plain").body("hi").build());
    WebhookResponse deep = send("Bearer " + bf.token(), "{\"type\":\"message\",\"value\":" + "[".repeat(100)
        + "]".repeat(100) + "}");

    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.bodyAsString()).startsWith("the activity is not valid JSON (line 1, column ");
    assertThat(array.status()).isEqualTo(400);
    assertThat(array.bodyAsString()).isEqualTo("the activity must be a JSON object");
    assertThat(typeless.status()).isEqualTo(400);
    assertThat(typeless.bodyAsString()).isEqualTo("the activity has no type");
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.bodyAsString()).isEqualTo("Content-Type must be application/json but was text/plain");
    assertThat(deep.status()).isEqualTo(400);
    assertThat(deep.bodyAsString()).startsWith("the activity exceeds a JSON limit: Document nesting depth (65)");
    assertNothingHappened();
  }

  @Test
  void refusesAMessageWithoutAnIdOrConversation() {
    ObjectNode noId = ping();
    noId.remove("id");
    ObjectNode noConversation = bf.message("act-3", "bot ping");
    noConversation.remove("conversation");

    WebhookResponse first = sendToken(bf.token(), noId);
    WebhookResponse second = sendToken(bf.token(), noConversation);

    assertThat(first.status()).isEqualTo(400);
    assertThat(first.bodyAsString()).isEqualTo("the message activity has no id");
    assertThat(second.status()).isEqualTo(400);
    assertThat(second.bodyAsString()).isEqualTo("activity teams/act-3: no conversation.id");
    assertNothingHappened();
  }

  @Test
  void refusesAPlainHttpServiceUrlOutsideLoopback() {
    String url = "http://connector.example.com/";

    WebhookResponse response = sendToken(bf.token(c -> c.claim("serviceurl", url)), ping().put("serviceUrl", url));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyAsString()).isEqualTo("the activity's serviceUrl must be https");
    assertNothingHappened();
  }

  @Test
  void refusesAnOversizedBodyBeforeTheToken() {
    ObjectNode big = ping().put("text", "x".repeat(70 * 1024));

    WebhookResponse response = sendToken(bf.token(), big);

    assertThat(response.status()).isEqualTo(413);
    assertNothingHappened();
  }

  @Test
  void answersARedeliveryOnceAndSendsOneReply() throws InterruptedException {
    ObjectNode activity = ping();

    for (int i = 0; i < 3; i++) {
      assertThat(sendToken(bf.token(), activity).status()).isEqualTo(200);
    }

    assertThat(bf.connector.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    assertThat(router.awaitIdle(WAIT)).isTrue();
    assertThat(bf.connector.getRequestCount()).isEqualTo(1);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
