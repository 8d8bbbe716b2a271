package ai.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequesterRequestShapeTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Requester.Builder requester(String basePath) {
    return Requester.builder().baseUrl(server.url(basePath).toString()).maxRetries(0);
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("recorded request").isNotNull();
    return request;
  }

  private void ok() {
    server.enqueue(new MockResponse.Builder().body("{}").build());
  }

  @Test
  void joinsARelativePathUnderTheBasePath() throws Exception {
    ok();
    requester("/jenkins/").build().execute(ApiRequest.get("job/x/api/json").build());

    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getTarget()).isEqualTo("/jenkins/job/x/api/json");
  }

  @Test
  void keepsTheBasePathWhenThePathHasALeadingSlash() throws Exception {
    ok();
    requester("/jenkins/").build().execute(ApiRequest.get("/job/x").build());

    assertThat(take().getTarget()).isEqualTo("/jenkins/job/x");
  }

  @Test
  void treatsABaseUrlWithoutTrailingSlashAsADirectory() throws Exception {
    ok();
    Requester requester = requester("/jenkins").build();
    requester.execute(ApiRequest.get("job/x").build());

    assertThat(requester.baseUrl()).isEqualTo(server.url("/jenkins/").toString());
    assertThat(take().getTarget()).isEqualTo("/jenkins/job/x");
  }

  @Test
  void sendsAnEmptyPathToTheBaseUrlItself() throws Exception {
    ok();
    requester("/jenkins/").build().execute(ApiRequest.get("").build());

    assertThat(take().getTarget()).isEqualTo("/jenkins/");
  }

  @Test
  void encodesEveryReservedCharacterOfAPathSegment() throws Exception {
    ok();
    requester("/jenkins/")
        .build()
        .execute(ApiRequest.get("job").pathSegment("team a/b?c#d%").pathSegment("api").build());

    assertThat(take().getTarget()).isEqualTo("/jenkins/job/team%20a%2Fb%3Fc%23d%25/api");
  }

  @Test
  void encodesQueryParameters() throws Exception {
    ok();
    requester("/")
        .build()
        .execute(
            ApiRequest.get("api/json")
                .queryParam("tree", "jobs[name,color]")
                .queryParam("q", "a b&c=d")
                .queryParam("q", "é")
                .build());

    RecordedRequest request = take();
    assertThat(request.getTarget()).isEqualTo("/api/json?tree=jobs%5Bname%2Ccolor%5D&q=a%20b%26c%3Dd&q=%C3%A9");
    assertThat(request.getUrl().queryParameterValues("q")).containsExactly("a b&c=d", "é");
  }

  @Test
  void sendsTheBasicAuthorizationHeader() throws Exception {
    ok();
    requester("/").basicAuth(BasicAuth.of("alice", "s3cret")).build().execute(ApiRequest.get("x").build());

    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Basic YWxpY2U6czNjcmV0");
  }

  @Test
  void sendsTheBearerToken() throws Exception {
    ok();
    requester("/").bearerToken("xoxb-123").build().execute(ApiRequest.get("x").build());

    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-123");
  }

  @Test
  void letsARequestHeaderReplaceTheRequestersAuthorization() throws Exception {
    ok();
    requester("/")
        .bearerToken("xoxb-123")
        .build()
        .execute(ApiRequest.get("x").header("Authorization", "Bearer other").build());

    assertThat(take().getHeaders().values("Authorization")).containsExactly("Bearer other");
  }

  @Test
  void sendsRequestHeadersAndTheUserAgent() throws Exception {
    ok();
    ok();
    Requester requester = requester("/").build();
    requester.execute(ApiRequest.get("x").header("Accept", "application/json").build());
    requester.newBuilder().userAgent("my-bot/1.0").build().execute(ApiRequest.get("x").build());

    RecordedRequest first = take();
    assertThat(first.getHeaders().get("Accept")).isEqualTo("application/json");
    assertThat(first.getHeaders().get("User-Agent")).isEqualTo("chatops-java");
    assertThat(first.getHeaders().get("Authorization")).isNull();
    assertThat(take().getHeaders().get("User-Agent")).isEqualTo("my-bot/1.0");
  }

  @Test
  void serialisesAJsonBodyWithTheRequestersMapper() throws Exception {
    ok();
    requester("/").build().execute(ApiRequest.post("api/chat.postMessage").jsonBody(Map.of("channel", "C1")).build());

    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(request.getBody().utf8()).isEqualTo("{\"channel\":\"C1\"}");
  }

  @Test
  void sendsFormFieldsUrlEncoded() throws Exception {
    ok();
    requester("/")
        .build()
        .execute(ApiRequest.post("login").formField("user", "a b").formField("next", "/x?y=1&z").build());

    RecordedRequest request = take();
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.getBody().utf8()).isEqualTo("user=a+b&next=%2Fx%3Fy%3D1%26z");
  }

  @Test
  void sendsBytesWithTheirContentType() throws Exception {
    ok();
    requester("/")
        .build()
        .execute(ApiRequest.put("file").body("héllo", "text/plain; charset=utf-8").build());

    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo("PUT");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(request.getBody().toByteArray()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sendsAnEmptyBodyForAPostWithoutOne() throws Exception {
    ok();
    requester("/").build().execute(ApiRequest.post("job/x/build").build());

    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getHeaders().get("Content-Length")).isEqualTo("0");
  }

  @Test
  void sendsDeleteWithoutABody() throws Exception {
    ok();
    requester("/").build().execute(ApiRequest.delete("item/1").build());

    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getBodySize()).isZero();
  }
}
