package ai.chatops.secrets;

import ai.chatops.ConfigurationException;
import ai.chatops.secrets.internal.StaticKeyProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The AES-256 keys that encrypt plugin credentials at rest. Every credential value a router writes to its
 * {@link ai.chatops.store.Store} is encrypted under the {@linkplain #currentKeyId() current key}, and the key
 * id is written beside it; reading it back asks {@link #key(String)} for that id. Rotating keys is therefore:
 * put a new key first (it becomes current), keep the old ones so stored values still decrypt, call
 * {@link ai.chatops.EventRouter#reencryptCredentials()}, then retire the old keys.
 *
 * <p>{@link #parse(String)} and {@link #fromFile(Path)} make a provider from keys the host application holds
 * (an environment variable, a mounted secret file). A cloud key service fits the same contract by envelope
 * encryption: a provider for AWS KMS or Google Cloud KMS would keep data keys wrapped by the KMS key, unwrap
 * them once with the KMS client when it is created, and answer {@link #key(String)} from memory, so that no
 * network call happens per credential. Such providers belong in their own modules (core has no cloud SDK).
 *
 * <p>Implementations are thread-safe and never show key material in {@code toString} or exceptions.
 */
public interface KeyProvider {
  /** The id of the key new values are encrypted with; 1 to 64 characters of {@code [A-Za-z0-9._-]}. */
  String currentKeyId();

  /**
   * The 256-bit AES key with this id, or empty when the provider does not have it (a retired key).
   * Never throws for an unknown id.
   */
  Optional<SecretKey> key(String keyId);

  /**
   * A provider of keys given as text: entries {@code id:base64} separated by commas, spaces or new lines,
   * where the base64 (standard or URL alphabet) decodes to exactly 32 bytes, for example the output of
   * {@code openssl rand -base64 32}. The first entry is the current key; the others still decrypt. Lines
   * starting with {@code #} are comments.
   *
   * @throws ConfigurationException naming the entry (by position and id, never its key) that is malformed,
   *     repeated or not 32 bytes long, or when there is no entry at all
   */
  static KeyProvider parse(String entries) {
    Objects.requireNonNull(entries, "entries");
    return StaticKeyProvider.parse("the key list", entries);
  }

  /**
   * A provider of the keys in a file, in the format of {@link #parse(String)}.
   *
   * @throws ConfigurationException when the file cannot be read or its content is invalid
   */
  static KeyProvider fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("the key file " + file + " could not be read: " + e.getClass().getSimpleName(), e);
    }
    return StaticKeyProvider.parse("the key file " + file, text);
  }
}
