package ai.chatops;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Holds a router that is built on first use, for serverless hosts: a function instance keeps one holder and
 * the router is made by the first request, not while the class loads, so a misconfiguration surfaces in that
 * request (and the next request tries again) instead of failing the instance's start. The factory registers
 * services and plugins explicitly; nothing scans the classpath.
 *
 * <pre>{@code
 * private final LazyRouter router = LazyRouter.of(() -> EventRouter.builder()
 *     .service(slack)
 *     .plugin(new JenkinsPlugin(), credentials)
 *     .build());
 * ...
 * router.get().handle(request);
 * }</pre>
 *
 * <p>Thread-safe: concurrent first calls build one router. A factory that throws leaves the holder empty,
 * so the next {@link #get()} calls it again.
 */
public final class LazyRouter implements Supplier<EventRouter>, AutoCloseable {
  private final Supplier<EventRouter> factory;
  private volatile EventRouter router;

  private LazyRouter(Supplier<EventRouter> factory) {
    this.factory = factory;
  }

  /**
   * A holder that builds its router with {@code factory} when first asked. The factory must not return
   * null; wrap it to report a null in your own words.
   */
  public static LazyRouter of(Supplier<EventRouter> factory) {
    return new LazyRouter(Objects.requireNonNull(factory, "factory"));
  }

  /**
   * The router, built now if this is the first call (or the first since {@link #close()}).
   *
   * @throws NullPointerException when the factory returned null
   */
  @Override
  public EventRouter get() {
    EventRouter r = router;
    if (r == null) {
      synchronized (this) {
        r = router;
        if (r == null) {
          r = Objects.requireNonNull(factory.get(), "the router factory returned null");
          router = r;
        }
      }
    }
    return r;
  }

  /** Whether the router has been built and not closed since. */
  public boolean isBuilt() {
    return router != null;
  }

  /** Closes the router if it was built; a later {@link #get()} builds a new one. */
  @Override
  public synchronized void close() {
    EventRouter r = router;
    router = null;
    if (r != null) {
      r.close();
    }
  }
}
