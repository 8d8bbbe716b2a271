package ai.chatops.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class ApiUrlsTest {
  @Test
  void printsAPlainUrlAsOkHttpDoes() {
    for (String url : List.of(
        "https://slack.com/api/", "https://slack.com/api", "https://slack.com", "http://127.0.0.1:9/api/",
        "http://localhost:8080", "https://Slack.COM/api/", "https://slack.com:443/api", "http://slack.com:80/x",
        "http://slack.com:8443/a/b_c-d~e.f/", "http://10.0.0.255/", "https://a-b.c/", "http://0.0.0.0:1/")) {
      HttpUrl parsed = HttpUrl.get(url);
      String path = parsed.encodedPath();
      String expected =
          (path.endsWith("/") ? parsed : parsed.newBuilder().encodedPath(path + "/").build()).toString();
      assertThat(ApiUrls.canonical(url)).as(url).isEqualTo(expected);
    }
  }

  @Test
  void leavesAnythingElseToOkHttp() {
    for (String url : List.of(
        "ftp://slack.com/", "HTTP://slack.com/api", "https://user:pw@slack.com/", "https://slack.com/api?x=1",
        "https://slack.com/#f", "https://slack.com/a%20b/", "https://bücher.example/",
        "https://xn--bcher-kva.example/", "http://[::1]/", "http://127.1/", "http://010.0.0.1/",
        "http://1.2.3.4.5/", "https://slack.com/a/../b", "https://slack.com:0/", "https://slack.com:65536/",
        "https://slack.com:/", "https://-a.com/", "https://a..com/", "https:///x", "https://slack.com./",
        "https://999.1.1.1/")) {
      assertThat(ApiUrls.canonical(url)).as(url).isNull();
    }
  }
}
