package ai.chatops.teams.internal;

import ai.chatops.BadRequestException;
import ai.chatops.toolkit.LogSafe;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Checks the Bot Connector's {@code Authorization: Bearer <JWT>} as Microsoft documents it ("Authenticate
 * requests from the Bot Connector service"), with nimbus-jose-jwt: RS256 only, a key from
 * {@link ConnectorKeys}, issuer {@value #ISSUER}, audience the bot's app id, {@code exp} and {@code nbf} with
 * 5 minutes of clock skew. What needs the activity (the key's endorsement of its {@code channelId}, the
 * {@code serviceUrl} claim) is checked by {@link Verified#checkActivity}. Every refusal is a
 * {@link BadRequestException} with 401 whose message says why and never quotes the token. Thread-safe.
 */
public final class TokenCheck {
  /** The Bot Connector's token issuer. */
  public static final String ISSUER = "https://api.botframework.com";
  /** The clock skew allowed on {@code exp} and {@code nbf}. */
  public static final Duration SKEW = Duration.ofMinutes(5);
  /** A longer header is no Bot Connector token; refused before any parsing. */
  public static final int MAX_HEADER_CHARS = 8 * 1024;

  private final ConnectorKeys keys;
  private final String appId;
  private final Clock clock;

  public TokenCheck(ConnectorKeys keys, String appId, Clock clock) {
    this.keys = keys;
    this.appId = Objects.requireNonNull(appId, "appId");
    this.clock = clock;
  }

  /** A token whose signature, issuer, audience and times were checked. */
  public static final class Verified {
    private final ConnectorKeys.Key key;
    private final String serviceUrl;

    private Verified(ConnectorKeys.Key key, String serviceUrl) {
      this.key = key;
      this.serviceUrl = serviceUrl;
    }

    /**
     * Checks what ties the token to the activity: its key is endorsed for the activity's channel, and its
     * {@code serviceUrl} claim is the activity's.
     *
     * @throws BadRequestException 401 naming which does not hold
     */
    public void checkActivity(String channelId, String activityServiceUrl) {
      if (channelId.isEmpty() || !key.endorsements().contains(channelId)) {
        throw refused("the signing key is not endorsed for the activity's channel '"
            + LogSafe.clean(channelId, 40) + "'");
      }
      if (serviceUrl == null) {
        throw refused("the token has no serviceurl claim");
      }
      if (!serviceUrl.equals(activityServiceUrl)) {
        throw refused("the token's serviceurl claim is not the activity's serviceUrl");
      }
    }

    /** The {@code serviceurl} claim; null when absent (then {@link #checkActivity} refuses). */
    public String serviceUrl() {
      return serviceUrl;
    }
  }

  /**
   * Checks the {@code Authorization} header's bearer token.
   *
   * @param authorization the header's value, null when absent
   * @throws BadRequestException 401 saying what is wrong
   */
  public Verified verify(String authorization) {
    SignedJWT jwt = parse(authorization);
    ConnectorKeys.Key key = signingKey(jwt);
    return new Verified(key, serviceUrlClaim(checkedClaims(jwt)));
  }

  /** The bearer token of the header, parsed, with an RS256 algorithm and a key id; nothing verified yet. */
  private static SignedJWT parse(String authorization) {
    if (authorization == null || authorization.isEmpty()) {
      throw refused("no Authorization header");
    }
    if (authorization.length() > MAX_HEADER_CHARS) {
      throw refused("the Authorization header is longer than " + MAX_HEADER_CHARS + " characters");
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw refused("the Authorization header is not a Bearer token");
    }
    String token = authorization.substring(7).trim();
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      // Nimbus's message may quote parts of the token: only its kind is said.
      throw refused("the bearer token is not a signed JWT");
    }
    JWSHeader header = jwt.getHeader();
    if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
      throw refused("the token's algorithm must be RS256 but was "
          + LogSafe.clean(String.valueOf(header.getAlgorithm()), 20));
    }
    String kid = header.getKeyID();
    if (kid == null || kid.isEmpty()) {
      throw refused("the token names no signing key (kid)");
    }
    return jwt;
  }

  /** The published key the token names, once the token's signature verifies with it. */
  private ConnectorKeys.Key signingKey(SignedJWT jwt) {
    String kid = jwt.getHeader().getKeyID();
    // Read before the lookup: the keys are published before the flag, so a lookup after a true flag sees them,
    // and a refusal never says "not loaded yet" about keys the lookup already had (nor the reverse).
    boolean loaded = keys.loaded();
    ConnectorKeys.Key key = keys.key(kid).orElseThrow(() -> refused("the token's signing key "
        + LogSafe.clean(kid, 80) + " is not known" + (loaded ? "" : " (the Bot Connector's keys are not loaded yet)")));
    try {
      if (!jwt.verify(new RSASSAVerifier(key.publicKey()))) {
        throw refused("the token's signature does not verify");
      }
    } catch (JOSEException e) {
      throw refused("the token's signature cannot be verified");
    } catch (IllegalStateException e) {
      throw refused("the token's signature cannot be verified");
    }
    return key;
  }

  /** The claims of a verified token, once its issuer, audience and times hold. */
  private JWTClaimsSet checkedClaims(SignedJWT jwt) {
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw refused("the token's claims are not a JSON object");
    }
    if (!ISSUER.equals(claims.getIssuer())) {
      throw refused("the token's issuer must be " + ISSUER + " but was "
          + LogSafe.clean(String.valueOf(claims.getIssuer()), 100));
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(appId)) {
      throw refused("the token's audience is not this bot's app id");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw refused("the token has no expiry (exp)");
    }
    if (!now.isBefore(exp.toInstant().plus(SKEW))) {
      throw refused("the token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(SKEW))) {
      throw refused("the token is not valid before " + nbf.toInstant());
    }
    return claims;
  }

  private static String serviceUrlClaim(JWTClaimsSet claims) {
    // Microsoft's documents write serviceUrl, its SDKs read serviceurl: either is taken, and two that
    // disagree are none.
    String lower = stringClaim(claims, "serviceurl");
    String camel = stringClaim(claims, "serviceUrl");
    if (lower != null && camel != null && !lower.equals(camel)) {
      return null;
    }
    return lower != null ? lower : camel;
  }

  private static String stringClaim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String ? (String) value : null;
  }

  private static BadRequestException refused(String why) {
    return new BadRequestException(401, "unauthenticated: " + why);
  }
}
