package ai.chatops.internal;

import ai.chatops.RouterObserver;
import ai.chatops.audit.AuditEntry;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.service.ChatEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's observers as one: calls each in the order added and keeps a failing observer from breaking
 * the router (logged, then ignored). Thread-safe.
 */
public final class Observers implements RouterObserver {
  private static final Logger log = LoggerFactory.getLogger(Observers.class);

  /**
   * The observers of the event this thread is processing, for {@code Requester}'s outbound
   * calls: the requester is built by plugins and services, which know no router, so the processing scope
   * binds it to the thread, the way a tracing context travels.
   */
  private static final ThreadLocal<Observers> CURRENT = new ThreadLocal<>();

  private final List<RouterObserver> observers;

  public Observers(List<RouterObserver> observers) {
    this.observers = List.copyOf(observers);
  }

  /** Whether no observer listens: the router may skip timing. */
  public boolean isEmpty() {
    return observers.isEmpty();
  }

  @Override
  public void eventReceived(String service, ChatEvent event, EventOutcome outcome) {
    for (RouterObserver o : observers) {
      try {
        o.eventReceived(service, event, outcome);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public Scope processing(ChatEvent event) {
    if (observers.isEmpty()) {
      return Scope.NONE;
    }
    List<Scope> scopes = new ArrayList<>();
    for (RouterObserver o : observers) {
      try {
        Scope scope = o.processing(event);
        if (scope != null) {
          scopes.add(scope);
        }
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
    return new Bound(scopes);
  }

  /**
   * The rest of the event this thread is processing, to be opened on the thread that carries it on (a plugin
   * call's stage completing later); {@link Continuation#NONE} when this thread processes no observed event.
   */
  public static Continuation continuation() {
    Bound bound = BOUND.get();
    return bound == null ? Continuation.NONE : bound.continuation();
  }

  private static final ThreadLocal<Bound> BOUND = new ThreadLocal<>();

  /** The observers' scopes of one event on one thread, with this router's observers bound to the thread. */
  private final class Bound implements Scope {
    private final List<Scope> scopes;
    private final Observers previous = CURRENT.get();
    private final Bound previousBound = BOUND.get();

    Bound(List<Scope> scopes) {
      this.scopes = scopes;
      CURRENT.set(Observers.this);
      BOUND.set(this);
    }

    @Override
    public Continuation continuation() {
      List<Continuation> continuations = new ArrayList<>();
      for (Scope scope : scopes) {
        try {
          continuations.add(scope.continuation());
        } catch (RuntimeException e) {
          log.warn("a router observer's scope failed to continue: {}", e.toString());
        }
      }
      return () -> {
        List<Scope> opened = new ArrayList<>();
        for (Continuation continuation : continuations) {
          try {
            opened.add(continuation.open());
          } catch (RuntimeException e) {
            log.warn("a router observer's continuation failed to open: {}", e.toString());
          }
        }
        return new Bound(opened);
      };
    }

    @Override
    public void close() {
      for (int i = scopes.size() - 1; i >= 0; i--) {
        try {
          scopes.get(i).close();
        } catch (RuntimeException e) {
          log.warn("a router observer's scope failed to close: {}", e.toString());
        }
      }
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
      if (previousBound == null) {
        BOUND.remove();
      } else {
        BOUND.set(previousBound);
      }
    }
  }

  /**
   * Reports an outbound call to the observers of the event this thread is processing; nothing when it is
   * processing none. Never throws.
   */
  public static void outbound(OutboundCall call) {
    Observers current = CURRENT.get();
    if (current != null) {
      current.outboundCompleted(call);
    }
  }

  /** Whether this thread is processing an event that observers listen to: the requester may skip timing. */
  public static boolean observing() {
    return CURRENT.get() != null;
  }

  @Override
  public void outboundCompleted(OutboundCall call) {
    for (RouterObserver o : observers) {
      try {
        o.outboundCompleted(call);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void nluCompleted(String engine, NluOutcome outcome, Duration took) {
    for (RouterObserver o : observers) {
      try {
        o.nluCompleted(engine, outcome, took);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void invocationCompleted(String plugin, AuditEntry entry) {
    for (RouterObserver o : observers) {
      try {
        o.invocationCompleted(plugin, entry);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  /** {@code engine}, timed and reported to these observers; {@code engine} itself when none listens. */
  public NluEngine observe(NluEngine engine) {
    return observe(engine, engineName(engine));
  }

  /** As {@link #observe(NluEngine)}, reporting the engine under {@code name} (for a router's own wrapper). */
  public NluEngine observe(NluEngine engine, String name) {
    if (observers.isEmpty()) {
      return engine;
    }
    return new NluEngine() {
      @Override
      public Optional<NluResult> understand(NluQuery query) {
        long started = System.nanoTime();
        Optional<NluResult> result;
        try {
          result = engine.understand(query);
        } catch (RuntimeException e) {
          nluCompleted(name, NluOutcome.FAILED, Duration.ofNanos(System.nanoTime() - started));
          throw e;
        }
        nluCompleted(name, result.isPresent() ? NluOutcome.UNDERSTOOD : NluOutcome.NOT_UNDERSTOOD,
            Duration.ofNanos(System.nanoTime() - started));
        return result;
      }

      @Override
      public List<NluResult> closest(NluQuery query, int limit) {
        return engine.closest(query, limit);
      }
    };
  }

  /** {@code LocalNlu} is {@code local}, {@code DialogFlowNlu} {@code dialogflow}; lambdas are {@code custom}. */
  /** The {@code engine} tag of an engine: its class's simple name without {@code Nlu}, in lower case. */
  public static String engineName(NluEngine engine) {
    Class<?> type = engine.getClass();
    if (type.isSynthetic() || type.isAnonymousClass() || type.getSimpleName().contains("$")) {
      return "custom";
    }
    String name = type.getSimpleName();
    if (name.endsWith("Nlu") && name.length() > 3) {
      name = name.substring(0, name.length() - 3);
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static void failed(RouterObserver observer, RuntimeException e) {
    log.warn("router observer {} failed; ignored", observer.getClass().getName(), e);
  }
}
