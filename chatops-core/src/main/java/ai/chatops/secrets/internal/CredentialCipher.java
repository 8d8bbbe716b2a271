package ai.chatops.secrets.internal;

import ai.chatops.ConfigurationException;
import ai.chatops.secrets.CredentialDecryptionException;
import ai.chatops.secrets.KeyProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts one credential value with AES-256-GCM into the text {@code v1:<key id>:<iv>:<ciphertext+tag>}
 * (base64url without padding), with a fresh 12-byte random IV per value. The additional authenticated data
 * binds the ciphertext to its plugin, credential name and key id, so a value copied into another slot, or
 * relabelled with another key id, fails to decrypt. Thread-safe.
 */
public final class CredentialCipher {
  public static final String FORMAT = "v1";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KeyProvider keys;
  private final SecureRandom random;

  public CredentialCipher(KeyProvider keys, SecureRandom random) {
    this.keys = keys;
    this.random = random;
  }

  public String currentKeyId() {
    return keys.currentKeyId();
  }

  /** Encrypts {@code value} of {@code plugin}'s credential {@code name} under the current key. */
  public String encrypt(String plugin, String name, String value) {
    String keyId = keys.currentKeyId();
    SecretKey key = keys.key(keyId).orElseThrow(() -> new ConfigurationException(
        "the key provider names " + keyId + " as its current key but does not have it"));
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(plugin, name, keyId));
      byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      return FORMAT + ":" + keyId + ":" + b64.encodeToString(iv) + ":" + b64.encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      // The cause is dropped on purpose: providers may describe the key.
      throw new ConfigurationException("AES-256-GCM encryption with key " + keyId + " failed: "
          + e.getClass().getSimpleName() + "; is the key 32 bytes long?");
    }
  }

  /** The key id of an encrypted value, or empty when the text is not in this format. */
  public static Optional<String> keyIdOf(String sealed) {
    String[] parts = sealed.split(":", -1);
    return parts.length == 4 && parts[0].equals(FORMAT) ? Optional.of(parts[1]) : Optional.empty();
  }

  /**
   * Decrypts a value written by {@link #encrypt} for the same plugin and name.
   *
   * @throws CredentialDecryptionException naming plugin, credential and key id when the key is unknown, the
   *     text malformed, or the value altered or moved
   */
  public String decrypt(String plugin, String name, String sealed) {
    String[] parts = sealed.split(":", -1);
    if (parts.length != 4 || !parts[0].equals(FORMAT)) {
      throw new CredentialDecryptionException(plugin, name, "?",
          "the stored text is not in the format " + FORMAT + ":<key id>:<iv>:<ciphertext>");
    }
    String keyId = parts[1];
    if (!StaticKeyProvider.KEY_ID.matcher(keyId).matches()) {
      throw new CredentialDecryptionException(plugin, name, "?", "the stored key id is malformed");
    }
    SecretKey key = keys.key(keyId).orElseThrow(() -> new CredentialDecryptionException(plugin, name, keyId,
        "the key provider does not have this key (retired?); give it back to the provider, or store the"
            + " configuration again"));
    byte[] iv;
    byte[] body;
    try {
      iv = Base64.getUrlDecoder().decode(parts[2]);
      body = Base64.getUrlDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new CredentialDecryptionException(plugin, name, keyId, "the stored text is not valid base64url");
    }
    if (iv.length != IV_BYTES || body.length < TAG_BITS / 8) {
      throw new CredentialDecryptionException(plugin, name, keyId, "the stored IV or ciphertext is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(plugin, name, keyId));
      return new String(cipher.doFinal(body), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new CredentialDecryptionException(plugin, name, keyId,
          "authentication failed: the value was altered, or belongs to another plugin or credential");
    } catch (GeneralSecurityException e) {
      throw new CredentialDecryptionException(plugin, name, keyId, "AES-256-GCM failed: "
          + e.getClass().getSimpleName());
    }
  }

  private static byte[] aad(String plugin, String name, String keyId) {
    return ("chatops-credential\n" + FORMAT + "\n" + plugin + "\n" + name + "\n" + keyId)
        .getBytes(StandardCharsets.UTF_8);
  }
}
