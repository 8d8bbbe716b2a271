package ai.chatops.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The bot's own small plugin: {@code bot ping}, {@code bot echo TEXT=...} and {@code bot status} (uptime and
 * the health of every plugin). It lets a freshly wired bot show the whole path of an event with no outside
 * system configured. Register it like any plugin; it is never discovered automatically. Thread-safe.
 */
public final class BotPlugin implements Plugin {
  private final PluginRoutes routes = PluginRoutes.builder("bot")
      .route("ping", r -> r
          .description("Answers pong, to check the bot is alive")
          .handle(call -> Action.reply("pong")))
      .route("echo", r -> r
          .description("Repeats TEXT back")
          .required("TEXT", AttributeType.STRING, "What should I repeat?")
          .handle(call -> Action.reply(call.require("TEXT"))))
      .route("status", r -> r
          .description("Uptime and the health of every plugin")
          .handle(call -> status()))
      .build();
  private volatile PluginContext context;
  private volatile Instant started;

  private BotPlugin() {}

  public static BotPlugin create() {
    return new BotPlugin();
  }

  @Override
  public String name() {
    return "bot";
  }

  @Override
  public void connect(PluginContext context) {
    this.context = context;
    this.started = context.clock().instant();
  }

  @Override
  public Optional<PluginRoutes> routes() {
    return Optional.of(routes);
  }

  private Action status() {
    Duration up = Duration.between(started, context.clock().instant());
    Action.Builder action = Action.builder("Up " + format(up) + ".");
    for (Map.Entry<String, Status> e : context.healthChecks().entrySet()) {
      Status s = e.getValue();
      action.field(e.getKey(), s.state() + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")"));
    }
    return action.build();
  }

  private static String format(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return (s / 3600) + "h " + (s % 3600 / 60) + "m";
  }
}
