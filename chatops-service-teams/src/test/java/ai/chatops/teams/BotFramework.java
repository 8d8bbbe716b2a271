package ai.chatops.teams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import ai.chatops.test.MutableClock;

/**
 * Stand-ins for Microsoft's side, on loopback: the login server (OpenID metadata, the JWKS with a key the
 * tests generate, the token endpoint) and the Bot Connector (activities posted and updated), plus tokens
 * signed as the Bot Connector signs them. One per test; {@link #close()} stops both servers.
 */
final class BotFramework implements AutoCloseable {
  static final String APP_ID = "00000000-aaaa-bbbb-cccc-000000000001";
  static final String APP_PASSWORD = "app-password-s3cr3t";
  static final String TENANT = "tenant-1";
  static final String BOT_ID = "28:" + APP_ID;
  static final String KID = "key-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RSAKey KEY = generate(KID);
  /** A second key the JWKS does not publish. */
  static final RSAKey STRANGER = generate("key-unknown");

  final MockWebServer login = new MockWebServer();
  final MockWebServer connector = new MockWebServer();
  final MutableClock clock = MutableClock.at(Instant.now());
  final AtomicBoolean jwksUp = new AtomicBoolean(true);
  final AtomicInteger jwksFetches = new AtomicInteger();
  final AtomicInteger tokenFetches = new AtomicInteger();
  /** Answers the connector gives before its default ({"id": "activity-N"}), in order. */
  final ConcurrentLinkedQueue<MockResponse> connectorAnswers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger activityIds = new AtomicInteger();
  private volatile List<String> endorsements = List.of("msteams");

  BotFramework() {
    login.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        switch (path) {
          case "/v1/.well-known/openidconfiguration":
            return json(200, JSON.createObjectNode().put("issuer", "https://api.botframework.com")
                .put("jwks_uri", login.url("/v1/.well-known/keys").toString()).toString());
          case "/v1/.well-known/keys":
            jwksFetches.incrementAndGet();
            if (!jwksUp.get()) {
              return new MockResponse.Builder().code(500).body("down").build();
            }
            Map<String, Object> jwk = KEY.toPublicJWK().toJSONObject();
            jwk.put("endorsements", endorsements);
            try {
              return json(200, JSON.writeValueAsString(Map.of("keys", List.of(jwk))));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          case "/botframework.com/oauth2/v2.0/token":
            int n = tokenFetches.incrementAndGet();
            return json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"ext_expires_in\":3600,"
                + "\"access_token\":\"bot-token-" + n + "\"}");
          default:
            return new MockResponse.Builder().code(404).build();
        }
      }
    });
    connector.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        MockResponse answer = connectorAnswers.poll();
        if (answer != null) {
          return answer;
        }
        return json(200, "{\"id\":\"activity-" + activityIds.incrementAndGet() + "\"}");
      }
    });
    try {
      login.start();
      connector.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RSAKey generate(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
  }

  /** The channels the published key is endorsed for. */
  void endorse(String... channels) {
    endorsements = List.of(channels);
  }

  String metadataUrl() {
    return login.url("/v1/.well-known/openidconfiguration").toString();
  }

  String tokenUrl() {
    return login.url("/botframework.com/oauth2/v2.0/token").toString();
  }

  /** The connector's base URL, as an activity's serviceUrl. */
  String serviceUrl() {
    return connector.url("/teams/").toString();
  }

  /** A service on these stand-ins, with no retry waits. */
  TeamsService.Builder service() {
    return TeamsService.builder().appId(APP_ID).appPassword(APP_PASSWORD).openIdMetadataUrl(metadataUrl())
        .tokenUrl(tokenUrl()).clock(clock).maxBackoff(Duration.ZERO).serverRetries(2, Duration.ZERO);
  }

  /** The claims of a valid token for {@link #serviceUrl()}, now. */
  JWTClaimsSet.Builder claims() {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer("https://api.botframework.com")
        .audience(APP_ID)
        .notBeforeTime(Date.from(now.minusSeconds(10)))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .claim("serviceurl", serviceUrl());
  }

  /** A valid bearer token. */
  String token() {
    return sign(KEY, claims().build());
  }

  /** A token with changed claims, signed with the published key. */
  String token(Consumer<JWTClaimsSet.Builder> change) {
    JWTClaimsSet.Builder claims = claims();
    change.accept(claims);
    return sign(KEY, claims.build());
  }

  static String sign(RSAKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
          .type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The published key's public half, encoded (X.509), as an HMAC secret would take it. */
  static byte[] publicKeyBytes() {
    try {
      return KEY.toRSAPublicKey().getEncoded();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The published key's private half, for tests that sign by hand. */
  static java.security.PrivateKey privateKey() {
    try {
      return KEY.toPrivateKey();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A message activity in a 1:1 chat from user U1 (aadObjectId aad-1). */
  ObjectNode message(String id, String text) {
    return activity("message", id, "a:personal-1").put("text", text);
  }

  /** An activity of this type in this conversation, from U1 to the bot, in {@link #TENANT}. */
  ObjectNode activity(String type, String id, String conversationId) {
    ObjectNode activity = JSON.createObjectNode()
        .put("type", type)
        .put("id", id)
        .put("timestamp", clock.instant().toString())
        .put("serviceUrl", serviceUrl())
        .put("channelId", "msteams");
    activity.putObject("from").put("id", "29:user-1").put("name", "Ada").put("aadObjectId", "aad-1");
    activity.putObject("conversation").put("id", conversationId).put("tenantId", TENANT)
        .put("conversationType", conversationId.startsWith("19:") ? "channel" : "personal");
    activity.putObject("recipient").put("id", BOT_ID).put("name", "ChatOps");
    activity.putObject("channelData").putObject("tenant").put("id", TENANT);
    return activity;
  }

  @Override
  public void close() {
    login.close();
    connector.close();
  }
}
