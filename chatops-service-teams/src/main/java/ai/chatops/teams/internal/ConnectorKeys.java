package ai.chatops.teams.internal;

import ai.chatops.http.ApiException;
import ai.chatops.http.ApiRequest;
import ai.chatops.http.Requester;
import ai.chatops.toolkit.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bot Connector's signing keys: read from the OpenID metadata document's {@code jwks_uri}, kept in
 * memory, and refreshed off the request path: when a token names a key that is not known (at most once a
 * minute) and when the keys are older than 24 hours. A request never waits for a fetch; until the keys are
 * there, tokens are refused. Thread-safe.
 */
public final class ConnectorKeys {
  private static final Logger log = LoggerFactory.getLogger(ConnectorKeys.class);
  /** The least time between two fetches asked for by unknown key ids. */
  public static final Duration MIN_REFRESH_INTERVAL = Duration.ofMinutes(1);
  /** How long fetched keys are used before they are fetched again (and still used while that runs). */
  public static final Duration MAX_AGE = Duration.ofHours(24);
  /** Microsoft's keys are 2048-bit RSA; anything weaker is not theirs. */
  private static final int MIN_RSA_BITS = 2048;

  /** One signing key and the channels it is endorsed for. */
  public record Key(String kid, RSAPublicKey publicKey, Set<String> endorsements) {}

  private record Loaded(Map<String, Key> byKid, Instant at) {}

  private final Requester requester;
  private final HttpUrl metadataUrl;
  private final Clock clock;
  private final Executor executor;
  private final AtomicBoolean fetching = new AtomicBoolean();
  private volatile Loaded loaded = new Loaded(Map.of(), Instant.MIN);
  /** When the last fetch started; guarded by {@code fetching}. */
  private volatile Instant lastAttempt;
  private volatile boolean everLoaded;

  /**
   * @param requester the shared requester whose pool and limits the fetches use (its base URL is replaced)
   * @param metadataUrl the OpenID metadata document, already checked with {@link Urls#allowed}
   * @param executor runs the fetches; never the caller's thread
   */
  public ConnectorKeys(Requester requester, HttpUrl metadataUrl, Clock clock, Executor executor) {
    this.requester = requester;
    this.metadataUrl = metadataUrl;
    this.clock = clock;
    this.executor = executor;
    this.lastAttempt = clock.instant().minus(MIN_REFRESH_INTERVAL).minusSeconds(1);
  }

  /**
   * The key with this id, if known. Asks for a fetch in the background when it is not (at most once a
   * minute) or when the keys are older than {@link #MAX_AGE}.
   */
  public Optional<Key> key(String kid) {
    Loaded current = loaded;
    Key key = current.byKid().get(kid);
    if (key == null) {
      refresh("the key id " + LogSafe.clean(kid, 80) + " is not among the Bot Connector's keys");
    } else if (!clock.instant().isBefore(current.at().plus(MAX_AGE))) {
      refresh("the keys are older than 24 hours");
    }
    return Optional.ofNullable(key);
  }

  /** Whether keys were ever loaded. */
  public boolean loaded() {
    return everLoaded;
  }

  /** Starts a fetch now unless one runs or the last started less than a minute ago; never blocks. */
  public void refresh(String why) {
    Instant now = clock.instant();
    if (now.isBefore(lastAttempt.plus(MIN_REFRESH_INTERVAL)) || !fetching.compareAndSet(false, true)) {
      return;
    }
    lastAttempt = now;
    log.info("fetching the Bot Connector's signing keys: {}", why);
    try {
      executor.execute(this::fetchNow);
    } catch (RejectedExecutionException e) {
      fetching.set(false);
      log.warn("could not start fetching the Bot Connector's signing keys: {}", e.toString());
    }
  }

  /** Fetches the metadata and the keys on this thread, keeping the old keys when anything fails. */
  void fetchNow() {
    Loaded fresh = null;
    HttpUrl jwks = null;
    try {
      JsonNode metadata = get(metadataUrl);
      String jwksUri = metadata.path("jwks_uri").asText("");
      jwks = Urls.allowed(jwksUri).orElseThrow(() -> new IllegalStateException(
          "the OpenID metadata's jwks_uri must be an https URL (or http to loopback) but was '"
              + LogSafe.clean(jwksUri, 100) + "'"));
      Map<String, Key> keys = parse(get(jwks));
      if (keys.isEmpty()) {
        throw new IllegalStateException("the key set at " + jwks.redact() + " holds no usable RSA key");
      }
      fresh = new Loaded(Map.copyOf(keys), clock.instant());
    } catch (ApiException | IllegalStateException e) {
      log.warn("fetching the Bot Connector's signing keys failed (the keys held are kept): {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("fetching the Bot Connector's signing keys failed (the keys held are kept)", e);
    } finally {
      // Before the keys are published: whoever sees them may ask for the next fetch at once.
      fetching.set(false);
    }
    if (fresh != null) {
      loaded = fresh;
      everLoaded = true;
      log.info("loaded {} Bot Connector signing keys from {}", fresh.byKid().size(), jwks.redact());
    }
  }

  private JsonNode get(HttpUrl url) {
    Requester at = requester.newBuilder().baseUrl(Urls.base(url)).build();
    ApiRequest.Builder request = ApiRequest.get(Urls.lastSegment(url));
    for (int i = 0; i < url.querySize(); i++) {
      request.queryParam(url.queryParameterName(i), Optional.ofNullable(url.queryParameterValue(i)).orElse(""));
    }
    JsonNode node = at.execute(request.build()).json();
    if (!node.isObject()) {
      throw new IllegalStateException(url.redact() + " did not answer with a JSON object");
    }
    return node;
  }

  /** The RSA signature keys of a JWKS document, with their {@code endorsements}; others are skipped. */
  static Map<String, Key> parse(JsonNode jwks) {
    Map<String, Key> keys = new HashMap<>();
    for (JsonNode node : jwks.path("keys")) {
      String kid = node.path("kid").asText("");
      if (kid.isEmpty() || !node.path("kty").asText("").equals("RSA")
          || !node.path("use").asText("sig").equals("sig")) {
        continue;
      }
      try {
        RSAKey rsa = JWK.parse(node.toString()).toRSAKey();
        if (rsa.size() < MIN_RSA_BITS) {
          log.warn("skipping Bot Connector key {}: {} bits", LogSafe.clean(kid, 80), rsa.size());
          continue;
        }
        Set<String> endorsements = new HashSet<>();
        node.path("endorsements").forEach(e -> endorsements.add(e.asText("")));
        keys.put(kid, new Key(kid, rsa.toRSAPublicKey(), Set.copyOf(endorsements)));
      } catch (ParseException | JOSEException e) {
        log.warn("skipping Bot Connector key {}: {}", LogSafe.clean(kid, 80), LogSafe.clean(e.getMessage(), 120));
      }
    }
    return keys;
  }
}
