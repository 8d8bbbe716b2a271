package ai.chatops.router.internal;

import ai.chatops.PluginFailedException;
import ai.chatops.RouterObserver;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.dialog.internal.NotUnderstood;
import ai.chatops.dialog.internal.RealDialogChain;
import ai.chatops.plugin.Action;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
  private final RouterObserver observer;

  EventProcessor(Dialog dialog, Invoker invoker, FollowUps followUps, Delivery delivery, EventJournal journal,
      int maxAttempts, Workers workers, RouterObserver observer) {
    this.observer = observer;
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
    workers.executeUntil(() -> observed(event, null));
  }

  /**
   * Hands an event this router has just recorded to the workers; its worker can skip reading the record back.
   *
   * @throws RejectedExecutionException when the workers are saturated or shut down
   */
  public void submitRecorded(ChatEvent event, EventJournal.Recorded recorded) {
    workers.executeUntil(new Observed(event, recorded));
  }

  /**
   * An event's processing as the workers run it: a class, not a lambda, since each lambda is a class generated
   * (with its method handles) when it is first created, on a cold router's first event.
   */
  private final class Observed implements Supplier<CompletableFuture<Result>> {
    private final ChatEvent event;
    private final EventJournal.Recorded recorded;

    Observed(ChatEvent event, EventJournal.Recorded recorded) {
      this.event = event;
      this.recorded = recorded;
    }

    @Override
    public CompletableFuture<Result> get() {
      return observed(event, recorded);
    }
  }

  /**
   * Processes an event now, on the calling thread: for queue workers that received an event another router
   * recorded. Returns when the event is done, also when its plugin call completed on another thread.
   */
  public Result processNow(ChatEvent event) {
    return workers.runNow(() -> observed(event, null).join());
  }

  /**
   * Processes the event within its observers' scope (a trace's span of the event, for one). The scope on this
   * thread ends when the worker returns; a plugin call still pending then continues in the scope's
   * continuation on the thread that carries it on (see {@code RealInvocationChain}).
   */
  private CompletableFuture<Result> observed(ChatEvent event, EventJournal.Recorded recorded) {
    RouterObserver.Scope scope = observer.processing(event);
    try {
      return process(event, recorded);
    } finally {
      scope.close();
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
  CompletableFuture<Result> process(ChatEvent event, EventJournal.Recorded recorded) {
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
        return CompletableFuture.completedFuture(done ? Result.ALREADY_DONE : Result.HELD_ELSEWHERE);
      }
    } catch (RuntimeException e) {
      log.error("event {}: the store could not be read to claim it; a later sweep will retry it", ref, e);
      return CompletableFuture.completedFuture(Result.STORE_FAILED);
    }
    EventJournal.Claim claimed = claim.get();
    CompletableFuture<EventJournal.Claim> finishing;
    try {
      if (claimed.attempts() > maxAttempts) {
        log.error("event {}: given up after {} attempts", ref, maxAttempts);
        delivery.deliver(event.conversation(), Reply.text("Sorry, I gave up on your request (event " + event.id()
            + "): it was interrupted before it finished too many times."), ref);
        finishing = CompletableFuture.completedFuture(claimed);
      } else {
        if (claimed.attempts() > 1) {
          log.warn("event {}: processing again (attempt {}); its previous router stopped", ref,
              claimed.attempts());
        }
        finishing = run(event, ref, claimed);
      }
    } catch (RuntimeException | Error e) {
      finish(claimed, ref);
      throw e;
    }
    if (finishing.isDone()) { // the usual case: no plugin call pending
      finish(finishing.join(), ref);
      return CompletableFuture.completedFuture(Result.PROCESSED);
    }
    return finishing.thenApply(last -> {
      finish(last, ref);
      return Result.PROCESSED;
    });
  }

  private void finish(EventJournal.Claim claim, String ref) {
    try {
      journal.finish(claim);
    } catch (RuntimeException e) {
      log.error("event {}: could not be marked done; it may be processed again", ref, e);
    }
  }

  /** Runs the dialog and what it asks for; completes with the claim to finish the event with. */
  private CompletableFuture<EventJournal.Claim> run(ChatEvent event, String ref, EventJournal.Claim claim) {
    Outcome outcome;
    try {
      outcome = RealDialogChain.run(dialog.parsers(), Turn.of(event, dialog.catalog()), notUnderstood);
    } catch (RuntimeException | StackOverflowError e) {
      log.error("event {}: the dialog chain failed", ref, e);
      delivery.deliver(event.conversation(), Reply.text(
          "Sorry, something went wrong while reading your message (event " + event.id() + ")."), ref);
      return CompletableFuture.completedFuture(claim);
    }
    switch (outcome.kind()) {
      case IGNORE:
        log.debug("event {}: ignored: {}", ref, outcome.reason());
        return CompletableFuture.completedFuture(claim);
      case REPLY:
        delivery.deliver(event.conversation(), outcome.reply().orElseThrow(), ref);
        return CompletableFuture.completedFuture(claim);
      default:
        return invoke(new Invocation(outcome.route().orElseThrow(), outcome.attributes(), event, outcome.via()),
            ref, claim);
    }
  }

  /**
   * Runs the invocation through the invocation chain (the dialog chain applied the access rules already),
   * then delivers its action. The event is marked done only after the reply went out. A plugin whose stage
   * is still pending when it returns frees the worker: the reply goes out from a worker when the stage
   * completes (from the timer's thread at a deadline). The call takes one of the router's places for calls
   * under way ({@link Workers#beginCall}) until its outcome is known.
   *
   * @return completes with the claim to finish the event with (recording the call's start changes its
   *     version)
   */
  private CompletableFuture<EventJournal.Claim> invoke(Invocation invocation, String ref,
      EventJournal.Claim claim) {
    AtomicReference<EventJournal.Claim> current = new AtomicReference<>(claim);
    Delivering delivering = new Delivering(invocation, ref, current, workers.beginCall());
    CompletableFuture<Void> delivered;
    try {
      delivered = invoker.invoke(invocation, true, start(invocation, ref, current), delivering);
    } catch (RuntimeException | Error e) {
      workers.endCall(delivering.place);
      throw e;
    }
    return delivered.handle(delivering.new Finished());
  }

  /**
   * What follows a plugin call ({@link #invoke}): the call's place given back when its outcome is known, the
   * action delivered (and its follow-ups started), then ({@link Finished}) the claim to finish the event with.
   * Classes for the four stages rather than four lambdas, each a class generated with its method handles on a
   * cold router's first event.
   */
  private final class Delivering implements Function<CompletableFuture<Action>, CompletableFuture<Void>>,
      BiConsumer<Action, Throwable>, Consumer<Action> {
    private final long started = System.nanoTime();
    private final Invocation invocation;
    private final String ref;
    private final AtomicReference<EventJournal.Claim> current;
    private final boolean place;

    Delivering(Invocation invocation, String ref, AtomicReference<EventJournal.Claim> current, boolean place) {
      this.invocation = invocation;
      this.ref = ref;
      this.current = current;
      this.place = place;
    }

    /** The call's stage, as the invoker hands it over: delivered once it completes. */
    @Override
    public CompletableFuture<Void> apply(CompletableFuture<Action> call) {
      call.whenComplete(this);
      return call.thenAccept(this);
    }

    /** The call's outcome is known: its place is free. */
    @Override
    public void accept(Action action, Throwable failure) {
      workers.endCall(place);
    }

    /** Delivers the call's action. */
    @Override
    public void accept(Action action) {
      log.info("event {}: {} answered in {} ms", ref, invocation.route().path(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      renewIfWorthIt(current.get(), ref);
      followUps.handle(invoker.slot(invocation.route().path()), action, null,
          invocation.event().conversation(), invocation.event().id(), ref);
    }

    /** Delivered or failed: the claim to finish the event with. */
    final class Finished implements BiFunction<Void, Throwable, EventJournal.Claim> {
      @Override
      public EventJournal.Claim apply(Void done, Throwable failure) {
        if (failure != null) {
          log.error("event {}: delivering the outcome of {} failed", ref, invocation.route().path(), failure);
        }
        return current.get();
      }
    }
  }

  /**
   * How the call starts: an idempotent route is simply called, whatever an earlier attempt did; for the others
   * the journal records the start before the plugin runs (a call that cannot be recorded does not run), and a
   * call an earlier attempt recorded as started goes to the plugin's {@code recover} instead.
   */
  private Invoker.Start start(Invocation invocation, String ref, AtomicReference<EventJournal.Claim> claim) {
    PluginSlot slot = invoker.slot(invocation.route().path());
    String route = invocation.route().path();
    if (slot == null || idempotent(slot, invocation, ref)) {
      return Invoker.Start.PLAIN;
    }
    boolean recovering = route.equals(claim.get().started());
    return new Invoker.Start(new RecordStart(invocation, ref, claim), recovering);
  }

  /**
   * Records in the journal that a call starts, refusing the call when that cannot be done; a class, not a
   * lambda generated on a cold router's first event.
   */
  private final class RecordStart implements Runnable {
    private final Invocation invocation;
    private final String ref;
    private final AtomicReference<EventJournal.Claim> claim;

    RecordStart(Invocation invocation, String ref, AtomicReference<EventJournal.Claim> claim) {
      this.invocation = invocation;
      this.ref = ref;
      this.claim = claim;
    }

    @Override
    public void run() {
      String route = invocation.route().path();
      Optional<EventJournal.Claim> recorded;
      try {
        recorded = journal.recordStart(claim.get(), route, invocation.event());
      } catch (RuntimeException e) {
        log.error("event {}: could not record that {} starts; not calling it", ref, route, e);
        throw new PluginFailedException("Sorry, I did not run " + route + ": the bot's store is unavailable, and"
            + " I run it only once I have noted that it started (event " + invocation.event().id()
            + "). Try again in a minute.", e);
      }
      if (recorded.isEmpty()) {
        log.warn("event {}: taken over by another router before {} started; not calling it", ref, route);
        throw new PluginFailedException("Sorry, your request was handed to another instance of the bot before "
            + route + " started (event " + invocation.event().id() + "); it answers instead.");
      }
      claim.set(recorded.get());
    }
  }

  private static boolean idempotent(PluginSlot slot, Invocation invocation, String ref) {
    try {
      return slot.plugin().idempotent(invocation.route());
    } catch (RuntimeException e) {
      log.error("event {}: the {} plugin failed to say whether {} is idempotent; taking it as not", ref,
          slot.name(), invocation.route().path(), e);
      return false;
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
