package ai.chatops.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.fixtures.RecordingPlugin;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.PluginConfig;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Swapping a plugin's configuration: reconnects, and never goes back to an older stored version. */
class PluginSlotTest {
  private final RecordingPlugin plugin = new RecordingPlugin();
  private final PluginConfig config = plugin.config();
  private final PluginSlot slot = new PluginSlot(plugin, config, config.credentials(), Clock.systemUTC(), Map::of);

  private static Credentials token(String value) {
    return Credentials.of(Map.of("SERVICE_TOKEN", value));
  }

  @Test
  void reconfiguringClosesAndReconnectsWithTheNewCredentials() {
    slot.ensureConnected();

    assertThat(slot.reconfigure(config, token("second"), 7)).isEmpty();

    assertThat(plugin.closes).isEqualTo(1);
    assertThat(plugin.connects).isEqualTo(2);
    assertThat(plugin.context.credentials().get("SERVICE_TOKEN")).contains("second");
    assertThat(slot.storedVersion()).isEqualTo(7);
  }

  @Test
  void anOlderStoredVersionArrivingLateIsNotApplied() {
    slot.reconfigure(config, token("newer"), 9);

    assertThat(slot.reconfigure(config, token("older"), 8)).isEmpty();

    assertThat(slot.credentials().get("SERVICE_TOKEN")).contains("newer");
    assertThat(slot.storedVersion()).isEqualTo(9);
    assertThat(plugin.connects).isEqualTo(1);
  }

  @Test
  void aClosedSlotIsNotReconnected() {
    slot.close();

    assertThat(slot.reconfigure(config, token("x"), 1)).get().extracting(Throwable::getMessage)
        .isEqualTo("plugin jenkins is closed");
    assertThat(plugin.connects).isZero();
  }
}
