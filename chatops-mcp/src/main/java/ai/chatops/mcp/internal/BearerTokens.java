package ai.chatops.mcp.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens and the users they act as. Tokens are kept as SHA-256 digests and compared in constant time,
 * every one of them on each lookup, so neither timing nor a heap dump gives a token away.
 */
public final class BearerTokens {
  private record Entry(byte[] digest, String user) {}

  private final List<Entry> entries = new ArrayList<>();

  public BearerTokens(Map<String, String> userByToken) {
    userByToken.forEach((token, user) -> entries.add(new Entry(digest(token), user)));
  }

  /** The user of the {@code Authorization} header's bearer token; empty when missing or unknown. */
  public Optional<String> user(Optional<String> authorization) {
    if (authorization.isEmpty()) {
      return Optional.empty();
    }
    String header = authorization.get().trim();
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    byte[] given = digest(header.substring(7).trim());
    String found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.digest(), given)) {
        found = entry.user();
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "BearerTokens{" + entries.size() + " tokens}";
  }
}
