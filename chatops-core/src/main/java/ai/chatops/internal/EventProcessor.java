package ai.chatops.internal;

import ai.chatops.toolkit.LogSafe;

import ai.chatops.ConfigurationException;
import ai.chatops.PluginFailedException;
import ai.chatops.WebhookRequest;
import ai.chatops.audit.AuditEntry;
import ai.chatops.plugin.Catalog;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.dialog.internal.NotUnderstood;
import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Announcement;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous half of an event's life: the dialog chain, the plugin call under a deadline, the reply,
 * and the follow-ups a plugin asked for. Runs on the router's executor. Thread-safe.
 */
public final class EventProcessor {
  private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

  private final List<DialogParser> parsers;
  private final Catalog catalog;
  private final Map<String, PluginSlot> pluginsByRoute;
  private final Map<String, ServiceHandler> services;
  private final ExecutorService executor;
  private final ScheduledExecutorService scheduler;
  private final Duration pluginTimeout;
  private final Clock clock;
  private final EventJournal journal;
  private final FollowUpJournal followUps;
  private final int maxAttempts;
  private final Guard guard;
  private final NotUnderstood notUnderstood = new NotUnderstood();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object idle = new Object();

  public EventProcessor(
      List<DialogParser> parsers,
      Catalog catalog,
      Map<String, PluginSlot> pluginsByRoute,
      Map<String, ServiceHandler> services,
      ExecutorService executor,
      ScheduledExecutorService scheduler,
      Duration pluginTimeout,
      Clock clock,
      EventJournal journal,
      FollowUpJournal followUps,
      int maxAttempts,
      Guard guard) {
    this.parsers = List.copyOf(parsers);
    this.catalog = catalog;
    this.pluginsByRoute = Map.copyOf(pluginsByRoute);
    this.services = Map.copyOf(services);
    this.executor = executor;
    this.scheduler = scheduler;
    this.pluginTimeout = pluginTimeout;
    this.clock = clock;
    this.journal = journal;
    this.followUps = followUps;
    this.maxAttempts = maxAttempts;
    this.guard = guard;
  }

  /**
   * Hands an acknowledged event to the executor.
   *
   * @throws RejectedExecutionException when the executor is saturated or shut down
   */
  public void submit(ChatEvent event) {
    execute(() -> process(event, null));
  }

  /**
   * Hands an event this router has just recorded to the executor; its
   * worker can skip reading the record back.
   *
   * @throws RejectedExecutionException when the executor is saturated or shut down
   */
  public void submitRecorded(ChatEvent event, EventJournal.Recorded recorded) {
    execute(() -> process(event, recorded));
  }

  /** Runs work on the executor, counted as in flight until it ends. */
  private void execute(Runnable work) {
    begin();
    try {
      executor.execute(() -> {
        try {
          work.run();
        } finally {
          end();
        }
      });
    } catch (RejectedExecutionException e) {
      end();
      throw e;
    }
  }

  /**
   * Hands a verified webhook to its plugin on the executor and delivers what it announces.
   *
   * @throws RejectedExecutionException when the executor is saturated or shut down
   */
  public void submitHook(PluginSlot slot, WebhookRequest request) {
    execute(() -> hook(slot, request));
  }

  private void hook(PluginSlot slot, WebhookRequest request) {
    String ref = "hook/" + slot.name();
    TimedCall.Result<List<Announcement>> result = TimedCall.run(() -> {
      slot.ensureConnected();
      return slot.plugin().hook(request);
    }, pluginTimeout, scheduler, () -> log.error("{}: the plugin did not finish within {}", ref,
        describe(pluginTimeout)));
    if (result.timedOut()) {
      return;
    }
    if (result.error() != null) {
      log.error("{}: the plugin failed to handle the hook", ref, result.error());
      return;
    }
    for (Announcement announcement : result.value() == null ? List.<Announcement>of() : result.value()) {
      deliver(announcement.conversation(), announcement.reply(), ref);
    }
  }

  /**
   * Processes an event now, on the calling thread: for queue workers that received an event another router
   * recorded.
   *
   * @return what came of it
   */
  public Result processNow(ChatEvent event) {
    begin();
    try {
      return process(event, null);
    } finally {
      end();
    }
  }

