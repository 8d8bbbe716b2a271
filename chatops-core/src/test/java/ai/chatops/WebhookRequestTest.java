package ai.chatops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class WebhookRequestTest {
  @Test
  void looksUpHeadersCaseInsensitively() {
    WebhookRequest request = WebhookRequest.builder("post", "/x").header("X-Slack-Signature", "v0=1")
        .header("x-slack-signature", "v0=2").build();

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("X-SLACK-SIGNATURE")).contains("v0=1");
    assertThat(request.headers().get("x-slack-signature")).containsExactly("v0=1", "v0=2");
    assertThat(request.header("missing")).isEmpty();
  }

  @Test
  void copiesTheBodyInAndOut() {
    byte[] body = {1, 2, 3};
    WebhookRequest request = WebhookRequest.builder("POST", "/x").body(body).build();
    body[0] = 9;
    request.body()[1] = 9;

    assertThat(request.body()).containsExactly(1, 2, 3);
  }

  @Test
  void stopsReadingAnOversizedStreamAtTheLimit() {
    InputStream endless = new InputStream() {
      long served;

      @Override
      public int read() {
        served++;
        if (served > 2_000_000) {
          throw new AssertionError("read past the limit");
        }
        return 'a';
      }
    };

    assertThatThrownBy(() -> WebhookRequest.builder("POST", "/x").body(endless, 1024))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("request body exceeds the limit of 1024 bytes")
        .extracting(e -> ((BadRequestException) e).status()).isEqualTo(413);
  }

  @Test
  void readsAStreamWithinTheLimit() {
    WebhookRequest request = WebhookRequest.builder("POST", "/x")
        .body(new ByteArrayInputStream("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 5).build();

    assertThat(request.bodyAsString()).isEqualTo("hello");
  }

  @Test
  void keepsHeadersAndBodyOutOfToString() {
    WebhookRequest request = WebhookRequest.builder("POST", "/x").header("Authorization", "Bearer s3cret")
        .body("token=s3cret").build();

    assertThat(request.toString()).isEqualTo("WebhookRequest{POST /x, 12 bytes}");
  }

  @Test
  void refusesStatusesOutsideTheClientErrorRange() {
    assertThatThrownBy(() -> new BadRequestException(500, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status must be 400..499 but was 500");
  }
}
