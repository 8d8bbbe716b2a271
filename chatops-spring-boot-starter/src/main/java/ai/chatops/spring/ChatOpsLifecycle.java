package ai.chatops.spring;

import ai.chatops.EventRouter;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the router with the application: after the web server has stopped taking requests (its graceful
 * shutdown), so every event acknowledged before then is processed (the router drains for its drain timeout)
 * and the plugins are closed last. Thread-safe.
 */
public final class ChatOpsLifecycle implements SmartLifecycle {
  /**
   * Below the web server's phases (Spring stops higher phases first): requests stop, then the router drains.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final EventRouter router;
  private volatile boolean running;

  public ChatOpsLifecycle(EventRouter router) {
    this.router = router;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    router.close();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
