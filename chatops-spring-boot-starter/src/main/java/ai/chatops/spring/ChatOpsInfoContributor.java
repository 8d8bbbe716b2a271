package ai.chatops.spring;

import ai.chatops.EventRouter;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code chatops} to {@code /actuator/info}: the SDK's version and each plugin's version and routes.
 * Reads the catalog only; calls no backend. Thread-safe.
 */
public final class ChatOpsInfoContributor implements InfoContributor {
  private final EventRouter router;

  public ChatOpsInfoContributor(EventRouter router) {
    this.router = router;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> plugins = new LinkedHashMap<>();
    for (PluginConfig plugin : router.catalog().plugins()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("version", plugin.version());
      List<String> routes = plugin.routes().stream().map(Route::path).toList();
      entry.put("routes", routes);
      plugins.put(plugin.name(), entry);
    }
    Map<String, Object> chatops = new LinkedHashMap<>();
    String version = EventRouter.class.getPackage().getImplementationVersion();
    chatops.put("version", version == null ? "development" : version);
    chatops.put("plugins", plugins);
    builder.withDetail("chatops", chatops);
  }
}
