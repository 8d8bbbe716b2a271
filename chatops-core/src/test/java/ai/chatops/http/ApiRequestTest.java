package ai.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRequestTest {
  @Test
  void stripsLeadingSlashesAndUpperCasesTheMethod() {
    ApiRequest request = ApiRequest.builder("get", "//job/x/").build();

    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo("job/x/");
  }

  @Test
  void refusesDotSegmentsThatWouldLeaveTheBasePath() {
    IllegalArgumentException e =
        catchThrowableOfType(IllegalArgumentException.class, () -> ApiRequest.get("job/../../script"));

    assertThat(e)
        .hasMessage("path must not contain '.' or '..' segments (they would leave the base path) but was 'job/../../script'");
  }

  @Test
  void refusesEncodedDotSegments() {
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> ApiRequest.get("job/%2E%2e/x")))
        .hasMessageContaining("'.' or '..' segments");
  }

  @Test
  void refusesAPathSegmentThatIsADotSegment() {
    IllegalArgumentException e =
        catchThrowableOfType(IllegalArgumentException.class, () -> ApiRequest.get("job").pathSegment(".."));

    assertThat(e).hasMessage("path segment must not be empty, '.' or '..' but was '..'");
  }

  @Test
  void refusesAQueryInThePath() {
    IllegalArgumentException e =
        catchThrowableOfType(IllegalArgumentException.class, () -> ApiRequest.get("api/json?tree=jobs"));

    assertThat(e).hasMessage("path must not contain '?' or '#' (use queryParam for the query) but was 'api/json?tree=jobs'");
  }

  @Test
  void refusesAnAbsoluteUrl() {
    IllegalArgumentException e =
        catchThrowableOfType(IllegalArgumentException.class, () -> ApiRequest.get("https://other.example.com/x"));

    assertThat(e)
        .hasMessage("path must be relative to the requester's base URL but was the absolute URL 'https://other.example.com/x'");
  }

  @Test
  void refusesABodyOnAGet() {
    IllegalStateException e =
        catchThrowableOfType(
            IllegalStateException.class, () -> ApiRequest.get("x").jsonBody(Map.of("a", 1)).build());

    assertThat(e).hasMessage("GET requests cannot have a body (GET x)");
  }

  @Test
  void refusesFormFieldsWithAJsonBody() {
    IllegalStateException e =
        catchThrowableOfType(
            IllegalStateException.class,
            () -> ApiRequest.post("x").formField("a", "1").jsonBody(Map.of("a", 1)).build());

    assertThat(e).hasMessage("a request has one body: form fields cannot be combined with jsonBody (POST x)");
  }

  @Test
  void refusesAnInvalidContentType() {
    IllegalArgumentException e =
        catchThrowableOfType(IllegalArgumentException.class, () -> ApiRequest.post("x").body(new byte[0], "json"));

    assertThat(e).hasMessage("contentType must be a media type such as text/plain; charset=utf-8 but was 'json'");
  }

  @Test
  void copiesItsValuesIntoANewBuilder() {
    ApiRequest request = ApiRequest.post("x").queryParam("a", "1").jsonBody(Map.of("b", 2)).build();

    ApiRequest copy = request.newBuilder().queryParam("c", "3").build();

    assertThat(copy.queryParameters()).containsExactly(Map.entry("a", "1"), Map.entry("c", "3"));
    assertThat(copy.hasBody()).isTrue();
    assertThat(request.queryParameters()).containsExactly(Map.entry("a", "1"));
    assertThat(copy).hasToString("ApiRequest{POST x}");
  }
}
