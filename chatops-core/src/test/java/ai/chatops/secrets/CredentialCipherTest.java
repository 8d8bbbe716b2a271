package ai.chatops.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.secrets.internal.CredentialCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AES-256-GCM credential encryption and the host-given key provider. */
class CredentialCipherTest {
  static final String K1 = "k1:" + key(1);
  static final String K2 = "k2:" + key(2);
  private static final String SECRET = "s3cr3t-t0ken-value";

  /** Base64 of 32 bytes all equal to {@code b}. */
  static String key(int b) {
    byte[] raw = new byte[32];
    java.util.Arrays.fill(raw, (byte) b);
    return Base64.getEncoder().encodeToString(raw);
  }

  private static CredentialCipher cipher(String keys) {
    return new CredentialCipher(KeyProvider.parse(keys), new SecureRandom());
  }

  @Test
  void encryptsAndDecryptsWithAFreshIvEachTime() {
    CredentialCipher cipher = cipher(K1);
    String first = cipher.encrypt("jenkins", "JENKINS_API_TOKEN", SECRET);
    String second = cipher.encrypt("jenkins", "JENKINS_API_TOKEN", SECRET);

    assertThat(first).startsWith("v1:k1:").doesNotContain(SECRET).isNotEqualTo(second);
    assertThat(first.split(":")[2]).isNotEqualTo(second.split(":")[2]);
    assertThat(Base64.getUrlDecoder().decode(first.split(":")[2])).hasSize(12);
    assertThat(cipher.decrypt("jenkins", "JENKINS_API_TOKEN", first)).isEqualTo(SECRET);
    assertThat(cipher.decrypt("jenkins", "JENKINS_API_TOKEN", second)).isEqualTo(SECRET);
  }

  @Test
  void refusesATamperedValueWithATypedError() {
    CredentialCipher cipher = cipher(K1);
    String sealed = cipher.encrypt("jenkins", "JENKINS_API_TOKEN", SECRET);
    String[] parts = sealed.split(":");
    byte[] body = Base64.getUrlDecoder().decode(parts[3]);
    body[0] ^= 1;
    String tampered = parts[0] + ":" + parts[1] + ":" + parts[2] + ":"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(body);

    assertThatThrownBy(() -> cipher.decrypt("jenkins", "JENKINS_API_TOKEN", tampered))
        .isInstanceOf(CredentialDecryptionException.class)
        .hasMessage("credential JENKINS_API_TOKEN of plugin jenkins (key id k1) cannot be decrypted:"
            + " authentication failed: the value was altered, or belongs to another plugin or credential");
    assertThatThrownBy(() -> cipher.decrypt("jenkins", "JENKINS_API_TOKEN", "v1:k1:AAAA:AAAA"))
        .isInstanceOf(CredentialDecryptionException.class)
        .hasMessageEndingWith("the stored IV or ciphertext is truncated");
    assertThatThrownBy(() -> cipher.decrypt("jenkins", "JENKINS_API_TOKEN", SECRET))
        .isInstanceOf(CredentialDecryptionException.class)
        .hasMessageNotContaining(SECRET)
        .hasMessageEndingWith("the stored text is not in the format v1:<key id>:<iv>:<ciphertext>");
  }

  @Test
  void aValueMovedToAnotherSlotOrRelabelledDoesNotDecrypt() {
    CredentialCipher cipher = cipher(K1 + "," + K2);
    String sealed = cipher.encrypt("jenkins", "JENKINS_API_TOKEN", SECRET);

    assertThatThrownBy(() -> cipher.decrypt("jenkins", "JENKINS_URL", sealed))
        .isInstanceOf(CredentialDecryptionException.class)
        .hasMessageContaining("credential JENKINS_URL of plugin jenkins (key id k1)");
    assertThatThrownBy(() -> cipher.decrypt("gitlab", "JENKINS_API_TOKEN", sealed))
        .isInstanceOf(CredentialDecryptionException.class)
        .hasMessageContaining("authentication failed");
    String relabelled = sealed.replace("v1:k1:", "v1:k2:");
    assertThatThrownBy(() -> cipher.decrypt("jenkins", "JENKINS_API_TOKEN", relabelled))
        .isInstanceOf(CredentialDecryptionException.class)
        .hasMessageContaining("(key id k2)");
  }

  @Test
  void aRetiredKeyFailsNamingPluginCredentialAndKeyId() {
    String sealed = cipher(K1).encrypt("jenkins", "JENKINS_API_TOKEN", SECRET);

    assertThatThrownBy(() -> cipher(K2).decrypt("jenkins", "JENKINS_API_TOKEN", sealed))
        .isInstanceOfSatisfying(CredentialDecryptionException.class, e -> {
          assertThat(e.plugin()).isEqualTo("jenkins");
          assertThat(e.credential()).isEqualTo("JENKINS_API_TOKEN");
          assertThat(e.keyId()).isEqualTo("k1");
        })
        .hasMessage("credential JENKINS_API_TOKEN of plugin jenkins (key id k1) cannot be decrypted: the key"
            + " provider does not have this key (retired?); give it back to the provider, or store the"
            + " configuration again");
  }

  @Test
  void afterRotationOldValuesStillDecryptAndNewOnesUseTheNewKey() {
    String old = cipher(K1).encrypt("jenkins", "JENKINS_API_TOKEN", SECRET);
    CredentialCipher rotated = cipher(K2 + "\n" + K1);

    assertThat(rotated.decrypt("jenkins", "JENKINS_API_TOKEN", old)).isEqualTo(SECRET);
    assertThat(rotated.encrypt("jenkins", "JENKINS_API_TOKEN", SECRET)).startsWith("v1:k2:");
    assertThat(CredentialCipher.keyIdOf(old)).contains("k1");
  }

  @Test
  void refusesKeysOfTheWrongLengthOrShapeWithoutShowingThem() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> KeyProvider.parse("k1:" + shortKey))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the key list: key k1 (entry 1) is 16 bytes long; AES-256 needs exactly 32 random bytes,"
            + " e.g. from 'openssl rand -base64 32'");
    assertThatThrownBy(() -> KeyProvider.parse(K1 + " k2:not*base64"))
        .hasMessage("the key list: key k2 (entry 2) is not valid base64");
    assertThatThrownBy(() -> KeyProvider.parse(key(3)))
        .hasMessage("the key list: entry 1 is not of the form id:base64 with an id of 1 to 64 characters"
            + " [A-Za-z0-9._-]");
    assertThatThrownBy(() -> KeyProvider.parse(K1 + "," + K1))
        .hasMessage("the key list: key id k1 is given twice; every key needs its own id");
    assertThatThrownBy(() -> KeyProvider.parse(" # nothing\n"))
        .hasMessage("the key list holds no key; give at least one entry id:base64(32 bytes)");
  }

  @Test
  void readsKeysFromAFileWithComments(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("keys"), "# current first\n" + K2 + "\n" + K1 + "\n");
    KeyProvider keys = KeyProvider.fromFile(file);

    assertThat(keys.currentKeyId()).isEqualTo("k2");
    assertThat(keys.key("k1")).isPresent();
    assertThat(keys.key("k3")).isEmpty();
    assertThat(keys.toString()).isEqualTo("KeyProvider{current=k2, ids=[k2, k1]}").doesNotContain(key(1));
    assertThatThrownBy(() -> KeyProvider.fromFile(dir.resolve("missing")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the key file " + dir.resolve("missing") + " could not be read: NoSuchFileException");
  }
}