  /** Waits until no event or poll is being processed; true if that happened within the timeout. */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  public int inFlight() {
    return inFlight.get();
  }

  private void begin() {
    inFlight.incrementAndGet();
  }

  private void end() {
    if (inFlight.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  /** What came of asking to process an event. */
  public enum Result {
    PROCESSED,
    ALREADY_DONE,
    HELD_ELSEWHERE,
    STORE_FAILED
  }

  /**
   * Claims the event in the journal, processes it, and marks it done.
   *
   * @param recorded the record this router has just written, or null when it did not record the event
   */
  Result process(ChatEvent event, EventJournal.Recorded recorded) {
    String ref = LogSafe.ref(event.service(), event.id());
    Optional<EventJournal.Claim> claim;
    try {
      claim = recorded != null ? journal.freshClaim(recorded) : Optional.empty();
      if (claim.isEmpty()) {
        claim = journal.claim(event, recorded != null);
      }
      if (claim.isEmpty()) {
        boolean done = journal.doneOrGone(event);
        log.info("event {}: {}; skipped", ref, done ? "done already" : "being processed by another router");
        return done ? Result.ALREADY_DONE : Result.HELD_ELSEWHERE;
      }
    } catch (RuntimeException e) {
      log.error("event {}: the store could not be read to claim it; a later sweep will retry it", ref, e);
      return Result.STORE_FAILED;
    }
    try {
      if (claim.get().attempts() > maxAttempts) {
        log.error("event {}: given up after {} attempts", ref, maxAttempts);
        deliver(event.conversation(), Reply.text("Sorry, I gave up on your request (event " + event.id()
            + "): it was interrupted before it finished too many times."), ref);
      } else {
        if (claim.get().attempts() > 1) {
          log.warn("event {}: processing again (attempt {}); its previous router stopped", ref,
              claim.get().attempts());
        }
        run(event, ref, claim.get());
      }
    } finally {
      try {
        journal.finish(claim.get());
      } catch (RuntimeException e) {
        log.error("event {}: could not be marked done; it may be processed again", ref, e);
      }
    }
    return Result.PROCESSED;
  }

  private void run(ChatEvent event, String ref, EventJournal.Claim claim) {
    Outcome outcome;
    try {
      outcome = RealDialogChain.run(parsers, Turn.of(event, catalog), notUnderstood);
    } catch (RuntimeException | StackOverflowError e) {
      log.error("event {}: the dialog chain failed", ref, e);
      deliver(event.conversation(), Reply.text(
          "Sorry, something went wrong while reading your message (event " + event.id() + ")."), ref);
      return;
    }
    switch (outcome.kind()) {
      case IGNORE:
        log.debug("event {}: ignored: {}", ref, outcome.reason());
        return;
      case REPLY:
        deliver(event.conversation(), outcome.reply().orElseThrow(), ref);
        return;
      default:
        invoke(event, outcome.route().orElseThrow(), outcome.attributes(), ref, claim);
    }
  }

  private void invoke(
      ChatEvent event, Route route, Map<String, String> attributes, String ref, EventJournal.Claim claim) {
    PluginSlot slot = pluginsByRoute.get(route.path());
    if (slot == null) {
      // A custom dialog step resolved a route that no registered plugin serves.
      log.error("event {}: no plugin serves {}", ref, route.path());
      deliver(event.conversation(), Reply.text("Sorry, nothing serves " + route.path() + " here."), ref);
      return;
    }
    Optional<String> refusal = guard.admit(event, route, attributes); // access rules, rate limits; audited
    if (refusal.isPresent()) {
      log.info("event {}: {} refused: {}", ref, route.path(), LogSafe.clean(refusal.get()));
      deliver(event.conversation(), Reply.text(refusal.get()), ref);
      return;
    }
    Invocation invocation = new Invocation(route, attributes, event);
    String what = route.plugin() + " " + route.action();
    long started = System.nanoTime();
    long startedAt = clock.millis();
    Optional<Action> action = callPlugin(slot, () -> {
      slot.ensureConnected();
      return slot.plugin().trigger(invocation);
    }, event.conversation(), what, event.id(), ref,
        (outcome, detail) -> guard.record(event, route.path(), attributes, outcome, clock.millis() - startedAt,
            detail));
    log.info("event {}: {} {} in {} ms", ref, route.path(), action.isPresent() ? "done" : "failed",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    try {
      if (journal.worthRenewing(claim)) {
        journal.renew(claim); // the plugin used much of the lease; delivering may take a while too
      }
    } catch (RuntimeException e) {
      log.warn("event {}: could not renew its lease: {}", ref, e.toString());
    }
    action.ifPresent(a -> handleAction(slot, a, null, event.conversation(), event.id(), ref));
  }

  /**
   * Delivers an action and follows what it asks to follow. The replies of a request and of its follow-ups
   * share one key, so services that can edit messages show them as one message that changes. A silent
   * action keeps the current deadline; an action that starts watching something new gets a new one.
   */
  private void handleAction(PluginSlot slot, Action action, FollowUpJournal.Watch current, Conversation where,
      String eventId, String ref) {
    if (!action.silent()) {
      Reply reply = action.toReply();
      if (current != null || action.followUp().isPresent()) {
        reply = reply.withKey("event:" + eventId);
      }
      deliver(where, reply, ref);
    }
    if (action.followUp().isEmpty()) {
      if (current != null) {
        forget(current, ref);
      }
      return;
    }
    FollowUp next = action.followUp().get();
    Instant deadline = current != null && action.silent()
        ? current.deadline()
        : clock.instant().plus(next.timeout());
    follow(slot, new FollowUpJournal.Watch(slot.name(), next, where, eventId, deadline), ref);
  }

  /** Records the watch in the store and schedules its next poll. */
  private void follow(PluginSlot slot, FollowUpJournal.Watch watch, String ref) {
    try {
      if (!followUps.save(watch, clock.instant().plus(watch.followUp().interval()))) {
        log.info("event {}: follow-up {} was taken over by another router", ref, watch.followUp().key());
        return;
      }
    } catch (RuntimeException e) {
      log.warn("event {}: could not record follow-up {}; following it in memory only: {}", ref,
          watch.followUp().key(), e.toString());
    }
    schedulePoll(slot, watch, ref);
  }

  /** Polls the watches a stopped router left behind. */
  public void resume(PluginSlot slot, FollowUpJournal.Watch watch) {
    String ref = LogSafe.ref(watch.where().service(), watch.eventId());
    log.info("event {}: resuming follow-up {} left by a stopped router", ref, watch.followUp().key());
    schedulePoll(slot, watch, ref);
  }

  private void forget(FollowUpJournal.Watch watch, String ref) {
    try {
      followUps.remove(watch);
    } catch (RuntimeException e) {
      log.warn("event {}: could not remove follow-up {}: {}", ref, watch.followUp().key(), e.toString());
    }
  }

  private void schedulePoll(PluginSlot slot, FollowUpJournal.Watch watch, String ref) {
    try {
      scheduler.schedule(() -> {
        try {
          execute(() -> poll(slot, watch, ref));
        } catch (RejectedExecutionException e) {
          log.warn("event {}: follow-up {} left to another router: this one is shutting down or saturated",
              ref, watch.followUp().key());
        }
      }, watch.followUp().interval().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.warn("event {}: follow-up {} left to another router: this one is shutting down", ref,
          watch.followUp().key());
    }
  }

  private void poll(PluginSlot slot, FollowUpJournal.Watch watch, String ref) {
    try {
      if (!followUps.stillMine(watch)) {
        log.info("event {}: follow-up {} is now polled by another router", ref, watch.followUp().key());
        return;
      }
    } catch (RuntimeException e) {
      log.warn("event {}: could not check follow-up {}; polling anyway: {}", ref, watch.followUp().key(),
          e.toString());
    }
    FollowUp followUp = watch.followUp();
    Optional<Optional<Action>> polled = callPlugin(slot, () -> slot.plugin().poll(followUp), watch.where(),
        "following " + followUp.description(), watch.eventId(), ref);
    if (polled.isEmpty()) {
      forget(watch, ref); // the failure was reported to the user
      return;
    }
    if (polled.get().isPresent()) {
      handleAction(slot, polled.get().get(), watch, watch.where(), watch.eventId(), ref);
    } else if (clock.instant().isBefore(watch.deadline())) {
      follow(slot, watch, ref);
    } else {
      forget(watch, ref);
      deliver(watch.where(), Reply.text("I stopped following " + followUp.description() + " after "
          + describe(followUp.timeout()) + "; it had not finished."), ref);
    }
  }

  /**
   * Calls the plugin under the plugin timeout. Failures and timeouts are told to the user and logged;
   * the result is empty then.
   */
  private <T> Optional<T> callPlugin(
      PluginSlot slot, Supplier<T> body, Conversation where, String what, String eventId, String ref) {
    return callPlugin(slot, body, where, what, eventId, ref, (outcome, detail) -> { });
  }

  /**
   * As above; {@code audit} is told once what came of the call, at the deadline for a timeout (so that a
   * plugin that never returns is audited too).
   */
  private <T> Optional<T> callPlugin(PluginSlot slot, Supplier<T> body, Conversation where, String what,
      String eventId, String ref, BiConsumer<AuditEntry.Outcome, String> audit) {
    TimedCall.Result<T> result = TimedCall.run(body, pluginTimeout, scheduler, () -> {
      log.error("event {}: {} did not finish within {} ms", ref, what, pluginTimeout.toMillis());
      audit.accept(AuditEntry.Outcome.TIMED_OUT, "did not finish within " + describe(pluginTimeout));
      deliver(where, Reply.text("Sorry, " + what + " did not finish within "
          + describe(pluginTimeout) + " (event " + eventId + ")."), ref);
    });
    if (result.timedOut()) {
      log.warn("event {}: {} returned after its deadline; the result was dropped", ref, what);
      return Optional.empty();
    }
    RuntimeException error = result.error();
    if (error != null) {
      audit.accept(AuditEntry.Outcome.FAILED, error instanceof PluginFailedException ? error.getMessage()
          : error.getClass().getSimpleName());
    }
    if (error instanceof PluginFailedException) {
      log.info("event {}: {} failed: {}", ref, what, LogSafe.clean(error.getMessage()));
      deliver(where, Reply.text(error.getMessage()), ref);
      return Optional.empty();
    }
    if (error != null) {
      log.error("event {}: {} threw", ref, what, error);
      String message;
      if (slot.connected()) {
        message = "Sorry, " + what + " failed with an internal error (event " + eventId + ").";
      } else if (error instanceof ConfigurationException) {
        // Configuration messages name keys, never values, so they can be shown.
        message = "Sorry, the " + slot.name() + " plugin cannot run: " + error.getMessage();
      } else {
        message = "Sorry, the " + slot.name() + " plugin is not available; an administrator should check "
            + "its configuration (event " + eventId + ").";
      }
      deliver(where, Reply.text(message), ref);
      return Optional.empty();
    }
    if (result.value() == null) {
      log.error("event {}: {} returned null", ref, what);
      audit.accept(AuditEntry.Outcome.FAILED, "returned nothing");
      deliver(where, Reply.text("Sorry, " + what + " returned nothing (event " + eventId + ")."), ref);
      return Optional.empty();
    }
    audit.accept(AuditEntry.Outcome.DONE, "");
    return Optional.of(result.value());
  }

  static String describe(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + " ms";
    }
    long seconds = d.toSeconds();
    if (seconds < 120 || seconds % 60 != 0) {
      return seconds + " s";
    }
    return seconds % 3600 == 0 ? seconds / 3600 + " h" : seconds / 60 + " min";
  }

  private void deliver(Conversation where, Reply reply, String ref) {
    ServiceHandler service = services.get(where.service());
    if (service == null) {
      log.error("event {}: no service named {} to deliver a reply to", ref, where.service());
      return;
    }
    try {
      service.deliver(where, reply);
    } catch (RuntimeException e) {
      log.error("event {}: delivering the reply through {} failed", ref, where.service(), e);
    }
  }
}
