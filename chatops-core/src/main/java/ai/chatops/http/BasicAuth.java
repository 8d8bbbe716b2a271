package ai.chatops.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import okhttp3.Credentials;

/**
 * A user name and a password or API token for HTTP Basic authentication (RFC 7617), for example a Jenkins user
 * and API token. Immutable and thread-safe.
 *
 * <p>{@link #toString()} masks the password; keep it that way in your own logging by never printing
 * {@link #password()}.
 */
public final class BasicAuth {
  private final String user;
  private final String password;

  private BasicAuth(String user, String password) {
    this.user = user;
    this.password = password;
  }

  /**
   * Creates the credentials.
   *
   * @param user the user name: not empty, without {@code ':'} (Basic authentication cannot carry one)
   * @param password the password or API token; may be empty for APIs that put the token in {@code user}
   * @throws IllegalArgumentException when {@code user} is empty or contains {@code ':'}
   */
  public static BasicAuth of(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty()) {
      throw new IllegalArgumentException("BasicAuth user must not be empty");
    }
    if (user.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "BasicAuth user must not contain ':' (Basic authentication cannot carry it) but was '" + user + "'");
    }
    return new BasicAuth(user, password);
  }

  /** The user name. */
  public String user() {
    return user;
  }

  /** The password or token. Never log it. */
  public String password() {
    return password;
  }

  /** The {@code Authorization} header value, UTF-8 encoded as RFC 7617 recommends. */
  String headerValue() {
    return Credentials.basic(user, password, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BasicAuth
        && user.equals(((BasicAuth) other).user)
        && password.equals(((BasicAuth) other).password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(user, password);
  }

  /** Shows the user and masks the password. */
  @Override
  public String toString() {
    return "BasicAuth{user=" + user + ", password=***}";
  }
}
