package ai.chatops.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HmacSignatureTest {
  // RFC 4231, test case 2: the key "Jefe" and this message.
  private static final byte[] BODY = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
  private static final String HEX = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  private static final String BASE64 = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=";

  private static HmacSignature hex() {
    return HmacSignature.builder("Jefe").header("X-Hub-Signature-256").prefix("sha256=")
        .encoding(HmacSignature.Encoding.HEX).secretName("app secret").build();
  }

  private static HmacSignature base64() {
    return HmacSignature.builder("Jefe").header("x-twitter-webhooks-signature").prefix("sha256=")
        .encoding(HmacSignature.Encoding.BASE64).secretName("consumer secret").build();
  }

  @Test
  void signsAsTheRfcVectorSaysInHexAndBase64() {
    assertThat(hex().sign(BODY)).isEqualTo("sha256=" + HEX);
    assertThat(base64().sign(BODY)).isEqualTo("sha256=" + BASE64);
  }

  @Test
  void acceptsTheRightSignatureWithSurroundingSpace() {
    hex().verify(List.of(" sha256=" + HEX + " "), BODY);
    base64().verify(List.of("sha256=" + BASE64), BODY);
  }

  @Test
  void refusesTheOtherEncodingsSignatureNamingWhatItExpects() {
    assertThatThrownBy(() -> hex().verify(List.of("sha256=" + BASE64), BODY))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessage("unauthenticated: X-Hub-Signature-256 does not match the body (expected sha256= and the hex"
            + " HMAC-SHA256 of the raw body with the app secret)");
    assertThatThrownBy(() -> base64().verify(List.of("sha256=" + HEX), BODY))
        .hasMessage("unauthenticated: x-twitter-webhooks-signature does not match the body (expected sha256= and"
            + " the base64 HMAC-SHA256 of the raw body with the consumer secret)");
  }

  @Test
  void refusesAMissingBlankOrRepeatedHeader() {
    assertThatThrownBy(() -> hex().verify(List.of(), BODY))
        .hasMessage("unauthenticated: no X-Hub-Signature-256 header");
    assertThatThrownBy(() -> hex().verify(List.of(" "), BODY))
        .hasMessage("unauthenticated: no X-Hub-Signature-256 header");
    assertThatThrownBy(() -> hex().verify(List.of("sha256=" + HEX, "sha256=" + HEX), BODY))
        .hasMessage("unauthenticated: X-Hub-Signature-256 must be sent once but was sent 2 times");
  }

  @Test
  void refusesAnEmptySecretOrNoHeaderAndNeverPrintsTheSecret() {
    assertThatThrownBy(() -> HmacSignature.builder("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an HMAC secret must not be empty");
    assertThatThrownBy(() -> HmacSignature.builder("Jefe").build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("HmacSignature needs the header that carries the signature");
    assertThat(hex().toString()).isEqualTo("HmacSignature{X-Hub-Signature-256: sha256=hex HMAC-SHA256}")
        .doesNotContain("Jefe");
  }
}
