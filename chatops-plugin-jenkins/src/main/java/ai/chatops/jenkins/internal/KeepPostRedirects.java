package ai.chatops.jenkins.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps the redirect Jenkins answers to a POST instead of following it. {@code build} and
 * {@code buildWithParameters} may answer 303 (or 302 on old versions) with the queue item in
 * {@code Location}, and {@code stop} redirects to the build page; following would lose the Location and
 * fetch a page nobody reads. The redirect is passed on as a 2xx whose {@code X-Jenkins-Redirect} header
 * holds the original status, so the {@code Requester} accepts it; GET redirects are followed as usual.
 */
final class KeepPostRedirects implements Interceptor {
  static final String HEADER = "X-Jenkins-Redirect";

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    int code = response.code();
    if (!chain.request().method().equals("POST") || code < 300 || code > 399 || response.header("Location") == null) {
      return response;
    }
    return response.newBuilder()
        .code(202)
        .message("Accepted (redirect kept)")
        .header(HEADER, Integer.toString(code))
        .build();
  }
}
