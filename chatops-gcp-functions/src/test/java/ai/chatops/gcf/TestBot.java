package ai.chatops.gcf;

import ai.chatops.EventRouter;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.test.RecordingService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The function the invoker runs in the tests: a router with the recording chat service and a greeting
 * plugin, with a small body limit. The invoker makes the instance, so what the tests read is static.
 */
public final class TestBot extends RouterFunction {
  /** The bot's chat platform; the tests read the replies from it. */
  static final RecordingService CHAT = RecordingService.create();
  /** The body limit of the router. */
  static final int MAX_BODY_BYTES = 1024;
  /** Every router built, so the tests can close them. */
  static final List<EventRouter> BUILT = new CopyOnWriteArrayList<>();

  /** Greets the user who said {@code greet hello}. */
  static final class GreetPlugin implements Plugin {
    @Override
    public String name() {
      return "greet";
    }

    @Override
    public PluginConfig config() {
      return PluginConfig.parse("greet", "Version: v1\nRoutes:\n  - /v1/greet/hello\n");
    }

    @Override
    public Action trigger(Invocation invocation) {
      return Action.reply("hello " + invocation.user() + ", from a Cloud Function");
    }
  }

  @Override
  protected EventRouter createRouter() {
    EventRouter router = EventRouter.builder().service(CHAT).plugin(new GreetPlugin())
        .maxBodyBytes(MAX_BODY_BYTES).build();
    BUILT.add(router);
    return router;
  }

  @Override
  protected String basePath() {
    return "/chatops-bot";
  }
}
