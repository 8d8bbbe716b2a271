package ai.chatops.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Each thread signs with a Mac of its own, reused from request to request. */
class SignaturesTest {
  private static final long NOW = 1_765_000_000L;
  private final Signatures signatures =
      new Signatures("secret-1", Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

  private static String hmac(long timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("secret-1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
    return "v0=" + HexFormat.of().formatHex(digest);
  }

  @Test
  void signsEveryRequestAfreshOnOneThreadEvenAfterARefusal() throws Exception {
    for (int i = 0; i < 3; i++) {
      String body = "{\"n\":" + i + "}";
      assertThat(signatures.sign(NOW, body.getBytes(StandardCharsets.UTF_8))).isEqualTo(hmac(NOW, body));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> signatures.verify(Optional.of(Long.toString(NOW)), Optional.of(hmac(NOW, "x")), bytes))
          .isInstanceOf(BadRequestException.class).hasMessage("X-Slack-Signature does not match the request");
      signatures.verify(Optional.of(Long.toString(NOW)), Optional.of(hmac(NOW, body)), bytes);
    }
  }

  @Test
  void threadsSigningAtOnceEachGetTheirOwnRequestsSignature() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] done = new Future<?>[4];
      for (int t = 0; t < done.length; t++) {
        int thread = t;
        done[t] = pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            String body = "{\"thread\":" + thread + ",\"n\":" + i + "}";
            signatures.verify(Optional.of(Long.toString(NOW - i % 300)), Optional.of(hmac(NOW - i % 300, body)),
                body.getBytes(StandardCharsets.UTF_8));
          }
          return null;
        });
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
