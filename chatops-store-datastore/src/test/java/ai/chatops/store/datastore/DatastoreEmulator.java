package ai.chatops.store.datastore;

import ai.chatops.test.emulators.GcloudEmulator;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import java.time.Duration;
import java.util.List;

/**
 * Google's Cloud Datastore emulator (Debian package {@code google-cloud-cli-datastore-emulator}), started by
 * the tests through the shared {@link GcloudEmulator} launcher: in memory, with strong consistency, stopped
 * after them; skipped with a warning where it is not installed, a failure under CI. Public, in this module's
 * test jar, so that chatops-spring-boot-starter's tests can run {@code chatops.store=datastore} against it.
 */
public final class DatastoreEmulator implements AutoCloseable {
  static final String PACKAGE = "google-cloud-cli-datastore-emulator";
  /** The project id the emulator serves. */
  public static final String PROJECT = "chatops-test";
  private static final GcloudEmulator.Spec SPEC = new GcloudEmulator.Spec("Datastore", PACKAGE,
      "platform/cloud-datastore-emulator/cloud_datastore_emulator", (launcher, port, directory) -> {
        String data = directory.resolve("data").toString();
        // The data directory must exist as a project first ("create"); "start" with a fresh one does it too on
        // recent releases, but not on all: create it explicitly.
        return List.of(List.of(launcher, "create", data), List.of(launcher, "start", "--host=127.0.0.1",
            "--port=" + port, "--store_on_disk=false", "--consistency=1.0", data));
      });

  private final GcloudEmulator emulator;

  private DatastoreEmulator(GcloudEmulator emulator) {
    this.emulator = emulator;
  }

  /** Starts the emulator and waits until its health check answers. */
  public static DatastoreEmulator start() {
    return new DatastoreEmulator(GcloudEmulator.start(SPEC));
  }

  /** The emulator's {@code host:port}, as {@code DATASTORE_EMULATOR_HOST} gives it. */
  public String host() {
    return emulator.host();
  }

  /**
   * A client as the example host builds one from {@code DATASTORE_EMULATOR_HOST}: no credentials, the
   * client's default (HTTP) transport. Its retries wait milliseconds instead of the default's seconds: the
   * emulator aborts racing transactions as production does, and the contract's races retry hundreds of times.
   */
  Datastore client() {
    return DatastoreOptions.newBuilder().setProjectId(PROJECT).setHost("http://" + host())
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getDefaultRetrySettings().toBuilder()
            .setInitialRetryDelayDuration(Duration.ofMillis(5))
            .setMaxRetryDelayDuration(Duration.ofMillis(100))
            .build())
        .build().getService();
  }

  String log() {
    return emulator.log();
  }

  @Override
  public void close() {
    emulator.close();
  }
}
