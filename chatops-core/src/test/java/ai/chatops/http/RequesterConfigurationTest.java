package ai.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.chatops.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequesterConfigurationTest {
  @Test
  void requiresABaseUrl() {
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> Requester.builder().build());

    assertThat(e).hasMessage("baseUrl is required, for example https://ci.example.com/");
  }

  @Test
  void refusesABaseUrlThatIsNotHttp() {
    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> Requester.builder().baseUrl("ftp://files.example.com/"));

    assertThat(e)
        .hasMessage(
            "baseUrl must be an absolute http:// or https:// URL such as https://ci.example.com/ but was "
                + "'ftp://files.example.com/'");
  }

  @Test
  void refusesARelativeBaseUrl() {
    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> Requester.builder().baseUrl("ci.example.com/jenkins"));

    assertThat(e).hasMessageEndingWith(" but was 'ci.example.com/jenkins'");
  }

  @Test
  void refusesABaseUrlWithAQuery() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class, () -> Requester.builder().baseUrl("https://ci.example.com/?token=abc"));

    assertThat(e)
        .hasMessage(
            "baseUrl must not contain a query or fragment (add query parameters to each ApiRequest) but was "
                + "'https://ci.example.com/?token=***'");
  }

  @Test
  void refusesBasicAuthTogetherWithABearerToken() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                Requester.builder()
                    .baseUrl("https://ci.example.com")
                    .basicAuth(BasicAuth.of("alice", "pw"))
                    .bearerToken("t0ken")
                    .build());

    assertThat(e).hasMessage("basicAuth and bearerToken cannot both be set for https://ci.example.com/; choose one");
  }

  @Test
  void refusesNegativeRetriesAndBackoffs() {
    Requester.Builder builder = Requester.builder();

    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> builder.maxRetries(-1)))
        .hasMessage("maxRetries must be 0 or more but was -1");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> builder.initialBackoff(Duration.ofMillis(-1))))
        .hasMessage("initialBackoff must not be negative but was PT-0.001S");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> builder.readTimeout(Duration.ZERO)))
        .hasMessage("readTimeout must be positive but was PT0S");
  }

  @Test
  void refusesABasicAuthUserWithAColon() {
    IllegalArgumentException e =
        catchThrowableOfType(IllegalArgumentException.class, () -> BasicAuth.of("a:b", "pw"));

    assertThat(e).hasMessage("BasicAuth user must not contain ':' (Basic authentication cannot carry it) but was 'a:b'");
  }
}
