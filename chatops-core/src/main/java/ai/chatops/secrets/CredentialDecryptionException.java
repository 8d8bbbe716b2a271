package ai.chatops.secrets;

import ai.chatops.ConfigurationException;

/**
 * A stored credential that cannot be decrypted: its key was retired from the {@link KeyProvider}, or the
 * stored text was altered or moved to another plugin or credential name. The message names the plugin, the
 * credential and the key id, never the value; the fix is to give the provider the key back (or store the
 * configuration again).
 */
public final class CredentialDecryptionException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  private final String plugin;
  private final String credential;
  private final String keyId;

  /** Creates the exception; {@code reason} must not contain key material or the value. */
  public CredentialDecryptionException(String plugin, String credential, String keyId, String reason) {
    super("credential " + credential + " of plugin " + plugin + " (key id " + keyId + ") cannot be decrypted: "
        + reason);
    this.plugin = plugin;
    this.credential = credential;
    this.keyId = keyId;
  }

  /** The plugin whose credential it is. */
  public String plugin() {
    return plugin;
  }

  /** The credential's name, such as {@code JENKINS_API_TOKEN}. */
  public String credential() {
    return credential;
  }

  /** The id of the key the value was encrypted with, as stored. */
  public String keyId() {
    return keyId;
  }
}
