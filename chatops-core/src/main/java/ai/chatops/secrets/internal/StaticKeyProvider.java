package ai.chatops.secrets.internal;

import ai.chatops.ConfigurationException;
import ai.chatops.secrets.KeyProvider;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Keys given by the host as {@code id:base64} entries; the first is current. Immutable, thread-safe. */
public final class StaticKeyProvider implements KeyProvider {
  public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int KEY_BYTES = 32;

  private final String current;
  private final Map<String, SecretKey> keys;

  private StaticKeyProvider(String current, Map<String, SecretKey> keys) {
    this.current = current;
    this.keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /** Parses entries; {@code source} starts every error message. */
  public static StaticKeyProvider parse(String source, String text) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    String current = null;
    int position = 0;
    for (String line : text.split("\\R")) {
      String content = line.strip();
      if (content.startsWith("#")) {
        continue;
      }
      for (String entry : content.split("[,\\s]+")) {
        if (entry.isEmpty()) {
          continue;
        }
        position++;
        int colon = entry.indexOf(':');
        String id = colon < 0 ? "" : entry.substring(0, colon);
        if (colon < 0 || !KEY_ID.matcher(id).matches()) {
          throw new ConfigurationException(source + ": entry " + position
              + " is not of the form id:base64 with an id of 1 to 64 characters [A-Za-z0-9._-]");
        }
        byte[] raw;
        try {
          String encoded = entry.substring(colon + 1);
          raw = encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(encoded)
              : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(source + ": key " + id + " (entry " + position + ") is not valid base64");
        }
        if (raw.length != KEY_BYTES) {
          throw new ConfigurationException(source + ": key " + id + " (entry " + position + ") is " + raw.length
              + " bytes long; AES-256 needs exactly 32 random bytes, e.g. from 'openssl rand -base64 32'");
        }
        if (keys.containsKey(id)) {
          throw new ConfigurationException(source + ": key id " + id + " is given twice; every key needs its own id");
        }
        keys.put(id, new SecretKeySpec(raw, "AES"));
        if (current == null) {
          current = id;
        }
      }
    }
    if (current == null) {
      throw new ConfigurationException(source + " holds no key; give at least one entry id:base64(32 bytes)");
    }
    return new StaticKeyProvider(current, keys);
  }

  @Override
  public String currentKeyId() {
    return current;
  }

  @Override
  public Optional<SecretKey> key(String keyId) {
    return keyId == null ? Optional.empty() : Optional.ofNullable(keys.get(keyId));
  }

  /** Names the key ids only. */
  @Override
  public String toString() {
    return "KeyProvider{current=" + current + ", ids=" + keys.keySet() + "}";
  }
}
