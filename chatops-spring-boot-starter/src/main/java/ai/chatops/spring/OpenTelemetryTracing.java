package ai.chatops.spring;

import ai.chatops.RouterObserver;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.service.ChatEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's traces, with the OpenTelemetry API only (the application brings the SDK or the agent): one
 * span per event from its acknowledgement until its reply was delivered ({@code chatops.event}), with child
 * spans for the NLU ({@code chatops.nlu}), the plugin call ({@code chatops.invoke}, from {@link
 * #interceptor()}) and each outbound HTTP call (a client span named by its method, the Jenkins request within
 * the plugin call's span, the Slack reply within the event's). Attributes are the service, the platform's
 * event id, the route, the plugin, the NLU engine and outcome, and for HTTP calls the method, host, path
 * without query and status (OpenTelemetry's HTTP attribute names); never message text, attribute values,
 * headers, bodies or secrets. Thread-safe.
 */
public final class OpenTelemetryTracing implements RouterObserver {
  /** Events acknowledged and not yet picked up by a worker; bounded, so a dispatcher deployment cannot grow it. */
  private static final int MAX_PENDING = 10_000;
  // OpenTelemetry's semantic conventions for HTTP client spans.
  private static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Tracer tracer;
  private final Map<String, Span> pending = new ConcurrentHashMap<>();
  /**
   * The plugin call open on each worker thread: the chain runs the plugin after every interceptor has returned,
   * so the call's span is no longer the current context when the plugin's HTTP calls are reported.
   */
  private final Map<Thread, Span> invoking = new ConcurrentHashMap<>();

  public OpenTelemetryTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("ai.chatops");
  }

  private static String key(ChatEvent event) {
    return event.service() + "\u0000" + event.workspace() + "\u0000" + event.id();
  }

  private Span eventSpan(ChatEvent event) {
    return tracer.spanBuilder("chatops.event")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("chatops.service", event.service())
        .setAttribute("chatops.event.id", event.id())
        .startSpan();
  }

  @Override
  public void eventReceived(String service, ChatEvent event, EventOutcome outcome) {
    if (event != null && outcome == EventOutcome.ACCEPTED && pending.size() < MAX_PENDING) {
      pending.put(key(event), eventSpan(event));
    }
  }

  @Override
  public RouterObserver.Scope processing(ChatEvent event) {
    Span removed = pending.remove(key(event));
    Span span = removed != null ? removed : eventSpan(event); // picked up by a sweep or a queue worker
    return new EventScope(span, new AtomicInteger(1), null);
  }

  /**
   * The event's span current on one thread; the span ends when the last of the threads that carry the event
   * (the worker, then those its pending plugin call continues on) leaves it. A continuation taken while a plugin
   * call is open on this thread (an asynchronous outbound call's) nests that thread's outbound calls in it too.
   */
  private final class EventScope implements RouterObserver.Scope {
    private final Span span;
    private final AtomicInteger open;
    private final Span invocation;
    private final Thread thread = Thread.currentThread();
    private final io.opentelemetry.context.Scope current;

    EventScope(Span span, AtomicInteger open, Span invocation) {
      this.span = span;
      this.open = open;
      this.invocation = invocation;
      if (invocation != null) {
        invoking.put(thread, invocation);
      }
      this.current = span.makeCurrent();
    }

    @Override
    public RouterObserver.Continuation continuation() {
      open.incrementAndGet();
      Span invocationNow = invoking.get(Thread.currentThread());
      return () -> new EventScope(span, open, invocationNow);
    }

    @Override
    public void close() {
      current.close();
      if (invocation != null) {
        invoking.remove(thread, invocation);
      }
      if (open.decrementAndGet() == 0) {
        span.end();
      }
    }
  }

  @Override
  public void nluCompleted(String engine, NluOutcome outcome, Duration took) {
    Instant end = Instant.now();
    Span span = tracer.spanBuilder("chatops.nlu")
        .setParent(Context.current())
        .setStartTimestamp(end.minus(took))
        .setAttribute("chatops.nlu.engine", engine)
        .setAttribute("chatops.nlu.outcome", outcome.tag())
        .startSpan();
    if (outcome == NluOutcome.FAILED) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end(end);
  }

  /**
   * Records one attempt of an outbound HTTP call as a client span, a child of the plugin call open on this
   * thread, or else of the span current on it (the event's, for a reply). An answer of 400 or more, or none,
   * marks it an error.
   */
  @Override
  public void outboundCompleted(OutboundCall call) {
    Instant end = Instant.now();
    Span invocation = invoking.get(Thread.currentThread());
    SpanBuilder builder = tracer.spanBuilder(call.method())
        .setParent(invocation != null ? Context.current().with(invocation) : Context.current())
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(end.minus(call.took()))
        .setAttribute(HTTP_METHOD, call.method())
        .setAttribute(SERVER_ADDRESS, call.host())
        .setAttribute(URL_PATH, call.path());
    if (call.status() > 0) {
      builder.setAttribute(HTTP_STATUS, (long) call.status());
    }
    if (call.attempt() > 1) {
      builder.setAttribute(RESEND_COUNT, (long) call.attempt() - 1);
    }
    Span span = builder.startSpan();
    if (call.status() == 0 || call.status() >= 400) {
      span.setAttribute(ERROR_TYPE, call.status() == 0 ? "no_response" : Integer.toString(call.status()));
      span.setStatus(StatusCode.ERROR);
    }
    span.end(end);
  }

  /**
   * The interceptor that spans each plugin call, a child of the event's span; the plugin's own outbound calls
   * made on the same thread nest in it.
   */
  public Interceptor interceptor() {
    return chain -> {
      Invocation invocation = chain.invocation();
      Span span = tracer.spanBuilder("chatops.invoke")
          .setSpanKind(SpanKind.INTERNAL)
          .setAttribute("chatops.route", invocation.route().path())
          .setAttribute("chatops.service", invocation.event().service())
          .setAttribute("chatops.event.id", invocation.event().id())
          .setAttribute("chatops.via", invocation.via())
          .startSpan();
      CompletionStage<Action> stage;
      Thread worker = Thread.currentThread();
      invoking.put(worker, span);
      io.opentelemetry.context.Scope current = span.makeCurrent();
      try {
        stage = chain.proceed(invocation);
      } catch (RuntimeException e) {
        invoking.remove(worker, span);
        span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
        span.end();
        throw e;
      } finally {
        current.close();
      }
      return stage.whenComplete((action, failure) -> {
        // The worker's entry, and any a continuation put for a thread that carried the call on.
        invoking.values().removeIf(open -> open == span);
        if (failure != null) {
          // The type only: a failure's message may quote what the user typed.
          span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        span.end();
      });
    };
  }
}
