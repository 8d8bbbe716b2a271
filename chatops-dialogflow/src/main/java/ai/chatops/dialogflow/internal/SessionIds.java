package ai.chatops.dialogflow.internal;

import ai.chatops.service.ChatEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Turns a conversation (service, workspace, channel, thread, user) into a DialogFlow session id: the first
 * 27 bytes of a SHA-256 over the five values, base64url without padding, which is exactly 36 characters of
 * {@code [A-Za-z0-9_-]}, DialogFlow's limit. Hashing keeps user and channel ids out of Google's logs.
 */
public final class SessionIds {
  /** DialogFlow's longest session id. */
  public static final int MAX_LENGTH = 36;

  private SessionIds() {}

  /** The session id of the conversation {@code event} belongs to. */
  public static String of(ChatEvent event) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    for (String part :
        new String[] {
          event.service(), event.workspace(), event.channel(), event.thread().orElse(""), event.user()
        }) {
      // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(bytes);
    }
    byte[] digest = Arrays.copyOf(sha.digest(), 27);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }
}
