package ai.chatops.router.internal;

import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.dialog.internal.NotUnderstood;
import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.Invocation;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Reply;
import ai.chatops.toolkit.LogSafe;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous half of an event's life: claims the event in the journal, runs the dialog chain, hands an
 * invocation to the invocation chain, delivers the reply and what the plugin asked to follow, and marks the
 * event done. Runs on the router's workers. Thread-safe.
 */
public final class EventProcessor {
  private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

  /** What the dialog chain runs over: its steps and the routes they resolve to. */
  public record Dialog(List<DialogParser> parsers, Catalog catalog) {
    public Dialog {
      parsers = List.copyOf(parsers);
    }
  }

  private final Dialog dialog;
  private final Invoker invoker;
  private final FollowUps followUps;
  private final Delivery delivery;
  private final EventJournal journal;
  private final int maxAttempts;
  private final Workers workers;
  private final NotUnderstood notUnderstood = new NotUnderstood();

  EventProcessor(Dialog dialog, Invoker invoker, FollowUps followUps, Delivery delivery, EventJournal journal,
      int maxAttempts, Workers workers) {
    this.dialog = dialog;
    this.invoker = invoker;
    this.followUps = followUps;
    this.delivery = delivery;
    this.journal = journal;
    this.maxAttempts = maxAttempts;
    this.workers = workers;
  }

  /**
   * Hands an acknowledged event to the workers.
   *
   * @throws RejectedExecutionException when the workers are saturated or shut down
   */
  public void submit(ChatEvent event) {
    workers.execute(() -> process(event, null));
  }

  /**
   * Hands an event this router has just recorded to the workers; its worker can skip reading the record back.
   *
   * @throws RejectedExecutionException when the workers are saturated or shut down
   */
  public void submitRecorded(ChatEvent event, EventJournal.Recorded recorded) {
    workers.execute(() -> process(event, recorded));
  }

  /**
   * Processes an event now, on the calling thread: for queue workers that received an event another router
   * recorded.
   */
  public Result processNow(ChatEvent event) {
    return workers.runNow(() -> process(event, null));
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
        delivery.deliver(event.conversation(), Reply.text("Sorry, I gave up on your request (event " + event.id()
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
      outcome = RealDialogChain.run(dialog.parsers(), Turn.of(event, dialog.catalog()), notUnderstood);
    } catch (RuntimeException | StackOverflowError e) {
      log.error("event {}: the dialog chain failed", ref, e);
      delivery.deliver(event.conversation(), Reply.text(
          "Sorry, something went wrong while reading your message (event " + event.id() + ")."), ref);
      return;
    }
    switch (outcome.kind()) {
      case IGNORE:
        log.debug("event {}: ignored: {}", ref, outcome.reason());
        return;
      case REPLY:
        delivery.deliver(event.conversation(), outcome.reply().orElseThrow(), ref);
        return;
      default:
        invoke(new Invocation(outcome.route().orElseThrow(), outcome.attributes(), event, outcome.via()), ref,
            claim);
    }
  }

  /**
   * Runs the invocation through the invocation chain (the dialog chain applied the access rules already),
   * then delivers its action. The worker waits for the call's stage, so the event is marked done only after
   * the reply went out; a timed-out call's reply goes out at the deadline from the timer's thread.
   */
  private void invoke(Invocation invocation, String ref, EventJournal.Claim claim) {
    long started = System.nanoTime();
    CompletableFuture<Void> delivered = invoker.invoke(invocation, true, call -> call.thenAccept(action -> {
      log.info("event {}: {} answered in {} ms", ref, invocation.route().path(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      renewIfWorthIt(claim, ref);
      followUps.handle(invoker.slot(invocation.route().path()), action, null,
          invocation.event().conversation(), invocation.event().id(), ref);
    }));
    try {
      delivered.join();
    } catch (RuntimeException e) {
      log.error("event {}: delivering the outcome of {} failed", ref, invocation.route().path(), e);
    }
  }

  private void renewIfWorthIt(EventJournal.Claim claim, String ref) {
    try {
      if (journal.worthRenewing(claim)) {
        journal.renew(claim); // the plugin used much of the lease; delivering may take a while too
      }
    } catch (RuntimeException e) {
      log.warn("event {}: could not renew its lease: {}", ref, e.toString());
    }
  }
}
