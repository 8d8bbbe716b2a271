package ai.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.chatops.ConfigurationException;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private static final String PASSWORD = "hunter2-password";
  private static final String TOKEN = "xoxb-secret-token";

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void keepsCredentialsOutOfExceptionsAndToString() {
    server.enqueue(new MockResponse.Builder().code(401).body("bad credentials").build());
    Requester requester =
        Requester.builder()
            .baseUrl(server.url("/").toString())
            .basicAuth(BasicAuth.of("alice", PASSWORD))
            .maxRetries(0)
            .build();
    ApiRequest request =
        ApiRequest.get("x")
            .queryParam("token", TOKEN)
            .queryParam("page", "2")
            .header("X-Api-Key", TOKEN)
            .build();

    ApiException e = catchThrowableOfType(ApiException.class, () -> requester.execute(request));

    assertThat(e.url()).isEqualTo(server.url("/x") + "?token=***&page=2");
    assertThat(e).hasMessage("GET " + server.url("/x") + "?token=***&page=2 failed: 401 Unauthorized: bad credentials");
    for (String text : new String[] {e.toString(), requester.toString(), request.toString(), BasicAuth.of("alice", PASSWORD).toString()}) {
      assertThat(text).doesNotContain(PASSWORD, TOKEN, "YWxpY2U6");
    }
    assertThat(requester).hasToString("Requester{" + server.url("/") + ", auth=basic(alice), sslVerify=true}");
    assertThat(BasicAuth.of("alice", PASSWORD)).hasToString("BasicAuth{user=alice, password=***}");
  }

  @Test
  void keepsTheBearerTokenOutOfToString() {
    Requester requester = Requester.builder().baseUrl("https://slack.com/api").bearerToken(TOKEN).build();

    assertThat(requester).hasToString("Requester{https://slack.com/api/, auth=bearer, sslVerify=true}");
  }

  @Test
  void refusesABaseUrlWithUserInfoWithoutEchoingThePassword() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> Requester.builder().baseUrl("https://alice:" + PASSWORD + "@ci.example.com/"));

    assertThat(e)
        .hasMessage(
            "baseUrl must not contain user info (user:password@); use basicAuth(...) instead: 'https://ci.example.com/'");
  }

  @Test
  void refusesAMalformedBearerTokenWithoutEchoingIt() {
    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class, () -> Requester.builder().bearerToken(TOKEN + "\r\nX: y"));

    assertThat(e)
        .hasMessage("bearerToken must be non-blank printable ASCII without spaces (23 characters given)");
  }
}
